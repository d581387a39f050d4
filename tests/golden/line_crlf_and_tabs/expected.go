package app

import "strconv"; import (__tw_log "log"; __tw_strings "strings")/*line input.go:3:17*/

func Compute(n int) string {
//line <generated>:1:1
{
defer __tw_log.Print("done")
__tw_log.Print("start")
}
/*line input.go:5:29*/
	return __tw_strings.ToUpper(/*line input.go:6:9*/strconv.Itoa(n))/*line input.go:6:24*/
}
