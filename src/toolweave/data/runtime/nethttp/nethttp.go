// Package nethttp is the runtime side of toolweave's net/http integration: every request of
// every http.Server and every http.Client goes through contrib's otelhttp, with no change
// to the program's code.
//
// In a woven build the weaver adds to the standard library's net/http a field and a few
// declarations,
//
//	toolweaveServed bool // in Request: the request is inside toolweave's server span
//	func ToolweaveServe(srv *Server, rw ResponseWriter, req *Request) // marks req, then serves it as srv would
//	func ToolweaveMarkServed(req *Request)
//	func ToolweaveIsServed(req *Request) bool
//	var ToolweaveServerHook func(rw ResponseWriter, req *Request, srv *Server)
//	var ToolweaveClientHook func(rt RoundTripper) RoundTripper
//
// calls ToolweaveServerHook at the top of serverHandler.ServeHTTP (unless req is marked)
// and passes the RoundTripper of every Client request through ToolweaveClientHook at the
// top of net/http's send. The package toolweave.dev/runtime/nethttp/_register, which the
// weaver links into every binary whose net/http is woven, hands the functions to Install
// and sets both hooks in its init.
//
// This package never names those woven identifiers, so it compiles and is tested against
// the plain standard library. _register cannot: it exists only for woven builds. Its
// directory name starts with "_", so `go build/vet/test ./...` of this module skip it while
// an explicit import still compiles it (the go command ignores such directories only in
// wildcard patterns).
//
// Spans, W3C trace context (through the global propagator bootstrap installs) and the
// http.server.request.duration / http.client.request.duration metrics all come from
// otelhttp. Per request this package adds no allocation of its own on the server side (the
// mark is a field, the server is found in the context net/http already built) and none on
// the client side for an *http.Transport (one otelhttp transport per live base transport).
package nethttp

import (
	"context"
	"errors"
	"net/http"
	"runtime"
	"strings"
	"sync"
	"unsafe"
	"weak"

	"go.opentelemetry.io/contrib/instrumentation/net/http/otelhttp"
	"go.opentelemetry.io/otel/attribute"
	semconv "go.opentelemetry.io/otel/semconv/v1.43.0"
	"go.opentelemetry.io/otel/trace"
)

// Woven is what a woven net/http provides: its ToolweaveServe, ToolweaveMarkServed and
// ToolweaveIsServed.
type Woven struct {
	// Serve marks r as served and serves it as srv's serverHandler does (its Handler, or
	// DefaultServeMux, or the OPTIONS * handler); the hook does not run again for r.
	Serve func(srv *http.Server, w http.ResponseWriter, r *http.Request)
	// MarkServed marks r (a field of r; copies made afterwards carry it).
	MarkServed func(r *http.Request)
	// IsServed reports whether r is marked.
	IsServed func(r *http.Request) bool
}

// woven is set by Install, in the register package's init, before any request. Until then
// (a plain build: this package's own tests of the client side) nothing is ever marked.
var woven = Woven{
	Serve: func(srv *http.Server, w http.ResponseWriter, r *http.Request) {
		http.Error(w, "toolweave: net/http is not woven", 500)
	},
	MarkServed: func(*http.Request) {},
	IsServed:   func(*http.Request) bool { return false },
}

// Install records what the woven net/http provides and returns the function for its
// ToolweaveServerHook. A Woven with a nil function panics: a missing mark would make the
// hook recurse forever.
//
// The hook serves the request through one shared otelhttp handler, whose inner handler
// finds the server in the request context (under http.ServerContextKey, which net/http
// sets for every connection; the hook sets it only if it does not name srv) and calls
// Serve with the request otelhttp made, the one carrying the span. After Serve returns, a
// ServeMux pattern on that request sets http.route on the span.
func Install(w Woven) func(http.ResponseWriter, *http.Request, *http.Server) {
	if w.Serve == nil || w.MarkServed == nil || w.IsServed == nil {
		panic("nethttp: Install needs Serve, MarkServed and IsServed")
	}
	woven = w
	return serveHook
}

func serveHook(w http.ResponseWriter, r *http.Request, srv *http.Server) {
	if r.Context().Value(http.ServerContextKey) != srv {
		serveNamingServer(w, r, srv)
		return
	}
	server().ServeHTTP(w, r)
}

// serveNamingServer serves a request whose context does not name srv as its server (not
// seen from net/http's own connections) through a copy whose context does.
func serveNamingServer(w http.ResponseWriter, r *http.Request, srv *http.Server) {
	r2 := r.WithContext(context.WithValue(r.Context(), http.ServerContextKey, srv))
	defer func() {
		// A form parsed on the copy goes back to r, the request net/http holds, so that the
		// server removes its temporary files (otelhttp does the same for its own copy).
		if r2.MultipartForm != nil {
			r.MultipartForm = r2.MultipartForm
		}
	}()
	server().ServeHTTP(w, r2)
}

