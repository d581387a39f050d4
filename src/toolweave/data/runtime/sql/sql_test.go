package twsql

import (
	"context"
	"database/sql"
	"fmt"
	"maps"
	"os"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/XSAM/otelsql"
	"go.opentelemetry.io/otel"
	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/metric"
	sdkmetric "go.opentelemetry.io/otel/sdk/metric"
	"go.opentelemetry.io/otel/sdk/metric/metricdata"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/sdk/trace/tracetest"
)

var (
	reader = sdkmetric.NewManualReader()
	// "sqlite3" is a name Open maps by itself; "twfake" is unknown, so the system comes
	// from the driver's package.
	sqlite, unknown = &fakeDriver{}, &fakeDriver{}
)

// reported collects what the package hands to otel.Handle.
var reported = make(chan error, 100)

func TestMain(m *testing.M) {
	otel.SetErrorHandler(otel.ErrorHandlerFunc(func(err error) { reported <- err }))
	otel.SetMeterProvider(sdkmetric.NewMeterProvider(sdkmetric.WithReader(reader)))
	sql.Register("sqlite3", sqlite)
	sql.Register("twfake", unknown)
	os.Exit(m.Run())
}

func record(t *testing.T) *tracetest.SpanRecorder {
	t.Helper()
	rec := tracetest.NewSpanRecorder()
	tp := sdktrace.NewTracerProvider(sdktrace.WithSpanProcessor(rec))
	otel.SetTracerProvider(tp)
	t.Cleanup(func() { _ = tp.Shutdown(context.Background()) })
	return rec
}

func open(t *testing.T, name, dsn string) *sql.DB {
	t.Helper()
	db, err := Open(name, dsn)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

func attrs(s sdktrace.ReadOnlySpan) map[attribute.Key]attribute.Value {
	out := map[attribute.Key]attribute.Value{}
	for _, kv := range s.Attributes() {
		out[kv.Key] = kv.Value
	}
	return out
}

func byName(spans []sdktrace.ReadOnlySpan) map[string]sdktrace.ReadOnlySpan {
	out := map[string]sdktrace.ReadOnlySpan{}
	for _, s := range spans {
		out[s.Name()] = s
	}
	return out
}

// workload runs a query, execs, a prepared statement, a transaction and a failing exec
// under a parent span.
func workload(t *testing.T, db *sql.DB) {
	t.Helper()
	ctx, parent := otel.Tracer("test").Start(context.Background(), "parent")
	defer parent.End()
	if _, err := db.ExecContext(ctx, "CREATE TABLE t (a INT, b TEXT)"); err != nil {
		t.Fatal(err)
	}
	rows, err := db.QueryContext(ctx, "SELECT a FROM t WHERE a = 42 AND b = 'secret'")
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
	}
	rows.Close()
	stmt, err := db.PrepareContext(ctx, "INSERT INTO t VALUES (?, 'x')")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := stmt.ExecContext(ctx, 1); err != nil {
		t.Fatal(err)
	}
	stmt.Close()
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := tx.ExecContext(ctx, "DELETE FROM t WHERE a = 1.5e3"); err != nil {
		t.Fatal(err)
	}
	if err := tx.Commit(); err != nil {
		t.Fatal(err)
	}
	if _, err := db.ExecContext(ctx, "FAIL"); err == nil {
		t.Fatal("FAIL did not fail")
	}
}

