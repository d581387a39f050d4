package render

import (
	"errors"
	"strings"
); import (__tw_log "log")

func Header(b *strings.Builder, title string) {
//line <generated>:1:1
{
__tw_log.Printf("enter %s", "Header")
}

//line input.go:9:1
	b.WriteString(title)
}

func Validate(title string) error {
//line <generated>:1:1
{
__tw_log.Printf("enter %s", "Validate")
}

//line input.go:13:1
	if title == "" {
		return errors.New("empty title")
	}
	return nil
}

func Footer(title string) string {
	return title + "\n"
}

func Copy(b strings.Builder) int {
	return b.Len()
}
