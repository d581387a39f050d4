package links

import "net/url"; import (__tw_strings "strings")

func Home() url.URL {
	return url.URL{Scheme: "https", Host: __tw_strings.ToLower(/*line input.go:6:40*/"Example.COM")/*line input.go:6:53*/}
}

func API() *url.URL {
	return &url.URL{
		Scheme: "https",
		Host:   __tw_strings.ToLower(/*line input.go:12:11*/"API.example.com")/*line input.go:12:28*/,
		Path:   "/v1",
	}
}

func All() []url.URL {
	return []url.URL{{Host: __tw_strings.ToLower(/*line input.go:18:26*/"a")/*line input.go:18:29*/}, {Host: __tw_strings.ToLower(/*line input.go:18:39*/"b")/*line input.go:18:42*/}}
}

type other struct{ Host string }

var o = other{Host: "X"}
