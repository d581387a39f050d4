package app

import (
	"errors"
	f "fmt"
)

func Handle(n int) error {
	f.Println(n)
	return errors.New("done")
}
