package app

import "strconv"; import (__tw_log "log"; __tw_strings "strings")

//line template.tmpl:40
func Compute(n int) string {
//line <generated>:1:1
{
defer __tw_log.Print("done")
__tw_log.Print("start")
}

//line template.tmpl:41
	s := __tw_strings.ToUpper(/*line template.tmpl:41*/strconv.Itoa(n))
	return s
}

//line app.go:20:1
func Other(n int) string { return __tw_strings.ToUpper(/*line app.go:20:35*/strconv.Itoa(n))/*line app.go:20:50*/ }
