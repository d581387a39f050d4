package config

import (
	env "os"
	"strings"
)

func Path() []string {
	return strings.Split(strings.TrimSpace(/*line input.go:9:23*/env.Getenv("PATH"))/*line input.go:9:41*/, ":")
}
