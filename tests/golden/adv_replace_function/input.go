package settings

import (
	"fmt"
	"os"
)

func Describe() string {
	return fmt.Sprintf("home=%s user=%s", os.Getenv("HOME"), os.Getenv("USER"))
}
