package fetch

import (
	"context"
	"errors"
)

func Fetch(ctx context.Context, url string) error {
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
	return nil
}
