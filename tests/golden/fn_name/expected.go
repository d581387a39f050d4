package router; import (__tw_log "log")

func Handle(path string) int {
//line <generated>:1:1
{
__tw_log.Printf("enter %s", "Handle")
}

//line input.go:4:1
	return len(path)
}

func Handler(path string) int {
	return Handle(path) + 1
}

type Mux struct{}

func (m *Mux) Handle(path string) int {
//line <generated>:1:1
{
__tw_log.Printf("enter %s", "Handle")
}

//line input.go:14:1
	return Handle(path)
}
