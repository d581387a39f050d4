package app

import _ "fmt"

func Handle(n int) {
	println(n)
}
