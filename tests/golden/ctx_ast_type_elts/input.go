package links

import "net/url"

func withQuery(u *url.URL) *url.URL {
	u.RawQuery = "v=1"
	return u
}

func Home() url.URL {
	return url.URL{Scheme: "https", Host: "example.com"}
}

func API() *url.URL {
	return &url.URL{Scheme: "https", Host: "api.example.com"}
}
