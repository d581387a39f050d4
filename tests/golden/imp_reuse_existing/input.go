package app

import "fmt"

func Handle(n int) {
	fmt.Println(n)
}
