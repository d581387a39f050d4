// Command svcb-manual is service B of the standard-library integration tests (../svcb)
// instrumented BY HAND with the contrib libraries toolweave weaves in: otelhttp around the
// mux, otelsql for both databases (with db.system.name and connection-pool metrics), the
// otelslog bridge beside the JSON handler (which gains trace_id/span_id), runtime metrics and
// an SDK from OTEL_* (otel.go). It is the baseline of bench/stdlib_b.py: the same service,
// the same libraries, written by a person instead of woven. Apart from those call sites
// main.go is ../svcb/main.go.
//
//	svcb-manual -addr 127.0.0.1:8081 -pg postgres://postgres@127.0.0.1:5432/app?sslmode=disable
package main

import (
	"context"
	"database/sql"
	"encoding/json"
	"flag"
	"fmt"
	"log/slog"
	"net/http"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/XSAM/otelsql"
	_ "github.com/jackc/pgx/v5/stdlib"
	"go.opentelemetry.io/contrib/bridges/otelslog"
	"go.opentelemetry.io/contrib/instrumentation/net/http/otelhttp"
	semconv "go.opentelemetry.io/otel/semconv/v1.40.0"
	_ "modernc.org/sqlite"
)

type greeter struct {
	pg   *sql.DB
	lite *sql.DB
}

func main() {
	addr := flag.String("addr", "127.0.0.1:8081", "address to listen on")
	dsn := flag.String("pg", "", "PostgreSQL DSN (postgres://…)")
	flag.Parse()
	shutdown := setupOTel()
	slog.SetDefault(slog.New(slog.NewMultiHandler(
		traceIDs{slog.NewJSONHandler(os.Stderr, nil)},
		otelslog.NewHandler("example.com/svcb-manual"),
	)))

	err := run(*addr, *dsn)
	if err != nil {
		slog.Error("svcb failed", "error", err)
	}
	shutdown()
	if err != nil {
		os.Exit(1)
	}
}

func run(addr, dsn string) error {
	pg, err := otelsql.Open("pgx", dsn, otelsql.WithAttributes(semconv.DBSystemNamePostgreSQL))
	if err != nil {
		return fmt.Errorf("open postgres: %w", err)
	}
	defer pg.Close()
	if _, err := otelsql.RegisterDBStatsMetrics(pg, otelsql.WithAttributes(semconv.DBSystemNamePostgreSQL)); err != nil {
		return fmt.Errorf("postgres pool metrics: %w", err)
	}
	lite, err := otelsql.Open("sqlite", ":memory:", otelsql.WithAttributes(semconv.DBSystemNameSQLite))
	if err != nil {
		return fmt.Errorf("open sqlite: %w", err)
	}
	defer lite.Close()
	if _, err := otelsql.RegisterDBStatsMetrics(lite, otelsql.WithAttributes(semconv.DBSystemNameSQLite)); err != nil {
		return fmt.Errorf("sqlite pool metrics: %w", err)
	}
	lite.SetMaxOpenConns(1) // one connection: one in-memory database

	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if _, err := pg.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS greetings (
		id serial PRIMARY KEY, name text NOT NULL, at timestamptz NOT NULL DEFAULT now())`); err != nil {
		return fmt.Errorf("create table: %w", err)
	}
	if _, err := pg.ExecContext(ctx, `CREATE INDEX IF NOT EXISTS greetings_name ON greetings (name)`); err != nil {
		return fmt.Errorf("create index: %w", err)
	}
	if _, err := lite.ExecContext(ctx, `CREATE TABLE salutations (word TEXT NOT NULL)`); err != nil {
		return fmt.Errorf("sqlite schema: %w", err)
	}
	if _, err := lite.ExecContext(ctx, `INSERT INTO salutations (word) VALUES ('hello')`); err != nil {
		return fmt.Errorf("sqlite data: %w", err)
	}

	g := &greeter{pg: pg, lite: lite}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /greet/{name}", g.greet)

	errc := make(chan error, 1)
	go func() { errc <- http.ListenAndServe(addr, otelhttp.NewHandler(mux, "svcb")) }()
	fmt.Fprintf(os.Stderr, "listening on %s\n", addr)

	sigs := make(chan os.Signal, 1)
	signal.Notify(sigs, syscall.SIGTERM, os.Interrupt)
	select {
	case err := <-errc:
		return err
	case s := <-sigs:
		slog.Info("svcb stopping", "signal", s.String())
		return nil
	}
}

func (g *greeter) greet(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	name := r.PathValue("name")
	count, err := g.record(ctx, name)
	if err != nil {
		slog.ErrorContext(ctx, "recording the greeting failed", "name", name, "error", err)
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	var word string
	if err := g.lite.QueryRowContext(ctx, `SELECT upper(word) FROM salutations LIMIT 1`).Scan(&word); err != nil {
		slog.ErrorContext(ctx, "sqlite query failed", "error", err)
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	slog.InfoContext(ctx, "greeted", "name", name, "count", count)
	w.Header().Set("Content-Type", "application/json")
	json.NewEncoder(w).Encode(map[string]any{"greeting": word + " " + name, "count": count})
}

// record inserts a row for name and counts the rows for it, in one transaction.
func (g *greeter) record(ctx context.Context, name string) (int, error) {
	tx, err := g.pg.BeginTx(ctx, nil)
	if err != nil {
		return 0, err
	}
	defer tx.Rollback()
	if _, err := tx.ExecContext(ctx, `INSERT INTO greetings (name) VALUES ($1)`, name); err != nil {
		return 0, err
	}
	var n int
	if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM greetings WHERE name = $1`, name).Scan(&n); err != nil {
		return 0, err
	}
	return n, tx.Commit()
}
