package main

import "fmt"

func run() {
	fmt.Print("run body")
}

func main() { run() }
