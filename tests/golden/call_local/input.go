package calc

type engine struct{}

func (engine) compute(n int) int { return n }

func compute(n int) int { return n * n }

func Run(e engine) int {
	return compute(2)*compute(3) + e.compute(4)
}
