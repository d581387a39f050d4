package app

import "os"

type fakeOS struct{}

func (fakeOS) Hostname() (string, error) { return "fake", nil }

func fixedHost() (string, error) { return "localhost", nil }

func Real() (string, error) {
	return os.Hostname()
}

func Fake() (string, error) {
	os := fakeOS{}
	return os.Hostname()
}
