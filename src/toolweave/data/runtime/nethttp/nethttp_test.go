package nethttp

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"go.opentelemetry.io/contrib/instrumentation/net/http/otelhttp"
	"go.opentelemetry.io/otel"
	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/metric"
	"go.opentelemetry.io/otel/propagation"
	sdkmetric "go.opentelemetry.io/otel/sdk/metric"
	"go.opentelemetry.io/otel/sdk/metric/metricdata"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/sdk/trace/tracetest"
	"go.opentelemetry.io/otel/trace"
)

var (
	reader      = sdkmetric.NewManualReader()
	instruments atomic.Int64 // instruments created through the global MeterProvider
)

// TestMain installs the globals once, as bootstrap would: the shared otelhttp handler and
// transport take their meter when first built. Tracer providers are set per test (otelhttp
// looks the global one up per request).
func TestMain(m *testing.M) {
	mp := sdkmetric.NewMeterProvider(sdkmetric.WithReader(reader))
	otel.SetMeterProvider(countingProvider{mp})
	otel.SetTextMapPropagator(propagation.NewCompositeTextMapPropagator(propagation.TraceContext{}, propagation.Baggage{}))
	os.Exit(m.Run())
}

// record installs a fresh SDK TracerProvider recording every span.
func record(t *testing.T) *tracetest.SpanRecorder {
	t.Helper()
	rec := tracetest.NewSpanRecorder()
	tp := sdktrace.NewTracerProvider(sdktrace.WithSpanProcessor(rec))
	otel.SetTracerProvider(tp)
	t.Cleanup(func() { _ = tp.Shutdown(context.Background()) })
	return rec
}

// marked stands for the field a woven net/http adds to Request (toolweaveServed).
var marked sync.Map // *http.Request -> struct{}

func mark(r *http.Request) { marked.Store(r, struct{}{}) }

func isMarked(r *http.Request) bool { _, ok := marked.Load(r); return ok }

// hook is net/http's ToolweaveServerHook, installed for a simulated woven net/http: srv's
// serverHandler is the handler serverHandler returns, which srv.Handler must be.
var hook = Install(Woven{
	Serve:      func(srv *http.Server, w http.ResponseWriter, r *http.Request) { mark(r); srv.Handler.ServeHTTP(w, r) },
	MarkServed: mark,
	IsServed:   isMarked,
})

// serverHandler is h as srv's woven serverHandler.ServeHTTP serves it: the hook first,
// unless the request is marked.
func serverHandler(srv *http.Server, h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !isMarked(r) {
			hook(w, r, srv)
			return
		}
		h.ServeHTTP(w, r)
	})
}

// wovenServer is a running server of h whose net/http is (simulated) woven.
func wovenServer(t *testing.T, h http.Handler) *httptest.Server {
	srv := httptest.NewUnstartedServer(nil)
	srv.Config.Handler = serverHandler(srv.Config, h)
	srv.Start()
	t.Cleanup(srv.Close)
	return srv
}

// wovenHandler is h as a woven server (not listening) serves it.
func wovenHandler(h http.Handler) http.Handler {
	srv := &http.Server{}
	srv.Handler = serverHandler(srv, h)
	return srv.Handler
}

func get(t *testing.T, c *http.Client, ctx context.Context, url string, header ...string) (int, string) {
	t.Helper()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	resp, err := c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(body)
}

func attr(s sdktrace.ReadOnlySpan, key attribute.Key) (attribute.Value, bool) {
	for _, kv := range s.Attributes() {
		if kv.Key == key {
			return kv.Value, true
		}
	}
	return attribute.Value{}, false
}

func ofKind(spans []sdktrace.ReadOnlySpan, kind trace.SpanKind) []sdktrace.ReadOnlySpan {
	var out []sdktrace.ReadOnlySpan
	for _, s := range spans {
		if s.SpanKind() == kind {
			out = append(out, s)
		}
	}
	return out
}

func names(spans []sdktrace.ReadOnlySpan) []string {
	var out []string
	for _, s := range spans {
		out = append(out, s.Name())
	}
	return out
}

