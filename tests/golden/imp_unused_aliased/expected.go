package app

import (
	"fmt"
	_ "os"
)

func fixedHost() (string, error) { return "localhost", nil }

func Describe() string {
	name, err := fixedHost()
	return fmt.Sprint(name, err)
}
