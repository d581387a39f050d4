package links

import (
	"net/url"
	"strings"
)

var Mirrors = []url.URL{{Host: "A"}, {Scheme: "http", Host: "B"}}

var ByName = map[string]*url.URL{"c": {Host: "C"}}

var Grid = [][2]url.URL{{{Host: "D"}, {Host: "E"}}}

type other struct{ Host string }

var Others = []other{{Host: "F"}}

var _ = strings.ToLower
