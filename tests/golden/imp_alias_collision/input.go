package app

import (
	__tw_fmt "errors"
)

var __tw_fmt2 = 2

func Handle(n int) error {
	__tw_fmt3 := n + __tw_fmt2
	return __tw_fmt.New(string(rune(__tw_fmt3)))
}
