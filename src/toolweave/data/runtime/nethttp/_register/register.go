// Package register switches on toolweave's net/http integration: its init sets the hooks
// the weaver adds to the standard library's net/http to the functions of
// toolweave.dev/runtime/nethttp.
//
// It compiles only in a woven build, where net/http declares ToolweaveServe,
// ToolweaveMarkServed, ToolweaveIsServed, ToolweaveServerHook and ToolweaveClientHook; the
// weaver links it (a blank import) into every binary whose net/http is woven. That is why its directory starts with "_": the
// go command leaves such directories out of `./...`, so `go vet ./...` and `go test ./...`
// of the runtime module stay plain, while the explicit import path
// toolweave.dev/runtime/nethttp/_register still builds.
package register

import (
	"net/http"

	"toolweave.dev/runtime/nethttp"
)

func init() {
	http.ToolweaveServerHook = nethttp.Install(nethttp.Woven{
		Serve:      http.ToolweaveServe,
		MarkServed: http.ToolweaveMarkServed,
		IsServed:   http.ToolweaveIsServed,
	})
	http.ToolweaveClientHook = nethttp.WrapTransport
}
