package main

import "context"

type Ctx = context.Context

type requestContext struct {
	context.Context
	user string
}

func handle(rc *requestContext, id int, ctx Ctx) {
//line <generated>:1:1
{
println("of type:", "ctx", "implements:", "rc")
}
/*line input.go:12:51*/}

func main() {
	handle(&requestContext{Context: context.Background()}, 1, context.Background())
}
