package config

import "os"; import (__tw_strings "strings")

type fakeEnv struct{}

func (fakeEnv) Getenv(key string) string { return "fake-" + key }

func Lookup(keys []string) []string {
	var out []string
	for _, os := range []fakeEnv{{}} {
		out = append(out, os.Getenv(keys[0]))
	}
	if os := (fakeEnv{}); len(keys) > 1 {
		out = append(out, os.Getenv(keys[1]))
	}
	out = append(out, __tw_strings.TrimSpace(/*line input.go:17:20*/os.Getenv("HOME"))/*line input.go:17:37*/)
	os := fakeEnv{}
	return append(out, os.Getenv("LATE"))
}

func Real() string {
	return __tw_strings.TrimSpace(/*line input.go:23:9*/os.Getenv("HOME"))
}
