package main

import "strings"

func describe(name string, params int, names []string, results int, method bool) bool {
	println(name, params, strings.Join(names, ","), results, method)
	return true
}

func counted[F any](n int, f F) F { println(n); return f }

func join(sep string, parts ...string) (string, int) {
	return strings.Join(parts, sep), len(parts)
}

func main() {
	upper := counted(2, /*line input.go:17:11*/func(s string, n int) string { return strings.Repeat(strings.ToUpper(s), n) })
	println(join("-", upper("a", 2), "b"))
}
//line <generated>:1:1

var _ = describe("join", 2, []string{"sep", "parts", }, 2, false)
//line input.go:12:1
var _ = func(_ /*line input.go:12:15*/string, _ /*line input.go:12:29*/...string) {}
//line input.go:12:1
var _ []/*line input.go:12:32*/string
