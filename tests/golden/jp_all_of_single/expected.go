package main

import "fmt"

func main() {
	func() { /*line input.go:6:2*/fmt.Println("hello") }()
}
