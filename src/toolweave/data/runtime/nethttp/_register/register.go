// Package register switches on toolweave's net/http integration: its init sets the hooks
// the weaver adds to the standard library's net/http to the functions of
// toolweave.dev/runtime/nethttp.
//
// It compiles only in a woven build, where net/http declares ToolweaveServed,
// ToolweaveServerHook and ToolweaveClientHook; the weaver links it (a blank import) into
// every binary whose net/http is woven. That is why its directory starts with "_": the
// go command leaves such directories out of `./...`, so `go vet ./...` and `go test ./...`
// of the runtime module stay plain, while the explicit import path
// toolweave.dev/runtime/nethttp/_register still builds.
package register

import (
	"context"
	"net/http"

	"toolweave.dev/runtime/nethttp"
)

func init() {
	http.ToolweaveServerHook = nethttp.NewServerHook(mark)
	http.ToolweaveClientHook = nethttp.WrapTransport
}

// mark puts net/http's own marker into the context of the request the hook passes on, so
// serverHandler.ServeHTTP serves it instead of calling the hook again, and a nested server
// handling the same request does not start a second span.
func mark(ctx context.Context) context.Context {
	return context.WithValue(ctx, http.ToolweaveServed{}, true)
}
