package worker

import (
	"context"
	"errors"
); import (__tw_log "log")

func Run(ctx context.Context, n int) (__tw_res0 /*line input.go:8:38*/error)/*line input.go:8:43*/ {
//line <generated>:1:1
{

if err := ctx.Err(); err != nil {
    __tw_log.Print("cancelled before start: ", err)
}
defer func() { __tw_log.Print("result: ", __tw_res0) }()
}

//line input.go:9:1
	if n < 0 {
		return errors.New("negative")
	}
	return nil
}

func Start(__tw_arg0/*line input.go:15:13*/ context.Context) {
//line <generated>:1:1
{

if err := __tw_arg0.Err(); err != nil {
    __tw_log.Print("cancelled before start: ", err)
}
}

//line input.go:16:1
}

func Check(n int) (__tw_res0 /*line input.go:18:20*/int, __tw_res1 /*line input.go:18:25*/error) {
//line <generated>:1:1
{

defer func() { __tw_log.Print("result: ", __tw_res1) }()
}

//line input.go:19:1
	return n, nil
}
