// Package twsql (import path toolweave.dev/runtime/sql) is the runtime side of toolweave's
// database/sql integration: the weaver replaces a program's sql.Open and sql.OpenDB calls
// with Open and OpenDB here, which open the database through github.com/XSAM/otelsql.
//
// Every connection, statement, transaction and result set then gets its client span
// (sql.conn.query, sql.conn.exec, sql.conn.prepare, sql.stmt.*, sql.conn.begin_tx,
// sql.tx.commit, sql.rows, …) with db.system.name (and server.address / server.port
// where the data source name has them), db.client.operation.duration, and the
// connection-pool metrics (db.sql.connection.*) of otelsql.RegisterDBStatsMetrics, all
// with the global providers bootstrap installs.
//
// db.query.text is decided by TOOLWEAVE_DB_QUERY_TEXT when the database is opened:
//
//	sanitized  (default, also for unknown values) literals replaced by "?", see Sanitize
//	raw        the statement as the program wrote it
//	off        no db.query.text attribute
//
// The driver keeps its name: nothing is registered under another one, so code that looks
// the name up later (sqlx's bind-variable style) still finds it. A driver that is already
// instrumented (otelsql's own, or any driver from a package whose path contains "otelsql")
// is opened as it is, so the program's own instrumentation stays the only one.
package twsql

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"fmt"
	"reflect"
	"strings"
	"sync"

	"github.com/XSAM/otelsql"
	"go.opentelemetry.io/otel"
	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/metric"
	semconv "go.opentelemetry.io/otel/semconv/v1.43.0"
	"toolweave.dev/runtime/dbtext"
)

// QueryTextEnv is the environment variable that decides db.query.text (package dbtext: with
// the build's default from toolweave.yml, the one switch of every database integration).
const QueryTextEnv = dbtext.Env

// Open is sql.Open through otelsql.Open. The database system is known from the driver
// name, or else from the driver's package.
func Open(driverName, dataSourceName string) (*sql.DB, error) {
	system, known := systemByName[driverName]
	if !known {
		// Ask the driver itself. sql.Open connects to nothing; otelsql.Open repeats it.
		db, err := sql.Open(driverName, dataSourceName)
		if err != nil {
			return nil, err
		}
		d := db.Driver()
		if instrumented(d) {
			return db, nil
		}
		system = systemOf(d)
		if err := db.Close(); err != nil {
			return nil, err
		}
	}
	opts := options(system, dataSourceName)
	db, err := otelsql.Open(driverName, dataSourceName, opts...)
	if err != nil {
		return nil, err
	}
	registerStats(db, opts)
	return db, nil
}

// OpenDB is sql.OpenDB through otelsql.OpenDB. The database system is known from the
// package of the connector's driver (or of the connector).
func OpenDB(c driver.Connector) *sql.DB {
	d := c.Driver()
	if instrumented(c) || instrumented(d) {
		return sql.OpenDB(c)
	}
	system := systemOf(d)
	if system == otherSQL {
		system = systemOf(c)
	}
	opts := options(system, "")
	db := otelsql.OpenDB(c, opts...)
	registerStats(db, opts)
	return db
}

// options configures otelsql for one database: its attributes (on spans and metrics), the
// query text as TOOLWEAVE_DB_QUERY_TEXT says, and no error status for driver.ErrSkip (the
// driver asking database/sql to take another way, not a failure).
func options(system, dsn string) []otelsql.Option {
	attrs := []attribute.KeyValue{semconv.DBSystemNameKey.String(system)}
	if system != "sqlite" {
		attrs = append(attrs, serverAttributes(dsn)...)
	}
	spans := otelsql.SpanOptions{DisableErrSkip: true, OmitConnResetSession: true, SpanFilter: unhandled}
	opts := []otelsql.Option{otelsql.WithAttributes(attrs...), otelsql.WithDisableSkipErrMeasurement(true)}
	mode, unknown := dbtext.Mode()
	if unknown != "" {
		otel.Handle(fmt.Errorf("toolweave: %s=%q is not sanitized, raw or off; using %s", QueryTextEnv, unknown, mode))
	}
	switch mode {
	case dbtext.Raw:
	case dbtext.Off:
		spans.DisableQuery = true
	default:
		spans.DisableQuery = true
		dq := system == "mysql" || system == otherSQL
		opts = append(opts, otelsql.WithAttributesGetter(func(_ context.Context, _ otelsql.Method, query string, _ []driver.NamedValue) []attribute.KeyValue {
			if query == "" {
				return nil
			}
			return []attribute.KeyValue{semconv.DBQueryText(sanitize(query, dq))}
		}))
	}
	return append(opts, otelsql.WithSpanOptions(spans))
}

// handledKey marks a context whose database calls a higher-level integration traces.
type handledKey struct{}

// Handled returns ctx marked as traced by a higher-level integration (gorm's statements): the
// database calls made with it get no database/sql span of their own, so each statement has
// one client span, the integration's.
func Handled(ctx context.Context) context.Context {
	if ctx.Value(handledKey{}) != nil {
		return ctx
	}
	return context.WithValue(ctx, handledKey{}, true)
}

