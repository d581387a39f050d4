package links

import "net/url"

func Home() url.URL {
	return url.URL{Scheme: "https", Host: "Example.COM"}
}

func API() *url.URL {
	return &url.URL{
		Scheme: "https",
		Host:   "API.example.com",
		Path:   "/v1",
	}
}

func All() []url.URL {
	return []url.URL{{Host: "a"}, {Host: "b"}}
}

type other struct{ Host string }

var o = other{Host: "X"}

func withPath(u url.URL) url.URL {
	if u.Path == "" {
		u.Path = "/"
	}
	return u
}
