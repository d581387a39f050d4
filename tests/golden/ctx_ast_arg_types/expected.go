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
		typed([]string{"*ast.BasicLit", "*ast.Ident", "*ast.Ident"}, /*line input.go:14:3*/fmt.Sprintf("%s=%d", name, count))/*line input.go:14:36*/,
		typed([]string{"*ast.BasicLit", "*ast.CallExpr", "*ast.Ident", "*ast.UnaryExpr"}, /*line input.go:15:3*/fmt.Sprintf("%s %v %v", strings.ToUpper(name), os.Args, -count))/*line input.go:15:66*/,
	}
}
