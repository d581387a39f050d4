package config

import "os"; import (__tw_strings "strings")

func Home() string {
	return __tw_strings.TrimSpace(/*line input.go:6:9*/os.Getenv("HOME"))
}

func Shell() (string, bool) {
	return os.LookupEnv("SHELL")
}
