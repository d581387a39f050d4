package handlers

type Variadic struct{}

func (Variadic) Handle(prefix string, _ ...int) {
	println(prefix)
}
