package main

func handle(n int) int { return n * 2 }

func main() { println(handle(21)) }
