package config

import "os"

type fakeEnv struct{}

func (fakeEnv) Getenv(key string) string { return "fake-" + key }

func Fake() string {
	os := fakeEnv{}
	return os.Getenv("HOME")
}

func FakeParam(os fakeEnv) string {
	return os.Getenv("HOME")
}

func Real() bool {
	_, ok := os.LookupEnv("HOME")
	return ok
}
