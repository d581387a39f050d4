// Command pgxapp is an unmodified pgx v5 program for toolweave's pgx integration test: given
// a PostgreSQL DSN in PG_DSN, it queries through a connection (pgx.Connect), a pool
// (pgxpool.New) and a connection whose config carries a tracer of its own (which must keep
// working: it prints how many queries it saw), each from a //weave:span function.
package main

import (
	"context"
	"fmt"
	"os"
	"sync/atomic"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
)

var dsn = os.Getenv("PG_DSN")

//weave:span
func conn(ctx context.Context) error {
	c, err := pgx.Connect(ctx, dsn)
	if err != nil {
		return err
	}
	defer c.Close(ctx)
	if _, err := c.Exec(ctx, "CREATE TABLE IF NOT EXISTS pgx_items (id int PRIMARY KEY, name text)"); err != nil {
		return err
	}
	if _, err := c.Exec(ctx, "INSERT INTO pgx_items VALUES (1, 'one') ON CONFLICT DO NOTHING"); err != nil {
		return err
	}
	var name string
	return c.QueryRow(ctx, "SELECT name FROM pgx_items WHERE id = $1", 1).Scan(&name)
}

//weave:span
func pool(ctx context.Context) error {
	p, err := pgxpool.New(ctx, dsn)
	if err != nil {
		return err
	}
	defer p.Close()
	var n int
	return p.QueryRow(ctx, "SELECT count(*) FROM pgx_items WHERE name <> 'secret'").Scan(&n)
}

// counting is the program's own tracer.
type counting struct{ queries atomic.Int64 }

func (c *counting) TraceQueryStart(ctx context.Context, _ *pgx.Conn, _ pgx.TraceQueryStartData) context.Context {
	c.queries.Add(1)
	return ctx
}
func (c *counting) TraceQueryEnd(context.Context, *pgx.Conn, pgx.TraceQueryEndData) {}

//weave:span
func ownTracer(ctx context.Context, tracer *counting) error {
	config, err := pgx.ParseConfig(dsn)
	if err != nil {
		return err
	}
	config.Tracer = tracer
	c, err := pgx.ConnectConfig(ctx, config)
	if err != nil {
		return err
	}
	defer c.Close(ctx)
	_, err = c.Exec(ctx, "SELECT 1")
	return err
}

func main() {
	ctx := context.Background()
	tracer := &counting{}
	for _, run := range []func() error{
		func() error { return conn(ctx) }, func() error { return pool(ctx) },
		func() error { return ownTracer(ctx, tracer) },
	} {
		if err := run(); err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
	}
	fmt.Printf("own tracer saw %d queries\n", tracer.queries.Load())
}
