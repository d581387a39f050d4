package main

import "fmt"

func run() {
//line <generated>:1:1
{
fmt.Println("run")
}

//line input.go:6:1
	fmt.Print("run body")
}

func main() { run() }
