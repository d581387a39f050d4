package stack

type Stack[T any] struct {
	items []T
	ops   int
}

func (s *Stack[T]) Push(v T) {
	s.items = append(s.items, v)
}

func (*Stack[T]) Kind() string {
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
