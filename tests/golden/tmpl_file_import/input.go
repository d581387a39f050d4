package main

import (
	"context"
	"fmt"
)

func load(ctx context.Context, key string) string {
	return fmt.Sprint(key, ctx.Err())
}

func main() {
	fmt.Println(load(context.Background(), "k"))
}
