package files

import (
	"errors"
	"io"
)

func Read(r io.Reader) (n int, err error) {
	return 0, errors.New("empty")
}

func Parse(s string) (error, bool) {
	return nil, s != ""
}

func Both() (first error, second error) {
	return nil, nil
}
