package calc

type engine struct{}

func (engine) compute(n int) int { return n }

func compute(n int) int { return n * n }

func Run(e engine) int {
	return (/*line input.go:10:9*/compute(2) + 1)/*line input.go:10:19*/*(/*line input.go:10:20*/compute(3) + 1)/*line input.go:10:30*/ + e.compute(4)
}
