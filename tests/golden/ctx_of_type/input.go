package worker

import (
	"context"
	"errors"
)

func Run(ctx context.Context, n int) error {
	if n < 0 {
		return errors.New("negative")
	}
	return nil
}

func Start(_ context.Context) {
}

func Check(n int) (int, error) {
	return n, nil
}
