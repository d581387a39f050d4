package clean

import "strings"

func audit(op, s string) string {
	println(op, s)
	return s
}

func Normalize(s string) string {
	return strings.TrimSpace(strings.ToLower(s))
}
