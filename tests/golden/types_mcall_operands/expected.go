package main

import "net/http"

type service struct {
	client *http.Client
}

var clients = map[string]*http.Client{"default": http.DefaultClient}

func newClient() *http.Client { return &http.Client{} }

func traced(resp *http.Response, err error) (*http.Response, error) { return resp, err }

type doer interface {
	Do(*http.Request) (*http.Response, error)
}

func (s *service) fetch(req *http.Request, d doer) {
	_, _ = traced(/*line input.go:20:9*/s.client.Do(req))
	_, _ = traced(/*line input.go:21:9*/newClient().Do(req))
	_, _ = traced(/*line input.go:22:9*/http.DefaultClient.Do(req))
	_, _ = traced(/*line input.go:23:9*/clients["default"].Do(req))
	_, _ = d.Do(req) // an interface's method: not *http.Client's
}

func main() {
	req, _ := http.NewRequest("GET", "http://127.0.0.1:1/", nil)
	(&service{client: newClient()}).fetch(req, http.DefaultClient)
}
