package handlers; import (__tw_log "log")

type Unnamed struct{}

func (Unnamed) Handle(__tw_arg0 /*line input_unnamed.go:5:23*/int, __tw_arg1 /*line input_unnamed.go:5:28*/string) {
//line <generated>:1:1
{
__tw_log.Printf("arg0=%v arg1=%v", __tw_arg0, __tw_arg1)
}

//line input_unnamed.go:6:1
}
