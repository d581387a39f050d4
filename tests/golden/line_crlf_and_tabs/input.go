package app

import "strconv"

func Compute(n int) string {
	return strconv.Itoa(n)
}
