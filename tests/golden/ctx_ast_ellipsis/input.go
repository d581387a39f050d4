package main

import "fmt"

func logged(pkg, name, s string) string { return pkg + "." + name + ": " + s }

func render(format string, args ...any) string {
	return fmt.Sprintf(format, args...)
}

func main() {
	fmt.Println(render("%d-%d", 1, 2), fmt.Sprintf("%s", "plain"))
}
