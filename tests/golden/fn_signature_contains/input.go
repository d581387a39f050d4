package render

import (
	"errors"
	"strings"
)

func Header(b *strings.Builder, title string) {
	b.WriteString(title)
}

func Validate(title string) error {
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
