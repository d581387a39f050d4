package app

import "strings"

func Handle(n int) int { ; return n }

func Shout(s string) string { x := s; ; return strings.ToUpper(x) }

func Twice(s string) string { if s == "" { ; s = "x" }; ; ; return strings.ToUpper(s) + s }
