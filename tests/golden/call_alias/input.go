package config

import (
	env "os"
	"strings"
)

func Path() []string {
	return strings.Split(env.Getenv("PATH"), ":")
}
