package main

import (
	"fmt"
	_ "image/gif"
); import (_ "embed"; _ "image/png")

func main() {
	fmt.Println("images")
}
