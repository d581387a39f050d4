package app

import (
	"errors"
	f "fmt"
)

func Handle(n int) error {
//line <generated>:1:1
{
f.Println("enter Handle")
}

//line input.go:9:1
	f.Println(n)
	return errors.New("done")
}
