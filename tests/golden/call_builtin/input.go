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
	return len(xs) + l.len() + cap(xs)
}
