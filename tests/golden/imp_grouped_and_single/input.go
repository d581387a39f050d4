// Package app does things.
package app

import "os"

import (
	"strings" // used below
)

func Handle(s string) string {
	return strings.TrimSpace(s) + os.Getenv("SUFFIX")
}
