package main

func step(n int) int { return n + 1 }

func traced(name, path string, v int) int { println(name, path); return v }

func main() {
	println(step(41))
}
