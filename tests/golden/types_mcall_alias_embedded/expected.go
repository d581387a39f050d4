package main

import "strings"

type Builder = strings.Builder

type document struct {
	*strings.Builder
	title string
}

func traced(s string) string { return "[" + s + "]" }

func render(b *Builder, d document, v strings.Builder) string {
	return traced(/*line input.go:15:9*/b.String())/*line input.go:15:19*/ + traced(/*line input.go:15:22*/d.String())/*line input.go:15:32*/ + v.String()
}

func main() {
	d := document{Builder: &strings.Builder{}, title: "t"}
	println(render(&strings.Builder{}, d, strings.Builder{}))
}
