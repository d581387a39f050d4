package app

import "fmt"; import (__tw_fmt "fmt")

func Describe(n int) string {
	return fmt.Sprint(n)
}

func Handle(fmt string) string {
//line <generated>:1:1
{
__tw_fmt.Println("enter Handle")
}

//line input.go:10:1
	return fmt + "!"
}
