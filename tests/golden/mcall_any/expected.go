package shout

import "strings"

type other struct{}

func (other) String() string { return "other" }

func Value() string {
	var b strings.Builder
	b.WriteString("value")
	return strings.ToUpper(/*line input.go:12:9*/b.String())
}

func Pointer() string {
	p := &strings.Builder{}
	p.WriteString("pointer")
	return strings.ToUpper(/*line input.go:18:9*/p.String())
}

func Param(sb *strings.Builder, o other) string {
	return strings.ToUpper(/*line input.go:22:9*/sb.String())/*line input.go:22:20*/ + o.String()
}

func Literal() string {
	lit := strings.Builder{}
	return strings.ToUpper(/*line input.go:27:9*/lit.String())
}
