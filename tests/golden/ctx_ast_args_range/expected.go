package report

import "fmt"

func traced(fn string, n int, format string, args ...any) string {
	return fmt.Sprint(fn, n, format, args)
}

func Line(name string, count int) string {
	return traced("Line", 3, /*line input.go:10:21*/"%s=%d", /*line input.go:10:30*/name, /*line input.go:10:36*/count)
}