// histogramPoints returns the attribute sets of the data points of a float64 histogram.
func histogramPoints(t *testing.T, name string) []attribute.Set {
	t.Helper()
	var rm metricdata.ResourceMetrics
	if err := reader.Collect(context.Background(), &rm); err != nil {
		t.Fatal(err)
	}
	var out []attribute.Set
	for _, sm := range rm.ScopeMetrics {
		for _, m := range sm.Metrics {
			if h, ok := m.Data.(metricdata.Histogram[float64]); ok && m.Name == name {
				for _, dp := range h.DataPoints {
					out = append(out, dp.Attributes)
				}
			}
		}
	}
	return out
}

func hasPoint(t *testing.T, metric string, kvs ...attribute.KeyValue) bool {
	t.Helper()
	for _, set := range histogramPoints(t, metric) {
		all := true
		for _, kv := range kvs {
			if v, ok := set.Value(kv.Key); !ok || v != kv.Value {
				all = false
			}
		}
		if all {
			return true
		}
	}
	return false
}

func TestServerSpanPerRequestWithRoute(t *testing.T) {
	rec := record(t)
	mux := http.NewServeMux()
	mux.HandleFunc("GET /items/{id}", func(w http.ResponseWriter, r *http.Request) {
		if !Served(r) || !trace.SpanContextFromContext(r.Context()).IsValid() {
			t.Error("the handler does not run inside the server span")
		}
		io.WriteString(w, "item "+r.PathValue("id"))
	})
	srv := wovenServer(t, mux)

	for _, id := range []string{"1", "2"} {
		if code, body := get(t, srv.Client(), context.Background(), srv.URL+"/items/"+id); code != 200 || body != "item "+id {
			t.Fatalf("got %d %q", code, body)
		}
	}
	if code, _ := get(t, srv.Client(), context.Background(), srv.URL+"/nowhere"); code != 404 {
		t.Fatalf("got %d for an unknown path", code)
	}

	spans := rec.Ended()
	if got := strings.Join(names(spans), ","); got != "GET /items/{id},GET /items/{id},GET" {
		t.Fatalf("spans %s, want one server span per request, named after the route", got)
	}
	for i, s := range spans {
		if s.SpanKind() != trace.SpanKindServer {
			t.Errorf("span %d: kind %v", i, s.SpanKind())
		}
		route, ok := attr(s, "http.route")
		if i < 2 && (!ok || route.AsString() != "/items/{id}") {
			t.Errorf("span %d: http.route = %v, want /items/{id}", i, route.Emit())
		}
		if i == 2 && ok {
			t.Errorf("unmatched request has http.route %q", route.AsString())
		}
	}
	if !hasPoint(t, "http.server.request.duration", attribute.String("http.route", "/items/{id}"),
		attribute.Int("http.response.status_code", 200)) {
		t.Errorf("no http.server.request.duration point with http.route: %v", histogramPoints(t, "http.server.request.duration"))
	}
}

// A router (not a ServeMux) tells the server span its route template through Route.
func TestRouteFromARouterNamesTheSpanAndTheMetrics(t *testing.T) {
	// what a framework does: routing on its own, then a copy of the request; chi from v5.2
	// also sets the copy's Pattern to its route
	for _, setsPattern := range []bool{false, true} {
		rec := record(t)
		router := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			r = r.WithContext(context.WithValue(r.Context(), struct{}{}, "router"))
			if setsPattern {
				r.Pattern = "/users/:id"
			}
			Route(r, "/users/:id")
			io.WriteString(w, "ok")
		})
		srv := wovenServer(t, router)
		if code, _ := get(t, srv.Client(), context.Background(), srv.URL+"/users/7"); code != 200 {
			t.Fatalf("got %d", code)
		}
		spans := rec.Ended()
		if got := strings.Join(names(spans), ","); got != "GET /users/:id" {
			t.Fatalf("pattern set %v: spans %s, want one server span named after the route", setsPattern, got)
		}
		if route, ok := attr(spans[0], "http.route"); !ok || route.AsString() != "/users/:id" {
			t.Errorf("pattern set %v: http.route = %v", setsPattern, route.Emit())
		}
		if !hasPoint(t, "http.server.request.duration", attribute.String("http.route", "/users/:id"),
			attribute.Int("http.response.status_code", 200)) {
			t.Errorf("pattern set %v: no http.server.request.duration point with the router's http.route: %v",
				setsPattern, histogramPoints(t, "http.server.request.duration"))
		}
	}
}

