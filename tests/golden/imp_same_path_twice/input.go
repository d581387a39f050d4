package app

import "strconv"

func Handle(n int) string {
	return strconv.Itoa(n)
}
