package main

func step(n int) int { return n + 1 }

func traced(name, path string, v int) int { println(name, path); return v }

func main() {
	println(traced("step", "", /*line input.go:8:10*/step(41))/*line input.go:8:18*/)
}