func TestSpansWithSystemNameAndSanitizedQueries(t *testing.T) {
	rec := record(t)
	db := open(t, "sqlite3", "file:test.db?cache=shared")
	workload(t, db)
	spans := byName(rec.Ended())
	parent := spans["parent"].SpanContext().SpanID()
	want := map[string]string{ // span -> db.query.text ("" for none)
		"sql.conn.exec":     "", // several: checked below
		"sql.conn.query":    "SELECT a FROM t WHERE a = ? AND b = ?",
		"sql.conn.prepare":  "INSERT INTO t VALUES (?, ?)",
		"sql.stmt.exec":     "INSERT INTO t VALUES (?, ?)",
		"sql.rows":          "",
		"sql.conn.begin_tx": "",
		"sql.tx.commit":     "",
	}
	for name, text := range want {
		s, ok := spans[name]
		if !ok {
			t.Errorf("no %s span in %v", name, slices.Sorted(maps.Keys(spans)))
			continue
		}
		a := attrs(s)
		if a["db.system.name"].AsString() != "sqlite" {
			t.Errorf("%s: db.system.name = %q", name, a["db.system.name"].AsString())
		}
		if _, ok := a["server.address"]; ok {
			t.Errorf("%s: server.address %q for SQLite", name, a["server.address"].AsString())
		}
		if text != "" && a["db.query.text"].AsString() != text {
			t.Errorf("%s: db.query.text = %q, want %q", name, a["db.query.text"].AsString(), text)
		}
		if text == "" && name != "sql.conn.exec" && a["db.query.text"].AsString() != "" {
			t.Errorf("%s: db.query.text = %q", name, a["db.query.text"].AsString())
		}
		if s.Parent().SpanID() != parent {
			t.Errorf("%s is not a child of the caller's span", name)
		}
	}
	// Every exec, sanitized, and the failing one marked as an error.
	var execs []string
	for _, s := range rec.Ended() {
		if s.Name() == "sql.conn.exec" {
			execs = append(execs, attrs(s)["db.query.text"].AsString())
			if attrs(s)["db.query.text"].AsString() == "FAIL" && s.Status().Code.String() != "Error" {
				t.Errorf("failed exec has status %v", s.Status())
			}
		}
	}
	if got := strings.Join(execs, "|"); got != "CREATE TABLE t (a INT, b TEXT)|DELETE FROM t WHERE a = ?|FAIL" {
		t.Errorf("exec texts %q", got)
	}
	for _, q := range sqlite.queries {
		if strings.Contains(q, "?") && !strings.Contains(q, "INSERT") {
			t.Errorf("the driver got a rewritten statement %q", q)
		}
	}
	if !hasMetric(t, "db.client.operation.duration", attribute.String("db.system.name", "sqlite"), attribute.String("db.operation.name", "sql.conn.query")) {
		t.Error("no db.client.operation.duration with db.system.name")
	}
}

// TestHandledContextsGetNoSpan: a higher-level integration (gorm) owns the statements it
// marks; the same pool used with an unmarked context keeps its spans.
func TestHandledContextsGetNoSpan(t *testing.T) {
	rec := record(t)
	db := open(t, "sqlite3", "file:handled.db?cache=shared")
	ctx, parent := otel.Tracer("test").Start(context.Background(), "parent")
	if _, err := db.ExecContext(Handled(Handled(ctx)), "CREATE TABLE h (a INT)"); err != nil {
		t.Fatal(err)
	}
	if _, err := db.ExecContext(ctx, "INSERT INTO h VALUES (1)"); err != nil {
		t.Fatal(err)
	}
	parent.End()
	var names []string
	for _, s := range rec.Ended() {
		names = append(names, s.Name()+" "+attrs(s)["db.query.text"].AsString())
	}
	if got := strings.Join(names, "|"); got != "sql.conn.exec INSERT INTO h VALUES (?)|parent " {
		t.Errorf("spans %q", got)
	}
}

func TestQueryTextModes(t *testing.T) {
	const query = "SELECT a FROM t WHERE b = 'secret' AND c = 7"
	for mode, want := range map[string]string{
		"":          "SELECT a FROM t WHERE b = ? AND c = ?",
		"sanitized": "SELECT a FROM t WHERE b = ? AND c = ?",
		"RAW":       query,
		"off":       "<none>",
		"bogus":     "SELECT a FROM t WHERE b = ? AND c = ?",
	} {
		t.Run(mode, func(t *testing.T) {
			t.Setenv(QueryTextEnv, mode)
			rec := record(t)
			db := open(t, "sqlite3", "")
			rows, err := db.QueryContext(context.Background(), query)
			if err != nil {
				t.Fatal(err)
			}
			rows.Close()
			s, ok := byName(rec.Ended())["sql.conn.query"]
			if !ok {
				t.Fatal("no query span")
			}
			got, ok := attrs(s)["db.query.text"]
			text := got.AsString()
			if !ok {
				text = "<none>"
			}
			if text != want {
				t.Errorf("db.query.text = %q, want %q", text, want)
			}
			if mode == "bogus" {
				select {
				case err := <-reported:
					if !strings.Contains(err.Error(), "bogus") {
						t.Errorf("reported %v", err)
					}
				default:
					t.Error("an unknown TOOLWEAVE_DB_QUERY_TEXT was not reported")
				}
			}
		})
	}
}

