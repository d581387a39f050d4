package sizes

import "strings"

func double(n int) int { return 2 * n }

var shared = new(strings.Builder)

type fake struct{}

func (fake) Len() int { return 0 }

func Forms() (total int, named *strings.Builder) {
	var v = &strings.Builder{}
	n := new(strings.Builder)
	named = n
	total = v.Len() + n.Len() + shared.Len() + named.Len()
	{
		v := fake{}
		total += v.Len()
	}
	total += v.Len()
	return total, named
}

// The declaration does not spell b's type: the type checker answers.
func Unknown(f func() *strings.Builder) int {
	b := f()
	return b.Len()
}
