package paths

import (
	"path"
	"strings"
)

func Page(parts []string) string {
	return path.Clean(/*line input.go:9:9*/path.Join(strings.ToUpper(/*line input.go:9:19*/strings.Join(parts, "/"))/*line input.go:9:43*/, "docs", "index.html"/*line input.go:9:51*/))
}
