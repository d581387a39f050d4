// Package twpgx is the runtime side of toolweave's pgx integration (pgx v5 used natively,
// not through database/sql): every connection and pool the program makes with pgx.Connect,
// pgx.ConnectConfig, pgx.ConnectWithOptions, pgxpool.New or pgxpool.NewWithConfig gets
// otelpgx's tracer before it connects, so every query, batch, prepare, copy and connect makes
// a client span under the caller's context, and pools report otelpgx's pool metrics.
//
// A tracer the program set itself keeps working: when the config already has one, both run
// (pgx's multitracer); one that is already otelpgx's, or ours, is left alone.
//
// Query text (db.query.text) follows TOOLWEAVE_DB_QUERY_TEXT as for database/sql: sanitized
// (the default: literals become ?), raw, or off. Span names are the operation (SELECT, ...).
// In sanitized mode the queries of a batch carry no text (otelpgx ends their spans before
// they can be given a sanitized one).
package twpgx

import (
	"context"

	"github.com/exaring/otelpgx"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/multitracer"
	"github.com/jackc/pgx/v5/pgxpool"
	semconv "go.opentelemetry.io/otel/semconv/v1.40.0"
	"go.opentelemetry.io/otel/trace"
	"toolweave.dev/runtime/dbtext"
	twsql "toolweave.dev/runtime/sql"
)

// Connect is pgx.Connect with the tracer set.
func Connect(ctx context.Context, connString string) (*pgx.Conn, error) {
	config, err := pgx.ParseConfig(connString)
	if err != nil {
		return nil, err
	}
	return ConnectConfig(ctx, config)
}

// ConnectWithOptions is pgx.ConnectWithOptions with the tracer set.
func ConnectWithOptions(ctx context.Context, connString string, options pgx.ParseConfigOptions) (*pgx.Conn, error) {
	config, err := pgx.ParseConfigWithOptions(connString, options)
	if err != nil {
		return nil, err
	}
	return ConnectConfig(ctx, config)
}

// ConnectConfig is pgx.ConnectConfig with the tracer added to config's.
func ConnectConfig(ctx context.Context, config *pgx.ConnConfig) (*pgx.Conn, error) {
	if config != nil {
		config.Tracer = compose(config.Tracer)
	}
	return pgx.ConnectConfig(ctx, config)
}

// New is pgxpool.New with the tracer set and the pool's metrics recorded.
func New(ctx context.Context, connString string) (*pgxpool.Pool, error) {
	config, err := pgxpool.ParseConfig(connString)
	if err != nil {
		return nil, err
	}
	return NewWithConfig(ctx, config)
}

// NewWithConfig is pgxpool.NewWithConfig with the tracer added to the connections' config
// and the pool's metrics recorded.
func NewWithConfig(ctx context.Context, config *pgxpool.Config) (*pgxpool.Pool, error) {
	if config != nil && config.ConnConfig != nil {
		config.ConnConfig.Tracer = compose(config.ConnConfig.Tracer)
	}
	pool, err := pgxpool.NewWithConfig(ctx, config)
	if err == nil {
		_ = otelpgx.RecordStats(pool) // an error only means no pool metrics
	}
	return pool, err
}

// compose returns the tracer to set: ours, both (the program's first), or the program's
// own when it is already otelpgx's.
func compose(existing pgx.QueryTracer) pgx.QueryTracer {
	switch existing.(type) {
	case nil:
		return newTracer()
	case *otelpgx.Tracer, *tracer:
		return existing
	}
	return multitracer.New(existing, newTracer())
}

// tracer is otelpgx's, with the query text set as TOOLWEAVE_DB_QUERY_TEXT says.
type tracer struct {
	*otelpgx.Tracer
	sanitize bool
}

func newTracer() *tracer {
	opts := []otelpgx.Option{otelpgx.WithTrimSQLInSpanName()}
	mode, _ := dbtext.Mode()
	if mode != dbtext.Raw {
		opts = append(opts, otelpgx.WithDisableSQLStatementInAttributes())
	}
	return &tracer{Tracer: otelpgx.NewTracer(opts...), sanitize: mode == dbtext.Sanitized}
}

func (t *tracer) TraceQueryStart(ctx context.Context, conn *pgx.Conn, data pgx.TraceQueryStartData) context.Context {
	ctx = t.Tracer.TraceQueryStart(ctx, conn, data)
	t.text(ctx, data.SQL)
	return ctx
}

func (t *tracer) TracePrepareStart(ctx context.Context, conn *pgx.Conn, data pgx.TracePrepareStartData) context.Context {
	ctx = t.Tracer.TracePrepareStart(ctx, conn, data)
	t.text(ctx, data.SQL)
	return ctx
}

// text sets the sanitized query text on the span otelpgx just started.
func (t *tracer) text(ctx context.Context, sql string) {
	if !t.sanitize {
		return
	}
	if span := trace.SpanFromContext(ctx); span.IsRecording() {
		span.SetAttributes(semconv.DBQueryText(twsql.Sanitize(sql)))
	}
}
