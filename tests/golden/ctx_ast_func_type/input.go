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
	upper := func(s string, n int) string { return strings.Repeat(strings.ToUpper(s), n) }
	println(join("-", upper("a", 2), "b"))
}
