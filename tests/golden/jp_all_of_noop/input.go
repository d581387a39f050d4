package shop

import "errors"

func Checkout(items int) error {
	if items == 0 {
		return errors.New("empty cart")
	}
	return nil
}

func Restock(items int) int {
	return items + 10
}
