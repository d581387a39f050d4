package shop

import "errors"; import (__tw_log "log")

func Checkout(items int) error {
//line <generated>:1:1
{
__tw_log.Printf("enter %s", "Checkout")
}

//line input.go:6:1
	if items == 0 {
		return errors.New("empty cart")
	}
	return nil
}

func Restock(items int) int {
	return items + 10
}
