package main

import (
	stdctx "context"
	"fmt"
)

func load(ctx stdctx.Context, key string) string {
	return fmt.Sprint(key, ctx.Err())
}

func main() {
	fmt.Println(load(stdctx.Background(), "k"))
}
