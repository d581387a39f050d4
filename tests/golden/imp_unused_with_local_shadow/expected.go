package app

import _ "os"

type fakeOS struct{}

func (fakeOS) Hostname() (string, error) { return "fake", nil }

func fixedHost() (string, error) { return "localhost", nil }

func Real() (string, error) {
	return fixedHost()
}

func Fake() (string, error) {
	os := fakeOS{}
	return os.Hostname()
}
