package sql

import "strings"

func Query(sql string) int {
	return strings.Count(sql, "?")
}
