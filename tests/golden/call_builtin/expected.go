package sizes

func clamp(n int) int {
	if n > 100 {
		return 100
	}
	return n
}

type list []int

func (l list) len() int { return 0 }

func Count(xs []int, l list) int {
	return clamp(/*line input.go:15:9*/len(xs))/*line input.go:15:16*/ + l.len() + cap(xs)
}
