package app

import "strconv"; import (__tw_log "log"; __tw_strings "strings")

func Compute(n int) string {
//line <generated>:1:1
{
defer __tw_log.Print("done")
__tw_log.Print("start")
}

//line input.go:6:1
	return __tw_strings.ToUpper(/*line input.go:6:9*/strconv.Itoa(
		n*2+
			1,
	))/*line input.go:9:3*/ + "!"
}
