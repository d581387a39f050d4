package app

import . "fmt"; import (__tw_fmt "fmt")

func Handle(n int) {
//line <generated>:1:1
{
__tw_fmt.Println("enter Handle")
}

//line input.go:6:1
	Println(n)
}
