package main

import "fmt"

func main() {
//line <generated>:1:1
{
fmt.Println("instrumented")
}

//line input.go:6:1
	fmt.Println(greet("gopher"))
}

func greet(name string) string {
	return "hello, " + name
}
