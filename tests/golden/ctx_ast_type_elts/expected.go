package links

import "net/url"

func withQuery(u *url.URL) *url.URL {
	u.RawQuery = "v=1"
	return u
}

func Home() url.URL {
	return url.URL{/*line input.go:11:17*/Scheme: "https", /*line input.go:11:34*/Host: "example.com", Path: "/"}
}

func API() *url.URL {
	return withQuery(&/*line input.go:15:10*/url.URL{Scheme: "https", Host: "api.example.com"})
}