// Served reports whether r is inside a server span of toolweave's (the net/http server
// hook's or NewHandler's). Other integrations use it to leave the span to that layer (one
// span owner per layer).
func Served(r *http.Request) bool { return woven.IsServed(r) }

// server is the one otelhttp handler every hooked request goes through. It is built on
// first use (after bootstrap has set the globals, though the global providers forward to
// the SDK either way) and never per request.
var server = sync.OnceValue(func() http.Handler {
	return otelhttp.NewHandler(http.HandlerFunc(dispatch), "")
})

// dispatch is the shared handler's inner handler: it serves the request as its server
// would. r is the request otelhttp passes on and inspects afterwards, so a ServeMux
// further down sets r.Pattern on exactly this object.
func dispatch(w http.ResponseWriter, r *http.Request) {
	srv, _ := r.Context().Value(http.ServerContextKey).(*http.Server)
	if srv == nil { // only if someone calls the shared handler without the hook
		http.Error(w, "toolweave: request without a server", http.StatusInternalServerError)
		return
	}
	woven.Serve(srv, w, r)
	if r.Pattern != "" {
		annotateRoute(r)
	}
}

// annotateRoute records http.route on the server span. otelhttp v0.72 (the oldest version
// the runtime accepts) names the span "{METHOD} {route}" and puts http.route on
// http.server.request.duration itself once a ServeMux has set the pattern, but leaves the
// span attribute out: the route is unknown when it builds the span's attributes.
func annotateRoute(r *http.Request) {
	setRoute(trace.SpanFromContext(r.Context()), r.Pattern)
}

// setRoute sets http.route on span from a ServeMux pattern.
func setRoute(span trace.Span, pattern string) {
	if route := routeOf(pattern); route != "" && span.IsRecording() {
		span.SetAttributes(routeAttributes(route)...)
	}
}

// routes holds, per route, the one-attribute list annotateRoute hands to the span. Spans
// copy what they are given, so one shared list per route spares the allocation a fresh
// variadic list costs on every request. Routes are ServeMux patterns, a fixed set; past
// maxRoutes (a router that puts request data in its patterns) new ones are not kept.
var routes = struct {
	sync.RWMutex
	attrs map[string][]attribute.KeyValue
}{attrs: map[string][]attribute.KeyValue{}}

const maxRoutes = 1024

func routeAttributes(route string) []attribute.KeyValue {
	routes.RLock()
	attrs, ok := routes.attrs[route]
	routes.RUnlock()
	if ok {
		return attrs
	}
	attrs = []attribute.KeyValue{semconv.HTTPRoute(route)}
	routes.Lock()
	if len(routes.attrs) < maxRoutes {
		routes.attrs[route] = attrs
	}
	routes.Unlock()
	return attrs
}

// routeOf is http.route for a ServeMux pattern "[METHOD ][HOST]/PATH": the path part.
func routeOf(pattern string) string {
	if i := strings.IndexByte(pattern, '/'); i >= 0 {
		return pattern[i:]
	}
	return ""
}

// Route names the server span of r after a router's route template ("GET /users/:id") and
// records the template as http.route on the span and on otelhttp's request metrics (through
// the Labeler otelhttp put in the request's context). The web-framework integrations call
// it from a middleware: the net/http integration owns the server span, the framework only
// tells it the route. A request that a ServeMux routed to the framework keeps the ServeMux's
// naming (otelhttp names the span from r.Pattern when the request returns); a pattern that is
// the route itself is the router's own (chi sets r.Pattern from v5.2, on its copy of the
// request, which otelhttp never sees). Without a recording span, or an empty route, nothing
// happens.
func Route(r *http.Request, route string) {
	if route == "" || r.Pattern != "" && r.Pattern != route {
		return
	}
	span := trace.SpanFromContext(r.Context())
	if !span.IsRecording() {
		return
	}
	attrs := routeAttributes(route)
	span.SetName(r.Method + " " + route)
	span.SetAttributes(attrs...)
	if labeler, ok := otelhttp.LabelerFromContext(r.Context()); ok {
		labeler.Add(attrs...)
	}
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
	return &handler{h: h, traced: otelhttp.NewHandler(markThen(h), operation, opts...)}
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
	if woven.IsServed(r) {
		x.h.ServeHTTP(w, r)
		return
	}
	x.traced.ServeHTTP(w, r)
}

// markThen marks the request otelhttp passes on (its own copy, so the program's request is
// not touched) before h, so that nested handlers of ours do not start a second span.
func markThen(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		woven.MarkServed(r)
		h.ServeHTTP(w, r)
	})
}

