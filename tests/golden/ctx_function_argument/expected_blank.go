package handlers; import (__tw_log "log")

type Blank struct{}

func (Blank) Handle(__tw_arg0/*line input_blank.go:5:22*/ int, name string, __tw_arg2/*line input_blank.go:5:42*/ bool) string {
//line <generated>:1:1
{
__tw_log.Printf("arg0=%v arg1=%v", __tw_arg0, name)
}

//line input_blank.go:6:1
	return name
}
