package main

func describe() string { return "shape" }

func main() { _ = describe() }

// The file ends with a type declaration and no newline: valid Go.
type Shape struct{ Sides int }