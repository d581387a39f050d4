package fetch

import (
	"context"
	"errors"
); import (__tw_log "log")

func Fetch(ctx context.Context, url string) error {
//line <generated>:1:1
{
__tw_log.Printf("enter %s", "Fetch")
}

//line input.go:9:1
	if ctx.Err() != nil {
		return ctx.Err()
	}
	return nil
}

func FetchN(ctx context.Context, url string, n int) error {
	return Fetch(ctx, url)
}

func FetchBody(ctx context.Context, url string) ([]byte, error) {
	return nil, errors.New("no body")
}

func Close(context.Context, string) error {
//line <generated>:1:1
{
__tw_log.Printf("enter %s", "Close")
}

//line input.go:24:1
	return nil
}
