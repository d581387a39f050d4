package app

import "fmt"

func Describe(n int) string {
	return fmt.Sprint(n)
}

func Handle(fmt string) string {
	return fmt + "!"
}
