package shout

import "strings"

type other struct{}

func (other) String() string { return "other" }

func Value() string {
	var b strings.Builder
	b.WriteString("value")
	return b.String()
}

func Pointer() string {
	p := &strings.Builder{}
	p.WriteString("pointer")
	return p.String()
}

func Param(sb *strings.Builder, o other) string {
	return sb.String() + o.String()
}

func Literal() string {
	lit := strings.Builder{}
	return lit.String()
}
