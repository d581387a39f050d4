package db

import "strings"

func Query(sql string) int {
	return strings.Count(sql, "?")
}
