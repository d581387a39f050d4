package router

func Handle(path string) int {
	return len(path)
}

func Handler(path string) int {
	return Handle(path) + 1
}

type Mux struct{}

func (m *Mux) Handle(path string) int {
	return Handle(path)
}
