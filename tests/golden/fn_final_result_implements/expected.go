package files

import (
	"errors"
	"io"
); import (__tw_log "log")

func Open(name string) (io.Reader, error) {
//line <generated>:1:1
{
__tw_log.Printf("enter %s", "Open")
}

//line input.go:9:1
	return nil, errors.New("not found")
}

func Parse(r io.Reader) (int, error, bool) {
	return 0, nil, r != nil
}

func Size(name string) int {
	return len(name)
}

func Check(err error) bool {
	return err == nil
}
