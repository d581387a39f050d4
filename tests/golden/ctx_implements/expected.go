package files

import (
	"errors"
	"io"
); import (__tw_log "log")

func Read(r io.Reader) (n int, err error) {
//line <generated>:1:1
{
defer func() {
    __tw_log.Print("last result ", err)
    __tw_log.Print("reader ", r)
}()
}

//line input.go:9:1
	return 0, errors.New("empty")
}

func Parse(s string) (__tw_res0 /*line input.go:12:23*/error, __tw_res1 /*line input.go:12:30*/bool) {
//line <generated>:1:1
{
defer func() {
    __tw_log.Print("some result ", __tw_res0)
}()
}

//line input.go:13:1
	return nil, s != ""
}

func Both() (first error, second error) {
//line <generated>:1:1
{
defer func() {
    __tw_log.Print("last result ", second)
}()
}

//line input.go:17:1
	return nil, nil
}
