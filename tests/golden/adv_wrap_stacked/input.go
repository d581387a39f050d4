package format

import "strconv"

func quote(s string) string    { return strconv.Quote(s) }
func brackets(s string) string { return "[" + s + "]" }

func Label(n int) string {
	return "n=" + strconv.Itoa(n)
}
