// Command multi is the "many integrations" benchmark service of bench/apps: an HTTP server
// whose GET /work/{n} runs a //weave:span function, reads SQLite, calls a downstream HTTP
// endpoint (its own /leaf) and logs one slog line, then answers JSON. It knows nothing of
// OpenTelemetry: toolweave weaves that in. ../manual is the same service instrumented by hand.
//
//	multi -addr 127.0.0.1:0 -log-level warn
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
	slog.SetDefault(newLogger(os.Stderr, lvl))

	if err := run(*addr); err != nil {
		slog.Error("multi failed", "error", err)
		os.Exit(1)
	}
}

// newLogger is the program's logger: JSON to w, records below level dropped.
func newLogger(w io.Writer, level slog.Level) *slog.Logger {
	return slog.New(slog.NewJSONHandler(w, &slog.HandlerOptions{Level: level}))
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
