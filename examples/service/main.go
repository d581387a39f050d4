// Command service is a small item store: an HTTP API over SQLite with a background worker.
//
// It is plain Go with no telemetry code. The //weave:span and //weave:log comments are
// directives for toolweave, which adds OpenTelemetry instrumentation at build time;
// `go build` ignores them.
//
// Two flags end the program the ways that skip deferred calls, so a woven build can be
// checked to lose nothing on them: -exit-after (os.Exit(3)) and -fatal-after (log.Fatal).
package main

import (
	"context"
	"errors"
	"flag"
	"log"
	"net"
	"net/http"
	"os"
	"os/signal"
	"syscall"
	"time"
)

func main() {
	addr := flag.String("addr", "127.0.0.1:8080", "listen address (port 0 picks a free one)")
	dsn := flag.String("db", ":memory:", "SQLite database file (or DSN)")
	interval := flag.Duration("interval", 2*time.Second, "how often the background worker runs")
	exitAfter := flag.Duration("exit-after", 0, "exit with status 3 after this long (0: never)")
	fatalAfter := flag.Duration("fatal-after", 0, "stop through log.Fatal after this long (0: never)")
	flag.Parse()

	store, err := OpenStore(*dsn)
	if err != nil {
		log.Fatalf("open store: %v", err)
	}
	defer store.Close()

	// SIGINT/SIGTERM end the program by returning from main, which runs deferred calls.
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()

	if *exitAfter > 0 {
		time.AfterFunc(*exitAfter, func() {
			log.Printf("exiting with status 3 after %v", *exitAfter)
			os.Exit(3)
		})
	}
	if *fatalAfter > 0 {
		time.AfterFunc(*fatalAfter, func() { log.Fatalf("fatal after %v", *fatalAfter) })
	}

	done := make(chan struct{})
	go func() {
		defer close(done)
		runWorker(ctx, store, *interval)
	}()

	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		log.Fatal(err)
	}
	// Tests start the service on port 0 and read the real address from this line.
	log.Printf("listening on %s", ln.Addr())
	srv := &http.Server{Handler: newAPI(store).routes(), ReadHeaderTimeout: 5 * time.Second}
	go func() {
		<-ctx.Done()
		shutdownCtx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		srv.Shutdown(shutdownCtx)
	}()
	if err := srv.Serve(ln); !errors.Is(err, http.ErrServerClosed) {
		log.Fatal(err)
	}
	<-done
	log.Print("stopped")
}
