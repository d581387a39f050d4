package pipeline

func logged[T any](v T) T { return v }

func step(n int) int { return n }

func compute(n int) int { return n * 2 }

func Run() {
	step(1)
	//weave:log
	logged(logged(/*line input.go:12:2*/step)/*line input.go:12:6*/(compute(2)))
	step(compute(3))
}
