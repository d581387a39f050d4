package calc

func Square(n int) int { return n * n }

func checked(n int) int {
	if n < 0 {
		panic("overflow")
	}
	return n
}

func SumOfSquares(a, b int) int {
	return Square(a) + Square(b)
}
