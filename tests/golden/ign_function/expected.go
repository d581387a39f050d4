package env

import "os"; import (__tw_strings "strings")

//weave:ignore
func A() string {
	return os.Getenv("A")
}

// B is skipped too.
//orchestrion:ignore because it is hot
func B() string {
	return os.Getenv("B")
}

//weave:ignored is not the directive
func C() string {
//line <generated>:1:1
{
println("enter")
}

//line input.go:18:1
	return __tw_strings.TrimSpace(/*line input.go:18:9*/os.Getenv("C"))
}
