// Package nethttp is the runtime side of toolweave's net/http integration: every request of
// every http.Server and every http.Client goes through contrib's otelhttp, with no change
// to the program's code.
//
// In a woven build the weaver adds three declarations to the standard library's net/http,
//
//	type ToolweaveServed struct{} // context key: the request is inside toolweave's server span
//	var ToolweaveServerHook func(rw ResponseWriter, req *Request, next func(ResponseWriter, *Request))
//	var ToolweaveClientHook func(rt RoundTripper) RoundTripper
//
// calls ToolweaveServerHook at the top of serverHandler.ServeHTTP (unless the request
// context already holds ToolweaveServed) and passes the RoundTripper of every Client
// request through ToolweaveClientHook at the top of net/http's send. The package
// toolweave.dev/runtime/nethttp/_register, which the weaver links into every binary whose
// net/http is woven, sets both hooks from this package in its init.
//
// This package never names those woven identifiers, so it compiles and is tested against
// the plain standard library. _register cannot: it exists only for woven builds. Its
// directory name starts with "_", so `go build/vet/test ./...` of this module skip it while
// an explicit import still compiles it (the go command ignores such directories only in
// wildcard patterns).
//
// Spans, W3C trace context (through the global propagator bootstrap installs) and the
// http.server.request.duration / http.client.request.duration metrics all come from
// otelhttp; this package only routes requests through one shared otelhttp handler and one
// shared otelhttp transport, built once, and adds the ServeMux route.
package nethttp

import (
	"context"
	"net/http"
	"strings"
	"sync"

	"go.opentelemetry.io/contrib/instrumentation/net/http/otelhttp"
	semconv "go.opentelemetry.io/otel/semconv/v1.43.0"
	"go.opentelemetry.io/otel/trace"
)

// ctxKey is the context key under which a request records that it is inside a server span
// of ours. Its value is a serverNext (the rest of net/http's serving, for dispatch) or
// ownSpan (a span NewHandler started itself).
type ctxKey struct{}

type (
	serverNext func(http.ResponseWriter, *http.Request)
	ownSpan    struct{}
)

// Served reports whether ctx belongs to a request that is already inside a server span of
// toolweave's (the net/http server hook's or NewHandler's). Other integrations use it to
// leave the span to that layer (one span owner per layer).
func Served(ctx context.Context) bool {
	return ctx != nil && ctx.Value(ctxKey{}) != nil
}

// server is the one otelhttp handler every hooked request goes through. It is built on
// first use (after bootstrap has set the globals, though the global providers forward to
// the SDK either way) and never per request: per request we only add context values.
var server = sync.OnceValue(func() http.Handler {
	return otelhttp.NewHandler(http.HandlerFunc(dispatch), "")
})

// NewServerHook returns the function for net/http's ToolweaveServerHook. mark must add
// net/http's ToolweaveServed key to a context (the register package supplies
// `context.WithValue(ctx, http.ToolweaveServed{}, true)`): next re-enters
// serverHandler.ServeHTTP, which must then see the mark and serve instead of calling the
// hook again. A nil mark panics, because it would recurse forever.
//
// The hook serves the request through the shared otelhttp handler, whose inner handler
// calls next with the request otelhttp made (the one carrying the span). After next
// returns, a ServeMux pattern on that request names the span "METHOD /route" and sets
// http.route on the span and on the request metrics.
func NewServerHook(mark func(context.Context) context.Context) func(http.ResponseWriter, *http.Request, func(http.ResponseWriter, *http.Request)) {
	if mark == nil {
		panic("nethttp: NewServerHook needs a mark function")
	}
	return func(w http.ResponseWriter, r *http.Request, next func(http.ResponseWriter, *http.Request)) {
		ctx := mark(context.WithValue(r.Context(), ctxKey{}, serverNext(next)))
		r2 := r.WithContext(ctx)
		defer keepMultipartForm(r, r2)
		server().ServeHTTP(w, r2)
	}
}

// keepMultipartForm hands a form parsed on the copy r2 back to r, the request net/http
// holds, so that the server removes the form's temporary files (otelhttp does the same
// for the copy it makes).
func keepMultipartForm(r, r2 *http.Request) {
	if r2.MultipartForm != nil {
		r.MultipartForm = r2.MultipartForm
	}
}

// dispatch is the shared handler's inner handler: it calls the next of the request being
// served. r is the request otelhttp passes on and inspects afterwards, so a ServeMux
// further down sets r.Pattern on exactly this object.
func dispatch(w http.ResponseWriter, r *http.Request) {
	next, _ := r.Context().Value(ctxKey{}).(serverNext)
	if next == nil { // only if someone calls the shared handler without the hook
		http.Error(w, "toolweave: request without a handler", http.StatusInternalServerError)
		return
	}
	next(w, r)
	if r.Pattern != "" {
		annotateRoute(r)
	}
}

