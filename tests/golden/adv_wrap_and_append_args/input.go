package paths

import (
	"path"
	"strings"
)

func Page(parts []string) string {
	return path.Join(strings.Join(parts, "/"), "docs")
}