func TestTraceContextIsExtracted(t *testing.T) {
	rec := record(t)
	srv := wovenServer(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {}))
	const tid, sid = "4bf92f3577b34da6a3ce929d0e0e4736", "00f067aa0ba902b7"
	get(t, srv.Client(), context.Background(), srv.URL+"/x", "Traceparent", "00-"+tid+"-"+sid+"-01")
	spans := rec.Ended()
	if len(spans) != 1 {
		t.Fatalf("spans %v", names(spans))
	}
	s := spans[0]
	if s.SpanContext().TraceID().String() != tid || s.Parent().SpanID().String() != sid || !s.Parent().IsRemote() {
		t.Errorf("span trace %s parent %s (remote %v), want trace %s parent %s",
			s.SpanContext().TraceID(), s.Parent().SpanID(), s.Parent().IsRemote(), tid, sid)
	}
}

func TestMarkPreventsASecondServerSpan(t *testing.T) {
	rec := record(t)
	inner := wovenHandler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { io.WriteString(w, "inner") }))
	// The same request handed to a second (woven) server's handler chain.
	srv := wovenServer(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { inner.ServeHTTP(w, r) }))
	if _, body := get(t, srv.Client(), context.Background(), srv.URL); body != "inner" {
		t.Fatalf("body %q", body)
	}
	if spans := rec.Ended(); len(spans) != 1 {
		t.Errorf("spans %v, want exactly one", names(spans))
	}
}

func TestMultipartFormIsHandedBack(t *testing.T) {
	record(t)
	var parsedOn *http.Request
	h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if err := r.ParseMultipartForm(1); err != nil {
			t.Error(err)
		}
		parsedOn = r
	})
	body := "--b\r\nContent-Disposition: form-data; name=\"f\"; filename=\"f.txt\"\r\n\r\n" + strings.Repeat("x", 100) + "\r\n--b--\r\n"
	req := httptest.NewRequest(http.MethodPost, "/upload", strings.NewReader(body))
	req.Header.Set("Content-Type", "multipart/form-data; boundary=b")
	wovenHandler(h).ServeHTTP(httptest.NewRecorder(), req)
	if parsedOn == req || req.MultipartForm == nil || req.MultipartForm != parsedOn.MultipartForm {
		t.Fatal("the form parsed on the hook's copy is not on the request net/http cleans up")
	}
	_ = req.MultipartForm.RemoveAll()
}

func TestNewHandlerInsideOurSpanDoesNotTraceAgain(t *testing.T) {
	rec := record(t)
	mux := http.NewServeMux()
	mux.HandleFunc("GET /users/{id}", func(w http.ResponseWriter, r *http.Request) {})
	srv := wovenServer(t, NewHandler(mux, "users"))
	get(t, srv.Client(), context.Background(), srv.URL+"/users/7")
	spans := rec.Ended()
	if got := strings.Join(names(spans), ","); got != "GET /users/{id}" {
		t.Fatalf("spans %s, want the hook's span only, named after the route", got)
	}
	if v, _ := attr(spans[0], "http.route"); v.AsString() != "/users/{id}" {
		t.Errorf("http.route = %q", v.AsString())
	}
}

func TestNewHandlerAloneTracesAsOtelhttp(t *testing.T) {
	rec := record(t)
	mux := http.NewServeMux()
	var inner bool
	mux.HandleFunc("GET /orders/{id}", func(w http.ResponseWriter, r *http.Request) {
		inner = Served(r) && trace.SpanContextFromContext(r.Context()).IsValid()
	})
	// Nested NewHandlers: the outer one owns the span.
	srv := httptest.NewServer(NewHandler(NewHandler(mux, "inner"), "outer"))
	defer srv.Close()
	get(t, srv.Client(), context.Background(), srv.URL+"/orders/3")
	spans := rec.Ended()
	if got := strings.Join(names(spans), ","); got != "GET /orders/{id}" {
		t.Fatalf("spans %s, want one span named as otelhttp names it", got)
	}
	if spans[0].InstrumentationScope().Name != "go.opentelemetry.io/contrib/instrumentation/net/http/otelhttp" {
		t.Errorf("scope %q", spans[0].InstrumentationScope().Name)
	}
	if !inner {
		t.Error("the handler does not see the span and the mark")
	}
	// The program's options still apply when NewHandler owns the span.
	rec = record(t)
	filtered := httptest.NewServer(NewMiddleware("x", otelhttp.WithFilter(func(*http.Request) bool { return false }))(mux))
	defer filtered.Close()
	get(t, filtered.Client(), context.Background(), filtered.URL+"/orders/4")
	if spans := rec.Ended(); len(spans) != 0 {
		t.Errorf("a filtered request was traced: %v", names(spans))
	}
}

