// Command wovenapp checks the net/http integration end to end. nethttp's tests build it
// with an -overlay that adds toolweave's hooks to the standard library's net/http, as a
// woven build does; it prints FAIL lines for what is wrong and PASS at the end.
package main

import (
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"

	"go.opentelemetry.io/contrib/instrumentation/net/http/otelhttp"
	"go.opentelemetry.io/otel"
	"go.opentelemetry.io/otel/propagation"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/sdk/trace/tracetest"
	"go.opentelemetry.io/otel/trace"

	_ "toolweave.dev/runtime/nethttp/_register"

	"toolweave.dev/runtime/nethttp"
)

var failed bool

func check(ok bool, format string, args ...any) {
	if !ok {
		failed = true
		fmt.Printf("FAIL: "+format+"\n", args...)
	}
}

var rec = tracetest.NewSpanRecorder()

func spans(kind trace.SpanKind) []sdktrace.ReadOnlySpan {
	var out []sdktrace.ReadOnlySpan
	for _, s := range rec.Ended() {
		if s.SpanKind() == kind {
			out = append(out, s)
		}
	}
	return out
}

func route(s sdktrace.ReadOnlySpan) string {
	for _, kv := range s.Attributes() {
		if kv.Key == "http.route" {
			return kv.Value.AsString()
		}
	}
	return ""
}

func get(c *http.Client, url, userAgent string) string {
	req, _ := http.NewRequest(http.MethodGet, url, nil)
	if userAgent != "" {
		req.Header.Set("User-Agent", userAgent)
	}
	resp, err := c.Do(req)
	if err != nil {
		check(false, "GET %s: %v", url, err)
		return ""
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return string(b)
}

func main() {
	otel.SetTracerProvider(sdktrace.NewTracerProvider(sdktrace.WithSpanProcessor(rec)))
	otel.SetTextMapPropagator(propagation.TraceContext{})

	mux := http.NewServeMux()
	mux.HandleFunc("GET /hello/{name}", func(w http.ResponseWriter, r *http.Request) {
		check(nethttp.Served(r), "handler not inside the hook's span")
		io.WriteString(w, "hello "+r.PathValue("name")+" "+r.Header.Get("Traceparent"))
	})
	mux.Handle("GET /wrapped/{id}", otelhttpHandler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {})))
	srv := httptest.NewServer(mux) // a real http.Server: every request goes through serverHandler
	defer srv.Close()

	// 1. The default client and the server: one client span, one server span beneath it.
	body := get(http.DefaultClient, srv.URL+"/hello/gopher", "")
	clients, servers := spans(trace.SpanKindClient), spans(trace.SpanKindServer)
	check(len(clients) == 1 && len(servers) == 1, "spans: %d client, %d server, want 1 and 1", len(clients), len(servers))
	if len(clients) == 1 && len(servers) == 1 {
		c, s := clients[0], servers[0]
		check(c.Name() == "HTTP GET", "client span %q", c.Name())
		check(s.Name() == "GET /hello/{name}" && route(s) == "/hello/{name}", "server span %q route %q", s.Name(), route(s))
		check(s.Parent().SpanID() == c.SpanContext().SpanID() && s.SpanContext().TraceID() == c.SpanContext().TraceID(),
			"server span is not the client span's child")
		want := "hello gopher 00-" + c.SpanContext().TraceID().String() + "-" + c.SpanContext().SpanID().String() + "-01"
		check(body == want, "body %q, want %q", body, want)
	}
	_, plain := http.DefaultTransport.(*http.Transport)
	check(plain, "http.DefaultTransport is %T", http.DefaultTransport)

	// 2. An exporter's request: no client span, no trace context sent.
	rec.Reset()
	body = get(http.DefaultClient, srv.URL+"/hello/exporter", "OTel OTLP Exporter Go/1.47.0")
	check(len(spans(trace.SpanKindClient)) == 0, "exporter request traced")
	check(body == "hello exporter ", "exporter request carried trace context: %q", body)

	// 3. A hand-instrumented client keeps its own span only.
	rec.Reset()
	get(&http.Client{Transport: otelhttp.NewTransport(http.DefaultTransport)}, srv.URL+"/hello/own", "")
	check(len(spans(trace.SpanKindClient)) == 1, "hand-instrumented client: %d client spans", len(spans(trace.SpanKindClient)))

	// 4. A handler the program wrapped in (woven) otelhttp.NewHandler: one server span.
	rec.Reset()
	get(http.DefaultClient, srv.URL+"/wrapped/1", "")
	servers = spans(trace.SpanKindServer)
	check(len(servers) == 1, "wrapped handler: %d server spans", len(servers))
	if len(servers) == 1 {
		check(servers[0].Name() == "GET /wrapped/{id}", "wrapped handler span %q", servers[0].Name())
	}

	if failed {
		os.Exit(1)
	}
	fmt.Println("PASS")
}

// otelhttpHandler is what the weaver makes of otelhttp.NewHandler(h, "wrapped").
func otelhttpHandler(h http.Handler) http.Handler { return nethttp.NewHandler(h, "wrapped") }
