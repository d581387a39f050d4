// Command multi-manual is the "many integrations" benchmark service of bench/apps (../plain)
// instrumented BY HAND with the contrib libraries toolweave weaves in: otelhttp around the
// mux and in the client, otelsql for SQLite (with db.system.name and connection-pool
// metrics), the otelslog bridge beside the JSON handler (which gains trace_id/span_id), a
// span where plain has //weave:span, runtime metrics and an SDK from OTEL_* (otel.go). Apart
// from those call sites main.go and app.go are ../plain's.
//
//	multi-manual -addr 127.0.0.1:0 -log-level warn
package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/signal"
	"runtime"
	"syscall"
	"time"
)

func main() {
	addr := flag.String("addr", "127.0.0.1:8080", "address to listen on (port 0: any free port)")
	level := flag.String("log-level", "info", "slog level: debug, info, warn or error (warn silences the per-request line)")
	flag.Parse()
	var lvl slog.Level
	if err := lvl.UnmarshalText([]byte(*level)); err != nil {
		fmt.Fprintf(os.Stderr, "multi: -log-level: %v\n", err)
		os.Exit(2)
	}
	shutdown := setupOTel()
	slog.SetDefault(newLogger(os.Stderr, lvl))

	err := run(*addr)
	if err != nil {
		slog.Error("multi failed", "error", err)
	}
	shutdown()
	if err != nil {
		os.Exit(1)
	}
}

// newLogger is the program's logger: JSON to w, records below level dropped; every record
// kept is also exported through the otelslog bridge, and the JSON gains trace_id/span_id.
func newLogger(w io.Writer, level slog.Level) *slog.Logger {
	return slog.New(teeOTel(slog.NewJSONHandler(w, &slog.HandlerOptions{Level: level})))
}

func run(addr string) error {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return err
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	a, err := newApp(ctx, "http://"+ln.Addr().String())
	if err != nil {
		ln.Close()
		return err
	}
	defer a.Close()

	go reportAllocations()
	srv := &http.Server{Handler: a.handler(), ReadHeaderTimeout: 10 * time.Second}
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	fmt.Fprintf(os.Stderr, "listening on %s\n", ln.Addr())

	sigs := make(chan os.Signal, 1)
	signal.Notify(sigs, syscall.SIGTERM, os.Interrupt)
	select {
	case err := <-errc:
		return err
	case s := <-sigs:
		slog.Info("multi stopping", "signal", s.String())
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		return srv.Shutdown(ctx)
	}
}

// reportAllocations prints "mallocs N" (heap allocations so far, runtime.MemStats) on stdout
// on every SIGUSR1, for bench/loadbench.py's allocations per request.
func reportAllocations() {
	usr1 := make(chan os.Signal, 1)
	signal.Notify(usr1, syscall.SIGUSR1)
	for range usr1 {
		var m runtime.MemStats
		runtime.ReadMemStats(&m)
		fmt.Println("mallocs", m.Mallocs)
	}
}