// echoServer records the traceparent header of every request it gets.
func echoServer(t *testing.T) (*httptest.Server, *[]string) {
	var mu sync.Mutex
	var seen []string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		seen = append(seen, r.Header.Get("Traceparent"))
		mu.Unlock()
		io.WriteString(w, "ok")
	}))
	t.Cleanup(srv.Close)
	return srv, &seen
}

func TestClientSpanAndTraceparent(t *testing.T) {
	rec := record(t)
	srv, seen := echoServer(t)
	c := &http.Client{Transport: WrapTransport(http.DefaultTransport)}
	ctx, parent := otel.Tracer("test").Start(context.Background(), "parent")
	if code, body := get(t, c, ctx, srv.URL+"/api"); code != 200 || body != "ok" {
		t.Fatalf("got %d %q", code, body)
	}
	parent.End()
	clients := ofKind(rec.Ended(), trace.SpanKindClient)
	if len(clients) != 1 {
		t.Fatalf("client spans %v", names(clients))
	}
	s := clients[0]
	if s.Name() != "HTTP GET" || s.Parent().SpanID() != parent.SpanContext().SpanID() {
		t.Errorf("client span %q with parent %s, want HTTP GET under %s", s.Name(), s.Parent().SpanID(), parent.SpanContext().SpanID())
	}
	want := "00-" + s.SpanContext().TraceID().String() + "-" + s.SpanContext().SpanID().String() + "-01"
	if len(*seen) != 1 || (*seen)[0] != want {
		t.Errorf("server saw traceparent %q, want %q", *seen, want)
	}
	if v, _ := attr(s, "http.response.status_code"); v.AsInt64() != 200 {
		t.Errorf("http.response.status_code = %v", v.Emit())
	}
	if !hasPoint(t, "http.client.request.duration", attribute.Int("http.response.status_code", 200)) {
		t.Error("no http.client.request.duration")
	}
	if _, ok := http.DefaultTransport.(*http.Transport); !ok {
		t.Error("http.DefaultTransport was replaced")
	}
}

func TestExporterRequestsAreNotTraced(t *testing.T) {
	rec := record(t)
	srv, seen := echoServer(t)
	c := &http.Client{Transport: WrapTransport(http.DefaultTransport)}
	ctx, parent := otel.Tracer("test").Start(context.Background(), "parent")
	for _, ua := range []string{"OTel OTLP Exporter Go/1.47.0", "OTel Go OTLP over HTTP/protobuf metrics exporter/1.47.0",
		"OTel Go OTLP over HTTP/protobuf logs exporter/0.23.0"} {
		get(t, c, ctx, srv.URL+"/v1/traces", "User-Agent", ua)
	}
	parent.End()
	if clients := ofKind(rec.Ended(), trace.SpanKindClient); len(clients) != 0 {
		t.Errorf("exporter requests were traced: %v", names(clients))
	}
	if strings.Join(*seen, "") != "" {
		t.Errorf("trace context injected into exporter requests: %q", *seen)
	}
}

func TestWrapTransportKeepsInstrumentedAndWrapped(t *testing.T) {
	own := otelhttp.NewTransport(http.DefaultTransport)
	if WrapTransport(own) != http.RoundTripper(own) {
		t.Error("an *otelhttp.Transport was wrapped")
	}
	once := WrapTransport(http.DefaultTransport)
	if WrapTransport(once) != once {
		t.Error("a wrapped transport was wrapped again")
	}
	if WrapTransport(nil) != nil {
		t.Error("nil was wrapped")
	}
}

