package twsql

// A small in-memory database/sql driver: enough of the driver interfaces (context
// variants, prepared statements, transactions, rows) for otelsql to take every path. A real
// SQLite (modernc.org/sqlite) would be a requirement of this module, and the weaver adds
// every requirement of the runtime module to each woven build: its exact modernc.org/libc
// pin would then be forced on programs that use another SQLite version.

import (
	"context"
	"database/sql/driver"
	"errors"
	"io"
	"sync"
	"sync/atomic"
)

type fakeDriver struct {
	connects atomic.Int64
	mu       sync.Mutex
	queries  []string
}

func (d *fakeDriver) Open(string) (driver.Conn, error) {
	d.connects.Add(1)
	return &fakeConn{d: d}, nil
}

func (d *fakeDriver) OpenConnector(dsn string) (driver.Connector, error) {
	return &fakeConnector{d: d}, nil
}

func (d *fakeDriver) run(query string) error {
	d.mu.Lock()
	d.queries = append(d.queries, query)
	d.mu.Unlock()
	if query == "FAIL" {
		return errors.New("fake: failed")
	}
	return nil
}

type fakeConnector struct{ d *fakeDriver }

func (c *fakeConnector) Connect(context.Context) (driver.Conn, error) { return c.d.Open("") }
func (c *fakeConnector) Driver() driver.Driver                        { return c.d }

type fakeConn struct{ d *fakeDriver }

var (
	_ driver.ConnPrepareContext = (*fakeConn)(nil)
	_ driver.ExecerContext      = (*fakeConn)(nil)
	_ driver.QueryerContext     = (*fakeConn)(nil)
	_ driver.ConnBeginTx        = (*fakeConn)(nil)
	_ driver.StmtExecContext    = (*fakeStmt)(nil)
	_ driver.StmtQueryContext   = (*fakeStmt)(nil)
)

func (c *fakeConn) Prepare(query string) (driver.Stmt, error) {
	return c.PrepareContext(context.Background(), query)
}

func (c *fakeConn) PrepareContext(_ context.Context, query string) (driver.Stmt, error) {
	return &fakeStmt{c: c, query: query}, nil
}

func (c *fakeConn) Close() error              { return nil }
func (c *fakeConn) Begin() (driver.Tx, error) { return fakeTx{}, nil }

func (c *fakeConn) BeginTx(context.Context, driver.TxOptions) (driver.Tx, error) {
	return fakeTx{}, nil
}

func (c *fakeConn) ExecContext(_ context.Context, query string, _ []driver.NamedValue) (driver.Result, error) {
	if err := c.d.run(query); err != nil {
		return nil, err
	}
	return driver.RowsAffected(1), nil
}

func (c *fakeConn) QueryContext(_ context.Context, query string, _ []driver.NamedValue) (driver.Rows, error) {
	if err := c.d.run(query); err != nil {
		return nil, err
	}
	return &fakeRows{}, nil
}

type fakeStmt struct {
	c     *fakeConn
	query string
}

func (s *fakeStmt) Close() error  { return nil }
func (s *fakeStmt) NumInput() int { return -1 }

func (s *fakeStmt) Exec([]driver.Value) (driver.Result, error) {
	return s.c.ExecContext(context.Background(), s.query, nil)
}

func (s *fakeStmt) Query([]driver.Value) (driver.Rows, error) {
	return s.c.QueryContext(context.Background(), s.query, nil)
}

func (s *fakeStmt) ExecContext(ctx context.Context, args []driver.NamedValue) (driver.Result, error) {
	return s.c.ExecContext(ctx, s.query, args)
}

func (s *fakeStmt) QueryContext(ctx context.Context, args []driver.NamedValue) (driver.Rows, error) {
	return s.c.QueryContext(ctx, s.query, args)
}

type fakeTx struct{}

func (fakeTx) Commit() error   { return nil }
func (fakeTx) Rollback() error { return nil }

// fakeRows is one row with one column v = 1.
type fakeRows struct{ done bool }

func (r *fakeRows) Columns() []string { return []string{"v"} }
func (r *fakeRows) Close() error      { return nil }

func (r *fakeRows) Next(dest []driver.Value) error {
	if r.done {
		return io.EOF
	}
	r.done = true
	dest[0] = int64(1)
	return nil
}
