package config

import "os"

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
	out = append(out, os.Getenv("HOME"))
	os := fakeEnv{}
	return append(out, os.Getenv("LATE"))
}

func Real() string {
	return os.Getenv("HOME")
}