func TestSystemFromDriverPackageAndServerAddress(t *testing.T) {
	rec := record(t)
	db := open(t, "twfake", "postgres://user:pw@db.example:6543/app")
	db.ExecContext(context.Background(), `UPDATE t SET "name" = "x"`)
	s := byName(rec.Ended())["sql.conn.exec"]
	a := attrs(s)
	if a["db.system.name"].AsString() != "other_sql" || a["server.address"].AsString() != "db.example" || a["server.port"].AsInt64() != 6543 {
		t.Errorf("attributes %v", s.Attributes())
	}
	// other_sql may be MySQL-like: "…" is hidden too.
	if got := a["db.query.text"].AsString(); got != "UPDATE t SET ? = ?" {
		t.Errorf("db.query.text = %q", got)
	}

	for path, want := range map[string]string{
		"github.com/lib/pq":                      "postgresql",
		"github.com/jackc/pgx/v5/stdlib":         "postgresql",
		"modernc.org/sqlite":                     "sqlite",
		"github.com/mattn/go-sqlite3":            "sqlite",
		"github.com/go-sql-driver/mysql":         "mysql",
		"github.com/microsoft/go-mssqldb":        "microsoft.sql_server",
		"github.com/denisenkom/go-mssqldb":       "microsoft.sql_server",
		"github.com/godror/godror":               "oracle.db",
		"github.com/sijms/go-ora/v2":             "oracle.db",
		"github.com/ClickHouse/clickhouse-go/v2": "clickhouse",
		"example.com/mydriver":                   "other_sql",
	} {
		if got := systemForPackage(path); got != want {
			t.Errorf("systemForPackage(%q) = %q, want %q", path, got, want)
		}
	}
	for name, want := range map[string]string{"postgres": "postgresql", "pgx": "postgresql", "pgx/v5": "postgresql",
		"sqlite": "sqlite", "sqlite3": "sqlite", "mysql": "mysql", "sqlserver": "microsoft.sql_server",
		"mssql": "microsoft.sql_server", "oracle": "oracle.db", "godror": "oracle.db", "clickhouse": "clickhouse"} {
		if systemByName[name] != want {
			t.Errorf("driver %q: %q, want %q", name, systemByName[name], want)
		}
	}
	for dsn, want := range map[string]string{
		"user:pw@tcp(mysql.local:3307)/app":      "mysql.local",
		"host=pg.local port=5432 user=a":         "",
		"file:test.db?cache=shared":              "",
		"sqlserver://sa:pw@mssql.local:1433?x=y": "mssql.local",
	} {
		got := ""
		for _, kv := range serverAttributes(dsn) {
			if kv.Key == "server.address" {
				got = kv.Value.AsString()
			}
		}
		if got != want {
			t.Errorf("server.address of %q = %q, want %q", dsn, got, want)
		}
	}
}

func TestOpenDB(t *testing.T) {
	rec := record(t)
	d := &fakeDriver{}
	db := OpenDB(&fakeConnector{d: d})
	defer db.Close()
	rows, err := db.QueryContext(context.Background(), "SELECT 1")
	if err != nil {
		t.Fatal(err)
	}
	rows.Close()
	s, ok := byName(rec.Ended())["sql.conn.query"]
	if !ok || attrs(s)["db.system.name"].AsString() != "other_sql" || attrs(s)["db.query.text"].AsString() != "SELECT ?" {
		t.Errorf("OpenDB spans %v", rec.Ended())
	}
}

func TestDriverNameIsKept(t *testing.T) {
	before := sql.Drivers()
	db := open(t, "sqlite3", "")
	if err := db.Ping(); err != nil {
		t.Fatal(err)
	}
	if after := sql.Drivers(); !slices.Equal(before, after) {
		t.Errorf("drivers registered by Open: %v -> %v", before, after)
	}
}

func TestInstrumentedDriverIsNotWrappedAgain(t *testing.T) {
	rec := record(t)
	// A driver the program instrumented itself, as otelsql.Register would name it.
	name := fmt.Sprintf("fake-otelsql-%d", instrumentedDrivers.Add(1))
	sql.Register(name, otelsql.WrapDriver(&fakeDriver{}, otelsql.WithTracerProvider(otel.GetTracerProvider())))
	db := open(t, name, "")
	rows, err := db.QueryContext(context.Background(), "SELECT 1")
	if err != nil {
		t.Fatal(err)
	}
	rows.Close()
	var queries int
	for _, s := range rec.Ended() {
		if s.Name() == "sql.conn.query" {
			queries++
			if _, ok := attrs(s)["db.system.name"]; ok {
				t.Error("our options were applied to the program's own instrumentation")
			}
		}
	}
	if queries != 1 {
		t.Errorf("%d query spans, want 1", queries)
	}
}

