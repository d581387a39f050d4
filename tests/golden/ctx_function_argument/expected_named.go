package handlers; import (__tw_log "log")

func Handle(id int, name string) {
//line <generated>:1:1
{
__tw_log.Printf("arg0=%v arg1=%v", id, name)
}

//line input_named.go:4:1
	println(id, name)
}
