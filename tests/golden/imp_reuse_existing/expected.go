package app

import "fmt"

func Handle(n int) {
//line <generated>:1:1
{
fmt.Println("enter Handle")
}

//line input.go:6:1
	fmt.Println(n)
}
