// spans exercises //weave:span: the context sources (context.Context, *http.Request, none),
// directive attributes and span.name, error results, methods and function literals.
// Plain Go: it builds and runs without toolweave (and then exports nothing).
package main

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
)

//weave:span
func main() {
	ctx := context.Background()
	_ = fetch(ctx, 1)
	_ = fetch(ctx, 0)
	serve()
	//weave:span span.name:named-literal
	func() {}()
	//weave:span
	func() {}()
	_, _ = twoResults(nil, 5)
}

// fetch fails for id 0; its callee must see fetch's span as parent.
//
//weave:span item.kind:widget "note:two words"
func fetch(ctx context.Context, id int) error {
	inner(ctx)
	if id == 0 {
		return errors.New("no such item")
	}
	return nil
}

//weave:span span.name:inner-op
func inner(ctx context.Context) {}

type api struct{}

// ServeHTTP's *http.Request is re-bound, so r.Context() carries its span.
//
//weave:span
func (a *api) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	inner(r.Context())
	w.WriteHeader(http.StatusNoContent)
}

func serve() {
	(&api{}).ServeHTTP(httptest.NewRecorder(), httptest.NewRequest("GET", "/items", nil))
}

// twoResults has unnamed results (the weave names them) and an unnamed, nil context.
//
//weave:span
func twoResults(_ context.Context, n int) (int, error) {
	if n > 3 {
		return 0, errors.New("too big")
	}
	return n, nil
}