var instrumentedDrivers atomic.Int64

func TestDBStatsMetricsUntilClose(t *testing.T) {
	d := &fakeDriver{}
	db := OpenDB(&fakeConnector{d: d})
	db.SetMaxOpenConns(7)
	if err := db.Ping(); err != nil {
		t.Fatal(err)
	}
	maxOpen := func() int {
		n := 0
		for _, v := range gaugeValues(t, "db.sql.connection.max_open") {
			if v == 7 {
				n++
			}
		}
		return n
	}
	if maxOpen() != 1 {
		t.Fatalf("no db.sql.connection.max_open = 7: %v", gaugeValues(t, "db.sql.connection.max_open"))
	}
	connects := d.connects.Load()
	db.Close()
	maxOpen() // the collection that finds the DB closed
	for range 100 {
		if maxOpen() == 0 {
			break
		}
	}
	if maxOpen() != 0 {
		t.Error("a closed DB still reports its pool metrics")
	}
	if d.connects.Load() != connects {
		t.Error("checking the DB opened a connection")
	}
}

func gaugeValues(t *testing.T, name string) []int64 {
	t.Helper()
	var rm metricdata.ResourceMetrics
	if err := reader.Collect(context.Background(), &rm); err != nil {
		t.Fatal(err)
	}
	var out []int64
	for _, sm := range rm.ScopeMetrics {
		for _, m := range sm.Metrics {
			if m.Name != name {
				continue
			}
			switch d := m.Data.(type) {
			case metricdata.Gauge[int64]:
				for _, dp := range d.DataPoints {
					out = append(out, dp.Value)
				}
			case metricdata.Sum[int64]:
				for _, dp := range d.DataPoints {
					out = append(out, dp.Value)
				}
			}
		}
	}
	return out
}

func hasMetric(t *testing.T, name string, kvs ...attribute.KeyValue) bool {
	t.Helper()
	var rm metricdata.ResourceMetrics
	if err := reader.Collect(context.Background(), &rm); err != nil {
		t.Fatal(err)
	}
	for _, sm := range rm.ScopeMetrics {
		for _, m := range sm.Metrics {
			h, ok := m.Data.(metricdata.Histogram[float64])
			if !ok || m.Name != name {
				continue
			}
		points:
			for _, dp := range h.DataPoints {
				for _, kv := range kvs {
					if v, ok := dp.Attributes.Value(kv.Key); !ok || v != kv.Value {
						continue points
					}
				}
				return true
			}
		}
	}
	return false
}

// unregisterSpy is a Meter whose callback registrations tell when they are dropped.
type unregisterSpy struct {
	metric.Meter
	dropped chan struct{}
}

func (m unregisterSpy) RegisterCallback(f metric.Callback, insts ...metric.Observable) (metric.Registration, error) {
	reg, err := m.Meter.RegisterCallback(f, insts...)
	return spyRegistration{reg, m.dropped}, err
}

type spyRegistration struct {
	metric.Registration
	dropped chan struct{}
}

func (r spyRegistration) Unregister() error {
	close(r.dropped)
	return r.Registration.Unregister()
}

func TestStatsCallbackIsDroppedAfterClose(t *testing.T) {
	r := sdkmetric.NewManualReader()
	mp := sdkmetric.NewMeterProvider(sdkmetric.WithReader(r))
	defer mp.Shutdown(context.Background())
	db := OpenDB(&fakeConnector{d: &fakeDriver{}})
	spy := unregisterSpy{mp.Meter("spy"), make(chan struct{})}
	m := statsMeter{spy, db}
	gauge, _ := m.Int64ObservableGauge("g")
	var calls atomic.Int64
	if _, err := m.RegisterCallback(func(_ context.Context, o metric.Observer) error {
		calls.Add(1)
		o.ObserveInt64(gauge, 1)
		return nil
	}, gauge); err != nil {
		t.Fatal(err)
	}
	var rm metricdata.ResourceMetrics
	_ = r.Collect(context.Background(), &rm)
	db.Close()
	_ = r.Collect(context.Background(), &rm)
	select {
	case <-spy.dropped:
	case <-time.After(5 * time.Second):
		t.Fatal("the callback of a closed DB was never unregistered")
	}
	if calls.Load() != 1 {
		t.Errorf("callback ran %d times, want once (before Close)", calls.Load())
	}
}
