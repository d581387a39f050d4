package report

import (
	"fmt"
	"os"
	"strings"
)

func typed(kinds []string, s string) string { return strings.Join(kinds, ",") + s }

func Lines(name string, count int) []string {
	return []string{
		fmt.Sprintf("%s=%d", "a", 1),
		fmt.Sprintf("%s=%d", name, count),
		fmt.Sprintf("%s %v %v", strings.ToUpper(name), os.Args, -count),
	}
}
