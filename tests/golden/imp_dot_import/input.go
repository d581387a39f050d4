package app

import . "fmt"

func Handle(n int) {
	Println(n)
}
