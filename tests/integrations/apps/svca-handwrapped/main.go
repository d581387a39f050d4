// Command svca-handwrapped is service A of the standard-library integration tests with its
// HTTP server handler and client transport already wrapped by hand in otelhttp (and nothing
// else: no SDK set-up, toolweave's bootstrap does that). Built with toolweave it must still
// produce one server span per request and one client span per outgoing call: woven
// instrumentation must not instrument already instrumented code a second time.
//
//	svca-handwrapped -addr 127.0.0.1:0 -b http://127.0.0.1:8081      # prints "listening on ADDR" to stderr
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/signal"
	"syscall"
	"time"

	"go.opentelemetry.io/contrib/instrumentation/net/http/otelhttp"
)

func main() {
	addr := flag.String("addr", "127.0.0.1:8080", "address to listen on (port 0: any free port)")
	b := flag.String("b", "http://127.0.0.1:8081", "service B's base URL")
	flag.Parse()

	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		fmt.Fprintln(os.Stderr, "svca:", err)
		os.Exit(1)
	}
	client := &http.Client{Timeout: 10 * time.Second, Transport: otelhttp.NewTransport(http.DefaultTransport)}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /hello/{name}", func(w http.ResponseWriter, r *http.Request) {
		hello(w, r, client, *b)
	})
	srv := &http.Server{Handler: otelhttp.NewHandler(mux, "svca"), ReadHeaderTimeout: 5 * time.Second}

	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	fmt.Fprintf(os.Stderr, "listening on %s\n", ln.Addr())

	sigs := make(chan os.Signal, 1)
	signal.Notify(sigs, syscall.SIGTERM, os.Interrupt)
	select {
	case err := <-errc:
		if !errors.Is(err, http.ErrServerClosed) {
			fmt.Fprintln(os.Stderr, "svca:", err)
		}
	case <-sigs:
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		srv.Shutdown(ctx)
	}
}

func hello(w http.ResponseWriter, r *http.Request, client *http.Client, base string) {
	name := r.PathValue("name")
	req, err := http.NewRequestWithContext(r.Context(), http.MethodGet, base+"/greet/"+url.PathEscape(name), nil)
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	resp, err := client.Do(req)
	if err != nil {
		slog.ErrorContext(r.Context(), "calling service B failed", "error", err)
		http.Error(w, err.Error(), http.StatusBadGateway)
		return
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadGateway)
		return
	}
	slog.InfoContext(r.Context(), "said hello", "name", name, "b_status", resp.StatusCode)
	w.Header().Set("Content-Type", resp.Header.Get("Content-Type"))
	w.WriteHeader(resp.StatusCode)
	w.Write(body)
}
