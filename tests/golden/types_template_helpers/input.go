package main

import "context"

type Ctx = context.Context

type requestContext struct {
	context.Context
	user string
}

func handle(rc *requestContext, id int, ctx Ctx) {}

func main() {
	handle(&requestContext{Context: context.Background()}, 1, context.Background())
}
