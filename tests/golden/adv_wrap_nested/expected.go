package clean

import "strings"

func audit(op, s string) string {
	println(op, s)
	return s
}

func Normalize(s string) string {
	return audit("trim", /*line input.go:11:9*/strings.TrimSpace(audit("lower", /*line input.go:11:27*/strings.ToLower(s))/*line input.go:11:45*/))
}