// unhandled is otelsql's span filter: a span unless a higher-level integration has one.
func unhandled(ctx context.Context, _ otelsql.Method, _ string, _ []driver.NamedValue) bool {
	return ctx == nil || ctx.Value(handledKey{}) == nil
}

// serverAttributes are server.address and server.port of a URL-like data source name
// (scheme://user:password@host:port/db, user:password@tcp(host:port)/db); other forms,
// such as PostgreSQL's key=value list, give nothing rather than a wrong address.
func serverAttributes(dsn string) []attribute.KeyValue {
	if strings.Contains(dsn, "://") || (strings.Contains(dsn, "(") && strings.Contains(dsn, ")/")) {
		return otelsql.AttributesFromDSN(dsn)
	}
	return nil
}

const otherSQL = "other_sql"

// systemByName maps the names drivers register to db.system.name.
var systemByName = map[string]string{
	"postgres": "postgresql", "pgx": "postgresql", "pgx/v5": "postgresql", "pgx/v4": "postgresql",
	"sqlite": "sqlite", "sqlite3": "sqlite",
	"mysql":     "mysql",
	"sqlserver": "microsoft.sql_server", "mssql": "microsoft.sql_server", "azuresql": "microsoft.sql_server",
	"oracle": "oracle.db", "godror": "oracle.db",
	"clickhouse": "clickhouse",
}

// systemByPackage maps words in a driver's package path to db.system.name, first match
// winning (github.com/lib/pq, github.com/jackc/pgx/v5/stdlib, modernc.org/sqlite,
// github.com/mattn/go-sqlite3, github.com/go-sql-driver/mysql, github.com/microsoft/go-mssqldb,
// github.com/godror/godror, github.com/sijms/go-ora/v2, github.com/ClickHouse/clickhouse-go/v2).
var systemByPackage = []struct{ word, system string }{
	{"lib/pq", "postgresql"}, {"pgx", "postgresql"}, {"postgres", "postgresql"},
	{"sqlite", "sqlite"},
	{"mysql", "mysql"},
	{"mssql", "microsoft.sql_server"}, {"sqlserver", "microsoft.sql_server"},
	{"godror", "oracle.db"}, {"go-ora", "oracle.db"}, {"oracle", "oracle.db"},
	{"clickhouse", "clickhouse"},
}

// systemOf is db.system.name for a driver or connector, from its type's package path.
func systemOf(v any) string { return systemForPackage(pkgPath(v)) }

func systemForPackage(path string) string {
	path = strings.ToLower(path)
	for _, e := range systemByPackage {
		if strings.Contains(path, e.word) {
			return e.system
		}
	}
	return otherSQL
}

// instrumented reports a driver or connector from an instrumentation package.
func instrumented(v any) bool {
	return strings.Contains(strings.ToLower(pkgPath(v)), "otelsql")
}

func pkgPath(v any) string {
	t := reflect.TypeOf(v)
	for t != nil && t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	if t == nil {
		return ""
	}
	return t.PkgPath()
}

// registerStats registers otelsql's connection-pool metrics for db. Their callback holds
// db, so it would keep a closed DB (and its series) alive for the life of the process; the
// Meter given to otelsql drops the callback at the first collection after db.Close.
func registerStats(db *sql.DB, opts []otelsql.Option) {
	mp := statsProvider{otel.GetMeterProvider(), db}
	if _, err := otelsql.RegisterDBStatsMetrics(db, append(opts[:len(opts):len(opts)], otelsql.WithMeterProvider(mp))...); err != nil {
		otel.Handle(err)
	}
}

type statsProvider struct {
	metric.MeterProvider
	db *sql.DB
}

func (p statsProvider) Meter(name string, opts ...metric.MeterOption) metric.Meter {
	return statsMeter{p.MeterProvider.Meter(name, opts...), p.db}
}

type statsMeter struct {
	metric.Meter
	db *sql.DB
}

func (m statsMeter) RegisterCallback(f metric.Callback, instruments ...metric.Observable) (metric.Registration, error) {
	registered := make(chan metric.Registration, 1)
	var drop sync.Once
	reg, err := m.Meter.RegisterCallback(func(ctx context.Context, o metric.Observer) error {
		if !closed(m.db) {
			return f(ctx, o)
		}
		// Unregistering waits for the collection this callback is part of: not from here.
		drop.Do(func() {
			go func() {
				if reg := <-registered; reg != nil {
					_ = reg.Unregister()
				}
			}()
		})
		return nil
	}, instruments...)
	registered <- reg
	return reg, err
}

// canceled is a context that is done: DB.Conn with it fails at once, without touching a
// connection, with errDBClosed if the DB is closed and the context's error otherwise.
var canceled = func() context.Context {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	return ctx
}()

// closed reports whether db.Close has been called (database/sql has no accessor for it).
func closed(db *sql.DB) bool {
	c, err := db.Conn(canceled)
	if err == nil {
		_ = c.Close()
		return false
	}
	return !errors.Is(err, context.Canceled)
}