func TestOneOtelTransportPerLiveBase(t *testing.T) {
	a, b := &http.Transport{}, &http.Transport{}
	if WrapTransport(a) != WrapTransport(a) {
		t.Error("two otelhttp transports for one base")
	}
	if WrapTransport(a) == WrapTransport(b) {
		t.Error("two bases share one otelhttp transport")
	}
	runtime.KeepAlive(a)
	runtime.KeepAlive(b)

	// Bases built and dropped, as by a program that makes a Transport per request: their
	// entries go once they are collected.
	entries := func() int {
		traced.RLock()
		defer traced.RUnlock()
		return len(traced.by)
	}
	before := entries()
	for range 50 {
		_ = WrapTransport(&http.Transport{})
	}
	if entries() < before+50 {
		t.Fatalf("%d entries after 50 new bases, want at least %d", entries(), before+50)
	}
	deadline := time.Now().Add(10 * time.Second)
	for entries() > before && time.Now().Before(deadline) {
		runtime.GC()
		time.Sleep(10 * time.Millisecond)
	}
	if n := entries(); n > before {
		t.Errorf("%d entries of collected transports are still held", n-before)
	}
}

func TestCustomRoundTripperIsTraced(t *testing.T) {
	rec := record(t)
	srv, seen := echoServer(t)
	var calls atomic.Int64
	custom := roundTripFunc(func(r *http.Request) (*http.Response, error) {
		calls.Add(1)
		return http.DefaultTransport.RoundTrip(r)
	})
	c := &http.Client{Transport: WrapTransport(custom)}
	get(t, c, context.Background(), srv.URL+"/a")
	get(t, c, context.Background(), srv.URL+"/v1/logs", "User-Agent", "OTel Go OTLP over HTTP/protobuf logs exporter/0.23.0")
	if calls.Load() != 2 {
		t.Errorf("the custom RoundTripper sent %d requests, want 2", calls.Load())
	}
	clients := ofKind(rec.Ended(), trace.SpanKindClient)
	if len(clients) != 1 || len(*seen) != 2 || (*seen)[0] == "" || (*seen)[1] != "" {
		t.Errorf("client spans %v, traceparents %q: want one span, the exporter's request untouched", names(clients), *seen)
	}
}

func TestWrapTransportIsCheap(t *testing.T) {
	rt := http.DefaultTransport
	if n := testing.AllocsPerRun(1000, func() { _ = WrapTransport(rt) }); n != 0 {
		t.Errorf("WrapTransport of an *http.Transport allocates %v times per call, want 0", n)
	}
	var custom http.RoundTripper = roundTripFunc(http.DefaultTransport.RoundTrip)
	if n := testing.AllocsPerRun(1000, func() { _ = WrapTransport(custom) }); n > 1 {
		t.Errorf("WrapTransport of a custom RoundTripper allocates %v times per call, want at most 1 (the wrapper)", n)
	}
	own := otelhttp.NewTransport(rt)
	if n := testing.AllocsPerRun(1000, func() { _ = WrapTransport(own) }); n != 0 {
		t.Errorf("WrapTransport of an otelhttp transport allocates %v times", n)
	}
}

// Requests must reuse the instruments of the one shared handler and transport.
func TestNoInstrumentsPerRequest(t *testing.T) {
	record(t)
	srv := wovenServer(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {}))
	c := &http.Client{Transport: WrapTransport(http.DefaultTransport)}
	get(t, c, context.Background(), srv.URL) // builds whatever is built once
	before := instruments.Load()
	if before == 0 {
		t.Fatal("the counting MeterProvider saw no instruments: the test would prove nothing")
	}
	for range 20 {
		c := &http.Client{Transport: WrapTransport(http.DefaultTransport)} // as the hook does per request
		get(t, c, context.Background(), srv.URL)
	}
	if n := instruments.Load() - before; n != 0 {
		t.Errorf("%d instruments created by 20 more requests", n)
	}
	if client() != client() {
		t.Error("the shared transport is not shared")
	}
}

func BenchmarkWrapTransport(b *testing.B) {
	rt := http.DefaultTransport
	b.ReportAllocs()
	for b.Loop() {
		_ = WrapTransport(rt)
	}
}

