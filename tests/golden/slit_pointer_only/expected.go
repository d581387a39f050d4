package links

import (
	"net/url"
	"strings"
)

func Home() url.URL {
	return url.URL{Scheme: "https", Host: "Example.COM"}
}

func API() *url.URL {
	return normalize(/*line input.go:13:9*/&url.URL{
		Scheme: "https",
		Host:   "API.example.com",
		Path:   "/v1",
	})
}

func All() []url.URL {
	return []url.URL{{Host: "a"}, {Host: "b"}}
}

type other struct{ Host string }

var o = other{Host: "X"}

func normalize(u *url.URL) *url.URL {
	u.Host = strings.ToLower(u.Host)
	return u
}
