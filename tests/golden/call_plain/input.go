package config

import "os"

func Home() string {
	return os.Getenv("HOME")
}

func Shell() (string, bool) {
	return os.LookupEnv("SHELL")
}