// WrapTransport is net/http's ToolweaveClientHook: it runs for every Client request and
// returns the RoundTripper that sends it.
//
//   - An *otelhttp.Transport (a client instrumented by hand) and a transport it already
//     wrapped are returned unchanged.
//   - An *http.Transport (http.DefaultTransport, or one the program built) gets its own
//     otelhttp transport, built on its first request and kept while the base lives: no
//     allocation per request.
//   - Any other RoundTripper is put in a small wrapper (one allocation) that sends through
//     one shared otelhttp transport, handing it the base in the request context.
//
// otelhttp starts the client span, injects the propagator's headers (traceparent) into a
// copy of the request and records http.client.request.duration; the span ends when the
// response body is closed or read to EOF. Requests of the OpenTelemetry SDK's own OTLP
// exporters (recognised by their User-Agent) go straight to the base: a traced export
// would start a new trace every batch, forever. http.DefaultTransport itself is never
// replaced (code that does http.DefaultTransport.(*http.Transport).Clone() keeps working).
func WrapTransport(rt http.RoundTripper) http.RoundTripper {
	switch rt := rt.(type) {
	case nil, *otelhttp.Transport, *transport:
		return rt
	case *http.Transport:
		return transportFor(rt)
	}
	return &transport{base: rt}
}

// notExporter is the otelhttp filter that lets the OTLP exporters of OpenTelemetry Go
// through untraced. They are recognised by their User-Agent: "OTel OTLP Exporter Go/…"
// (traces) and "OTel Go OTLP over HTTP/protobuf … exporter/…" (metrics, logs).
func notExporter(r *http.Request) bool {
	ua := r.Header["User-Agent"]
	return len(ua) == 0 || !(strings.HasPrefix(ua[0], "OTel OTLP Exporter Go") || strings.HasPrefix(ua[0], "OTel Go OTLP"))
}

// traced holds one otelhttp transport per *http.Transport, keyed by the base's address. An
// entry does not keep its base alive (it holds a weak pointer), so a program that builds a
// Transport per request does not leak them: a cleanup removes the entry once the base is
// collected. The address may be reused before that cleanup runs, so a lookup checks that
// the entry's base is still the one asked for.
var traced = struct {
	sync.RWMutex
	by map[uintptr]*tracedTransport
}{by: map[uintptr]*tracedTransport{}}

type tracedTransport struct {
	base weak.Pointer[http.Transport]
	otel *otelhttp.Transport
}

// RoundTrip is the otelhttp transport's base: the *http.Transport, while it lives.
func (t *tracedTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	base := t.base.Value()
	if base == nil { // the Client that sends r holds its base: not seen in practice
		return nil, errors.New("toolweave: the request's http.Transport was garbage-collected")
	}
	return base.RoundTrip(r)
}

func transportFor(base *http.Transport) http.RoundTripper {
	addr := uintptr(unsafe.Pointer(base))
	traced.RLock()
	t := traced.by[addr]
	traced.RUnlock()
	if t != nil && t.base.Value() == base {
		return t.otel
	}
	traced.Lock()
	defer traced.Unlock()
	if t := traced.by[addr]; t != nil && t.base.Value() == base {
		return t.otel
	}
	t = &tracedTransport{base: weak.Make(base)}
	t.otel = otelhttp.NewTransport(t, otelhttp.WithFilter(notExporter))
	traced.by[addr] = t
	runtime.AddCleanup(base, forget, addr)
	return t.otel
}

// forget drops the entry at addr once its base is gone (and not one a new base at the same
// address put there since).
func forget(addr uintptr) {
	traced.Lock()
	defer traced.Unlock()
	if t := traced.by[addr]; t != nil && t.base.Value() == nil {
		delete(traced.by, addr)
	}
}

// clientBase is the context key under which a request of a wrapped RoundTripper carries
// its base through the shared otelhttp transport.
type clientBase struct{}

// client is the shared otelhttp transport of the RoundTrippers that are not
// *http.Transport; its base takes the request's own RoundTripper from the context.
var client = sync.OnceValue(func() *otelhttp.Transport {
	return otelhttp.NewTransport(roundTripFunc(func(r *http.Request) (*http.Response, error) {
		base, _ := r.Context().Value(clientBase{}).(http.RoundTripper)
		if base == nil { // only if someone calls the shared transport directly
			base = http.DefaultTransport
		}
		return base.RoundTrip(r)
	}), otelhttp.WithFilter(notExporter))
})

type roundTripFunc func(*http.Request) (*http.Response, error)

func (f roundTripFunc) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }

type transport struct{ base http.RoundTripper }

func (t *transport) RoundTrip(r *http.Request) (*http.Response, error) {
	if !notExporter(r) {
		return t.base.RoundTrip(r)
	}
	return client().RoundTrip(r.WithContext(context.WithValue(r.Context(), clientBase{}, t.base)))
}
