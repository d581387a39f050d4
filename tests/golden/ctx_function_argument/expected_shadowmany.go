package handlers

import "log"; import (__tw_log "log")

type Shadow struct{}

// A parameter tree-sitter-go splits off (the first of ten names) still hides the import.
func (Shadow) Handle(log, a1, a2, a3, a4, a5, a6, a7, a8, a9 int, __tw_arg10/*line input_shadowmany.go:8:68*/ bool) int {
//line <generated>:1:1
{
__tw_log.Printf("arg0=%v arg1=%v", log, a1)
}

//line input_shadowmany.go:9:1
	return log + a9
}

var _ = log.Println
