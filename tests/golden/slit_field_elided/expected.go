package links

import (
	"net/url"
	"strings"
)

var Mirrors = []url.URL{{Host: strings.ToLower(/*line input.go:8:32*/"A")/*line input.go:8:35*/}, {Scheme: "http", Host: strings.ToLower(/*line input.go:8:61*/"B")/*line input.go:8:64*/}}

var ByName = map[string]*url.URL{"c": {Host: strings.ToLower(/*line input.go:10:46*/"C")/*line input.go:10:49*/}}

var Grid = [][2]url.URL{{{Host: strings.ToLower(/*line input.go:12:33*/"D")/*line input.go:12:36*/}, {Host: strings.ToLower(/*line input.go:12:46*/"E")/*line input.go:12:49*/}}}

type other struct{ Host string }

var Others = []other{{Host: "F"}}

var _ = strings.ToLower
