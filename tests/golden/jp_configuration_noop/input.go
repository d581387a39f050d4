package main

import "fmt"

func main() {
	fmt.Println(greet("gopher"))
}

func greet(name string) string {
	return "hello, " + name
}
