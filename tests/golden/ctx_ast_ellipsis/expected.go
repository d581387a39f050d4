package main

import "fmt"

func logged(pkg, name, s string) string { return pkg + "." + name + ": " + s }

func render(format string, args ...any) string {
	return logged("fmt", "Sprintf", /*line input.go:8:9*/fmt.Sprintf(/*line input.go:8:21*/format, /*line input.go:8:29*/args...))
}

func main() {
	fmt.Println(render("%d-%d", 1, 2), logged("fmt", "Sprintf", /*line input.go:12:37*/fmt.Sprintf(/*line input.go:12:49*/"%s", /*line input.go:12:55*/"plain"))/*line input.go:12:63*/)
}
