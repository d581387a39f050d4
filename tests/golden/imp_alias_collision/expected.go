package app

import (
	__tw_fmt "errors"
); import (__tw_fmt4 "fmt")

var __tw_fmt2 = 2

func Handle(n int) error {
//line <generated>:1:1
{
__tw_fmt4.Println("enter Handle")
}

//line input.go:10:1
	__tw_fmt3 := n + __tw_fmt2
	return __tw_fmt.New(string(rune(__tw_fmt3)))
}
