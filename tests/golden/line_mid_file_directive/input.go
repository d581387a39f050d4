package app

import "strconv"

//line template.tmpl:40
func Compute(n int) string {
	s := strconv.Itoa(n)
	return s
}

//line app.go:20:1
func Other(n int) string { return strconv.Itoa(n) }
