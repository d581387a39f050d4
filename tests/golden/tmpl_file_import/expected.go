package main

import (
	"context"
	"fmt"
); import (__tw_time "time")

func load(ctx context.Context, key string) string {
//line <generated>:1:1
{
var cancel context.CancelFunc
ctx, cancel = context.WithTimeout(ctx, __tw_time.Second)
defer cancel()
}

//line input.go:9:1
	return fmt.Sprint(key, ctx.Err())
}

func main() {
	fmt.Println(load(context.Background(), "k"))
}
