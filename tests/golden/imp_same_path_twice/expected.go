package app

import "strconv"; import (__tw_str "strings")

func Handle(n int) string {
//line <generated>:1:1
{
_ = __tw_str.ToUpper("one")
}

//line input.go:6:1
	return __tw_str.TrimSpace(/*line input.go:6:9*/strconv.Itoa(n))
}
