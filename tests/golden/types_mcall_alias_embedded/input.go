package main

import "strings"

type Builder = strings.Builder

type document struct {
	*strings.Builder
	title string
}

func traced(s string) string { return "[" + s + "]" }

func render(b *Builder, d document, v strings.Builder) string {
	return b.String() + d.String() + v.String()
}

func main() {
	d := document{Builder: &strings.Builder{}, title: "t"}
	println(render(&strings.Builder{}, d, strings.Builder{}))
}
