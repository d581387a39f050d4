package calc

func Square(n int) int { return n * n }

func checked(n int) int {
	if n < 0 {
		panic("overflow")
	}
	return n
}

func SumOfSquares(a, b int) int {
	return checked(/*line input.go:13:9*/Square(a))/*line input.go:13:18*/ + checked(/*line input.go:13:21*/Square(b))
}
