package middleware

func Chain(next func(int) int) func(int) int {
	//weave:span
	return func(n int) int {
		return next(n) + 1
	}
}