// countingProvider counts the synchronous instruments its meters create.
type countingProvider struct{ metric.MeterProvider }

func (p countingProvider) Meter(name string, opts ...metric.MeterOption) metric.Meter {
	return countingMeter{p.MeterProvider.Meter(name, opts...)}
}

type countingMeter struct{ metric.Meter }

func (m countingMeter) Float64Histogram(name string, opts ...metric.Float64HistogramOption) (metric.Float64Histogram, error) {
	instruments.Add(1)
	return m.Meter.Float64Histogram(name, opts...)
}

func (m countingMeter) Int64Histogram(name string, opts ...metric.Int64HistogramOption) (metric.Int64Histogram, error) {
	instruments.Add(1)
	return m.Meter.Int64Histogram(name, opts...)
}

func (m countingMeter) Int64Counter(name string, opts ...metric.Int64CounterOption) (metric.Int64Counter, error) {
	instruments.Add(1)
	return m.Meter.Int64Counter(name, opts...)
}

func (m countingMeter) Int64UpDownCounter(name string, opts ...metric.Int64UpDownCounterOption) (metric.Int64UpDownCounter, error) {
	instruments.Add(1)
	return m.Meter.Int64UpDownCounter(name, opts...)
}

// Setting the route costs the span's own copy only: no attribute list per request.
func TestSetRouteAllocatesLessThanAFreshList(t *testing.T) {
	record(t)
	tracer := otel.Tracer("test")
	per := func(set func(trace.Span)) float64 {
		return testing.AllocsPerRun(200, func() {
			_, span := tracer.Start(context.Background(), "s")
			set(span)
			span.End()
		})
	}
	fresh := per(func(s trace.Span) { s.SetAttributes(attribute.String("http.route", "/items/{id}")) })
	ours := per(func(s trace.Span) { setRoute(s, "GET /items/{id}") })
	if ours >= fresh {
		t.Errorf("setRoute: %v allocations per span, a fresh attribute list: %v", ours, fresh)
	}
}

// The per-request path of the server hook (serveHook, the shared otelhttp handler,
// dispatch, the route annotation) allocates no more than otelhttp.NewHandler alone around
// the same handler with the route set by hand: what the woven build adds to a request is
// lookups, no allocation (bench/profdiff.py measured its own CPU at ~0.3 µs per request).
func TestServeHookAllocatesAsOtelhttpAlone(t *testing.T) {
	record(t)
	saved := woven
	defer func() { woven = saved }()
	srv := &http.Server{}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /items/{id}", func(w http.ResponseWriter, r *http.Request) {})
	srv.Handler = mux
	woven = Woven{ // the field of a woven Request needs no allocation: nor does this stand-in
		Serve:      func(srv *http.Server, w http.ResponseWriter, r *http.Request) { srv.Handler.ServeHTTP(w, r) },
		MarkServed: func(*http.Request) {},
		IsServed:   func(*http.Request) bool { return false },
	}
	byHand := otelhttp.NewHandler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mux.ServeHTTP(w, r)
		trace.SpanFromContext(r.Context()).SetAttributes(attribute.String("http.route", "/items/{id}"))
	}), "")
	request := func() *http.Request {
		r := httptest.NewRequest(http.MethodGet, "/items/7", nil)
		return r.WithContext(context.WithValue(r.Context(), http.ServerContextKey, srv))
	}
	w := httptest.NewRecorder()
	serveHook(w, request(), srv) // builds what is built once
	ours := testing.AllocsPerRun(200, func() { serveHook(w, request(), srv) })
	theirs := testing.AllocsPerRun(200, func() { byHand.ServeHTTP(w, request()) })
	if ours > theirs {
		t.Errorf("a request through the server hook: %v allocations; through otelhttp alone: %v", ours, theirs)
	}
}

// Both per-request lookups of the woven build with every core contending (their cost per
// request in bench/analysis.md).
func BenchmarkWrapTransportParallel(b *testing.B) {
	rt := http.DefaultTransport
	b.ReportAllocs()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			_ = WrapTransport(rt)
		}
	})
}

func BenchmarkRouteAttributesParallel(b *testing.B) {
	b.ReportAllocs()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			_ = routeAttributes("/work/{n}")
		}
	})
}
