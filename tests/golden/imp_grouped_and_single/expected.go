// Package app does things.
package app

import "os"

import (
	"strings" // used below
); import (__tw_log "log"; __tw_time "time")

func Handle(s string) string {
//line <generated>:1:1
{
__tw_log.Print(strings.Repeat("=", 3), __tw_time.Now().IsZero())
}

//line input.go:11:1
	return strings.TrimSpace(s) + os.Getenv("SUFFIX")
}
