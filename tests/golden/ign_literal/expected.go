package env

import "os"; import (__tw_strings "strings")

func Hooks() []func() string {
//line <generated>:1:1
{
println("enter")
}

//line input.go:6:1
	return []func() string{
		//weave:ignore
		func() string { return os.Getenv("A") },
		func() string {
//line <generated>:1:1
{
println("enter")
}
/*line input.go:9:18*/ return __tw_strings.TrimSpace(/*line input.go:9:26*/os.Getenv("B"))/*line input.go:9:40*/ },
	}
}
