package events

import "sort"; import (__tw_log "log")

func Sorted(xs []int) []int {
	sort.Slice(xs, func(i, j int) bool {
//line <generated>:1:1
{
__tw_log.Printf("enter %s", "")
}

//line input.go:7:1
		return xs[i] < xs[j]
	})
	return xs
}

var Default = func() []int {
//line <generated>:1:1
{
__tw_log.Printf("enter %s", "")
}
/*line input.go:12:29*/ return Sorted([]int{3, 1, 2}) }
