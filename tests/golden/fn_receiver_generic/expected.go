package stack

type Stack[T any] struct {
	items []T
	ops   int
}

func (s *Stack[T]) Push(v T) {
//line <generated>:1:1
{
s.ops++
}

//line input.go:9:1
	s.items = append(s.items, v)
}

func (__tw_recv /*line input.go:12:7*/*Stack[T]) Kind() string {
//line <generated>:1:1
{
__tw_recv.ops++
}

//line input.go:13:1
	return "lifo"
}

func (s Stack[T]) Len() int {
	return len(s.items)
}

func Map[T, U any](xs []T, f func(T) U) []U {
	out := make([]U, 0, len(xs))
	for _, x := range xs {
		out = append(out, f(x))
	}
	return out
}
