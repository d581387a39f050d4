package report

import "fmt"

func traced(fn string, format string, args ...any) string {
	return fmt.Sprint(fn, format, args)
}

func Line(name string, count int) string {
	return fmt.Sprintf("%s=%d",
		name, count)
}