// annotateRoute records http.route on the server span. otelhttp v0.72 (the oldest version
// the runtime accepts) names the span "{METHOD} {route}" and puts http.route on
// http.server.request.duration itself once a ServeMux has set the pattern, but leaves the
// span attribute out: the route is unknown when it builds the span's attributes.
func annotateRoute(r *http.Request) {
	route := routeOf(r.Pattern)
	if route == "" {
		return
	}
	if span := trace.SpanFromContext(r.Context()); span.IsRecording() {
		span.SetAttributes(semconv.HTTPRoute(route))
	}
}

// routeOf is http.route for a ServeMux pattern "[METHOD ][HOST]/PATH": the path part.
func routeOf(pattern string) string {
	if i := strings.IndexByte(pattern, '/'); i >= 0 {
		return pattern[i:]
	}
	return ""
}

// NewHandler has otelhttp.NewHandler's signature; the weaver replaces a program's own
// otelhttp.NewHandler calls with it. The otelhttp handler is built once, here. Per request:
// inside a server span of ours (the net/http hook's, or an outer NewHandler's) it calls h
// directly, so the request keeps one server span (a ServeMux in h still names that span
// after its route). Otherwise it serves through otelhttp as the program asked, marking the
// request so that nested handlers of ours do not start a second span.
//
// When h runs inside our span, the options and operation given here do not apply to it
// (filters, span name formatters, public-endpoint rules, metric attribute functions): the
// span is the hook's, named as otelhttp names it by default ("METHOD /route"). Renaming it
// to operation would not match what otelhttp does either, since by default it ignores the
// operation for span names.
func NewHandler(h http.Handler, operation string, opts ...otelhttp.Option) http.Handler {
	return &handler{h: h, traced: otelhttp.NewHandler(h, operation, opts...)}
}

// NewMiddleware has otelhttp.NewMiddleware's signature and NewHandler's behaviour.
func NewMiddleware(operation string, opts ...otelhttp.Option) func(http.Handler) http.Handler {
	return func(h http.Handler) http.Handler { return NewHandler(h, operation, opts...) }
}

type handler struct {
	h      http.Handler // the program's handler
	traced http.Handler // otelhttp around h, built once
}

func (x *handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if Served(r.Context()) {
		x.h.ServeHTTP(w, r)
		return
	}
	// The mark goes in before otelhttp, so the request otelhttp gives h (and inspects for
	// r.Pattern afterwards) is the marked one.
	r2 := r.WithContext(context.WithValue(r.Context(), ctxKey{}, ownSpan{}))
	defer keepMultipartForm(r, r2)
	x.traced.ServeHTTP(w, r2)
}

// clientBase is the context key under which a client request carries its real
// RoundTripper through the shared otelhttp transport.
type clientBase struct{}

// client is the one otelhttp transport every hooked client request goes through; its base
// takes the request's own RoundTripper from the context.
var client = sync.OnceValue(func() *otelhttp.Transport {
	return otelhttp.NewTransport(roundTripFunc(func(r *http.Request) (*http.Response, error) {
		base, _ := r.Context().Value(clientBase{}).(http.RoundTripper)
		if base == nil { // only if someone calls the shared transport directly
			base = http.DefaultTransport
		}
		return base.RoundTrip(r)
	}))
})

type roundTripFunc func(*http.Request) (*http.Response, error)

func (f roundTripFunc) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }

// WrapTransport is net/http's ToolweaveClientHook: it runs for every Client request, so all
// it does is put rt in a small wrapper (one 16-byte allocation; no instruments, no otelhttp
// configuration). An *otelhttp.Transport (a client instrumented by hand)
// and a transport it already wrapped are returned unchanged.
//
// Requests of the OpenTelemetry SDK's own OTLP exporters (recognised by their User-Agent)
// go straight to rt: a traced export would start a new trace every batch, forever. All other
// requests go through one shared otelhttp transport, which starts the client span, injects
// the propagator's headers (traceparent) into a copy of the request and records
// http.client.request.duration; the span ends when the response body is closed or read to
// EOF. http.DefaultTransport itself is never replaced (code that does
// http.DefaultTransport.(*http.Transport).Clone() keeps working).
func WrapTransport(rt http.RoundTripper) http.RoundTripper {
	switch rt.(type) {
	case nil, *otelhttp.Transport, *transport:
		return rt
	}
	return &transport{base: rt}
}

type transport struct{ base http.RoundTripper }

func (t *transport) RoundTrip(r *http.Request) (*http.Response, error) {
	if isExporter(r) {
		return t.base.RoundTrip(r)
	}
	return client().RoundTrip(r.WithContext(context.WithValue(r.Context(), clientBase{}, t.base)))
}

// isExporter recognises the OTLP exporters of OpenTelemetry Go by their User-Agent:
// "OTel OTLP Exporter Go/…" (traces) and "OTel Go OTLP over HTTP/protobuf … exporter/…"
// (metrics, logs).
func isExporter(r *http.Request) bool {
	ua := r.Header["User-Agent"]
	return len(ua) > 0 && (strings.HasPrefix(ua[0], "OTel OTLP Exporter Go") || strings.HasPrefix(ua[0], "OTel Go OTLP"))
}
