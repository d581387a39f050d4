package settings

import (
	"fmt"
	_ "os"
); import (__tw_tracer "example.com/tracer")

func Describe() string {
	return fmt.Sprintf("home=%s user=%s", __tw_tracer.Getenv/*line input.go:9:49*/("HOME"), __tw_tracer.Getenv/*line input.go:9:68*/("USER"))
}
