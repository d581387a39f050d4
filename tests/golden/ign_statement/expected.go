package env

import "os"; import (__tw_strings "strings")

func Lookup() []string {
//line <generated>:1:1
{
println("enter")
}

//line input.go:6:1
	//weave:ignore
	first := os.Getenv("FIRST")
	second := __tw_strings.TrimSpace(/*line input.go:8:12*/os.Getenv("SECOND"))
	//orchestrion:ignore
	third := os.Getenv("THIRD")
	return []string{first, second, third, __tw_strings.TrimSpace(/*line input.go:11:40*/os.Getenv("FOURTH"))/*line input.go:11:59*/}
}
