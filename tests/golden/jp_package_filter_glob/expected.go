package db

import "strings"; import (__tw_log "log")

func Query(sql string) int {
//line <generated>:1:1
{
__tw_log.Print("query ", sql)
}

//line input.go:6:1
	return strings.Count(sql, "?")
}
