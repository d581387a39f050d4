package main

import (
	stdctx "context"
	"fmt"
); import (__tw_time "time")

func load(ctx stdctx.Context, key string) string {
//line <generated>:1:1
{
var cancel stdctx.CancelFunc
ctx, cancel = stdctx.WithTimeout(ctx, __tw_time.Second)
defer cancel()
}

//line input.go:9:1
	return fmt.Sprint(key, ctx.Err())
}

func main() {
	fmt.Println(load(stdctx.Background(), "k"))
}
