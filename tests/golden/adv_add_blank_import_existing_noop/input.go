package main

import (
	"fmt"
	_ "image/gif"
	"image/png"
)

func main() {
	fmt.Println(png.BestCompression)
}
