package config

import . "os"; import (__tw_strings "strings")

func User() string {
	return __tw_strings.TrimSpace(/*line input.go:6:9*/Getenv("USER"))
}

func Pid() int {
	return Getpid()
}
