package settings

import "os"; import (__tw_tracer "example.com/tracer")

func Home() string {
	return __tw_tracer.Getenv/*line input.go:6:18*/("HOME")
}

func Args() []string {
	return os.Args
}
