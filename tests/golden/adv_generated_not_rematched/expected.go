package env

import "os"; import (__tw_strings "strings")

func Home() string {
//line <generated>:1:1
{
_ = os.Getenv("DEBUG")
}

//line input.go:6:1
	return __tw_strings.TrimSpace(os.Getenv(/*line input.go:6:19*/"HOME"))
}
