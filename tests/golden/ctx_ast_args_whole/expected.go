package report

import "fmt"

func traced(fn string, format string, args ...any) string {
	return fmt.Sprint(fn, format, args)
}

func Line(name string, count int) string {
	return traced("Line", /*line input.go:10:21*/"%s=%d",
		name, count)
}
