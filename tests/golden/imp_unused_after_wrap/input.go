package app

import (
	"fmt"
	"os"
)

func fixedHost() (string, error) { return "localhost", nil }

func Describe() string {
	name, err := os.Hostname()
	return fmt.Sprint(name, err)
}
