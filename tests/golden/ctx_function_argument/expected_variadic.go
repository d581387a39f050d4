package handlers; import (__tw_log "log")

type Variadic struct{}

func (Variadic) Handle(prefix string, __tw_arg1/*line input_variadic.go:5:40*/ ...int) {
//line <generated>:1:1
{
__tw_log.Printf("arg0=%v arg1=%v", prefix, __tw_arg1)
}

//line input_variadic.go:6:1
	println(prefix)
}
