package settings

import "os"

func Home() string {
	return os.Getenv("HOME")
}

func Args() []string {
	return os.Args
}
