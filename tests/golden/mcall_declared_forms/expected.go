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
	total = double(/*line input.go:17:10*/v.Len())/*line input.go:17:17*/ + double(/*line input.go:17:20*/n.Len())/*line input.go:17:27*/ + double(/*line input.go:17:30*/shared.Len())/*line input.go:17:42*/ + double(/*line input.go:17:45*/named.Len())
	{
		v := fake{}
		total += v.Len()
	}
	total += double(/*line input.go:22:11*/v.Len())
	return total, named
}

// The declaration does not spell b's type: the type checker answers.
func Unknown(f func() *strings.Builder) int {
	b := f()
	return double(/*line input.go:29:9*/b.Len())
}
