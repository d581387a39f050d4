package main

import (
	"fmt"
	_ "image/gif"
)

func main() {
	fmt.Println("images")
}
