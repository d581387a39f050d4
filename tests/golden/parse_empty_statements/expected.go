package app

import "strings"

func Handle(n int) int {
//line <generated>:1:1
{
println("enter")
}
/*line input.go:5:25*/ ; return n }

func Shout(s string) string { x := s; ; return strings.TrimSpace(/*line input.go:7:48*/strings.ToUpper(x))/*line input.go:7:66*/ }

func Twice(s string) string { if s == "" { ; s = "x" }; ; ; return strings.TrimSpace(/*line input.go:9:68*/strings.ToUpper(s))/*line input.go:9:86*/ + s }
