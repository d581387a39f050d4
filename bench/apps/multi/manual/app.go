package main

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"hash/fnv"
	"io"
	"log/slog"
	"net/http"
	"strconv"
	"time"

	"github.com/XSAM/otelsql"
	"go.opentelemetry.io/contrib/instrumentation/net/http/otelhttp"
	"go.opentelemetry.io/otel"
	"go.opentelemetry.io/otel/codes"
	semconv "go.opentelemetry.io/otel/semconv/v1.40.0"
	"go.opentelemetry.io/otel/trace"
	_ "modernc.org/sqlite"
)

// items is the number of rows seeded into the items table; /work/{n} reads row n%items+1.
const items = 100

// app is the service: an in-memory SQLite database, the HTTP client of the downstream call
// and the base URL of the downstream (this very server, whose /leaf answers it).
type app struct {
	db      *sql.DB
	client  *http.Client
	leafURL string
}

func newApp(ctx context.Context, leafURL string) (*app, error) {
	db, err := otelsql.Open("sqlite", ":memory:", otelsql.WithAttributes(semconv.DBSystemNameSQLite),
		otelsql.WithSpanOptions(otelsql.SpanOptions{DisableErrSkip: true, OmitConnResetSession: true}))
	if err != nil {
		return nil, fmt.Errorf("open sqlite: %w", err)
	}
	if _, err := otelsql.RegisterDBStatsMetrics(db, otelsql.WithAttributes(semconv.DBSystemNameSQLite)); err != nil {
		db.Close()
		return nil, fmt.Errorf("sqlite pool metrics: %w", err)
	}
	db.SetMaxOpenConns(1) // one connection: one in-memory database
	if err := seed(ctx, db); err != nil {
		db.Close()
		return nil, err
	}
	return &app{db: db, client: newClient(), leafURL: leafURL}, nil
}

func (a *app) Close() error { return a.db.Close() }

// seed creates the items table and fills it with items rows.
func seed(ctx context.Context, db *sql.DB) error {
	if _, err := db.ExecContext(ctx, `CREATE TABLE items (id INTEGER PRIMARY KEY, name TEXT NOT NULL, price INTEGER NOT NULL)`); err != nil {
		return fmt.Errorf("sqlite schema: %w", err)
	}
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	for i := 1; i <= items; i++ {
		if _, err := tx.ExecContext(ctx, `INSERT INTO items (id, name, price) VALUES (?, ?, ?)`, i, fmt.Sprintf("item-%03d", i), i*7%100+1); err != nil {
			return fmt.Errorf("sqlite data: %w", err)
		}
	}
	return tx.Commit()
}

// newClient is the client of the downstream call, with room for one idle connection per
// concurrent request (the default keeps two per host).
func newClient() *http.Client {
	t := http.DefaultTransport.(*http.Transport).Clone()
	t.MaxIdleConnsPerHost = 64
	return &http.Client{Transport: otelhttp.NewTransport(t), Timeout: 5 * time.Second}
}

func (a *app) handler() http.Handler {
	mux := http.NewServeMux()
	mux.Handle("GET /work/{n}", withRoute("/work/{n}", a.work))
	mux.Handle("GET /leaf", withRoute("/leaf", a.leaf))
	return otelhttp.NewHandler(mux, "multi")
}

// withRoute sets http.route on the server span, as the semantic conventions require:
// otelhttp names the span after the ServeMux pattern but leaves the attribute off the span.
func withRoute(route string, h http.HandlerFunc) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		trace.SpanFromContext(r.Context()).SetAttributes(semconv.HTTPRoute(route))
		h(w, r)
	})
}

func (a *app) work(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	n, err := strconv.Atoi(r.PathValue("n"))
	if err != nil || n < 0 {
		http.Error(w, "n: not a non-negative integer", http.StatusBadRequest)
		return
	}
	score, err := compute(ctx, n)
	if err != nil {
		http.Error(w, err.Error(), http.StatusServiceUnavailable)
		return
	}
	var name string
	var price int
	if err := a.db.QueryRowContext(ctx, `SELECT name, price FROM items WHERE id = ?`, n%items+1).Scan(&name, &price); err != nil {
		slog.ErrorContext(ctx, "sqlite query failed", "error", err)
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	leaf, err := a.callLeaf(ctx, n)
	if err != nil {
		slog.ErrorContext(ctx, "downstream call failed", "error", err)
		http.Error(w, err.Error(), http.StatusBadGateway)
		return
	}
	slog.InfoContext(ctx, "work done", "n", n, "item", name, "price", price)
	w.Header().Set("Content-Type", "application/json")
	json.NewEncoder(w).Encode(map[string]any{"n": n, "item": name, "price": price, "score": score, "leaf": leaf})
}

// compute is the request's own work: a hash chained n%64+1 times, in a span.
func compute(ctx context.Context, n int) (_ uint64, err error) {
	ctx, span := otel.Tracer("example.com/multi-manual").Start(ctx, "work.compute")
	defer func() {
		if err != nil {
			span.RecordError(err)
			span.SetStatus(codes.Error, err.Error())
		}
		span.End()
	}()
	if err := ctx.Err(); err != nil {
		return 0, err
	}
	h := fnv.New64a()
	var buf [8]byte
	var sum uint64 = uint64(n)
	for i := 0; i <= n%64; i++ {
		for j := range buf {
			buf[j] = byte(sum >> (8 * j))
		}
		h.Write(buf[:])
		sum = h.Sum64()
	}
	return sum, nil
}

// callLeaf asks the downstream for its answer to n.
func (a *app) callLeaf(ctx context.Context, n int) (string, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, a.leafURL+"/leaf?n="+strconv.Itoa(n), nil)
	if err != nil {
		return "", err
	}
	resp, err := a.client.Do(req)
	if err != nil {
		return "", err
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, 1<<10))
	if err != nil {
		return "", err
	}
	if resp.StatusCode != http.StatusOK {
		return "", errors.New("downstream: " + resp.Status)
	}
	return string(body), nil
}

// leaf is the downstream endpoint: it echoes n.
func (a *app) leaf(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "text/plain")
	io.WriteString(w, "leaf "+r.URL.Query().Get("n"))
}
