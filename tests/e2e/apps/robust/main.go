// robust: a small HTTP service for tests/e2e/test_robustness_e2e.py. Plain Go, no telemetry
// code: toolweave weaves net/http (a server span per request), log/slog, the //weave:span
// function below and the os.Exit in /exit (bootstrap.Exit, which flushes).
//
// GET /work/{id}: one server span and one "compute" span. GET /exit: prints the number of
// /work requests served and exits with os.Exit(0) (that request's own span never ends).
// SIGTERM: the server shuts down, the count is printed and main returns.
package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/signal"
	"strconv"
	"sync/atomic"
	"syscall"
	"time"
)

var served atomic.Int64

// compute is the request's own work, under its server span.
//
//weave:span
func compute(ctx context.Context, id int) int {
	sum := 0
	for i := 0; i <= id; i++ {
		sum += i
	}
	return sum
}

func work(w http.ResponseWriter, r *http.Request) {
	id, err := strconv.Atoi(r.PathValue("id"))
	if err != nil {
		http.Error(w, "bad id", http.StatusBadRequest)
		return
	}
	sum := compute(r.Context(), id)
	served.Add(1)
	fmt.Fprintf(w, "%d\n", sum)
}

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGTERM, os.Interrupt)
	defer stop()
	mux := http.NewServeMux()
	mux.HandleFunc("GET /work/{id}", work)
	mux.HandleFunc("GET /exit", func(w http.ResponseWriter, r *http.Request) {
		fmt.Printf("served %d\n", served.Load())
		os.Exit(0)
	})
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		slog.Error("listen", "err", err)
		os.Exit(1)
	}
	fmt.Printf("listening on %s\n", ln.Addr())
	srv := &http.Server{Handler: mux, ReadHeaderTimeout: 5 * time.Second}
	go func() {
		<-ctx.Done()
		shutdown, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		srv.Shutdown(shutdown)
	}()
	if err := srv.Serve(ln); !errors.Is(err, http.ErrServerClosed) {
		slog.Error("serve", "err", err)
		os.Exit(1)
	}
	fmt.Printf("served %d\n", served.Load())
}
