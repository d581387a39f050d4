package text

import (
	"fmt"
	"strings"
)

func describe(n int, s string) string { return fmt.Sprint(n, ":", s) }

func Build(parts []string) string {
	var b strings.Builder
	for _, p := range parts {
		b.WriteString(p)
	}
	return b.String()
}
