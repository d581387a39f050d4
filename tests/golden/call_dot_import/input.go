package config

import . "os"

func User() string {
	return Getenv("USER")
}

func Pid() int {
	return Getpid()
}
