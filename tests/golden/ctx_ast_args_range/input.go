package report

import "fmt"

func traced(fn string, n int, format string, args ...any) string {
	return fmt.Sprint(fn, n, format, args)
}

func Line(name string, count int) string {
	return fmt.Sprintf("%s=%d", name, count)
}
