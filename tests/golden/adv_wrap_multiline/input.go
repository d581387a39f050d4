package calc

func helper(i int) int { return i * 2 }

func First(xs []int) int {
	return helper(xs[0]) + 1
}
