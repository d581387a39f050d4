package events

import "sort"

func Sorted(xs []int) []int {
	sort.Slice(xs, func(i, j int) bool {
		return xs[i] < xs[j]
	})
	return xs
}

var Default = func() []int { return Sorted([]int{3, 1, 2}) }
