// Package twgoredis is the runtime side of toolweave's go-redis integration: every client a
// program makes (plain, cluster, ring, failover, universal) gets redisotel's tracing and
// metrics hooks, once, right after its constructor returns, before any command runs and
// before a cluster or ring creates its node clients (their hooks are added as nodes appear
// only for hooks present then).
//
// The weaver replaces the program's calls of the constructors with the functions here, and
// its calls of redisotel.InstrumentTracing / InstrumentMetrics with Tracing and Metrics,
// which do nothing for a client toolweave already instrumented (a second call would add a
// second hook: two spans per command).
//
// Statements: redisotel records the whole command (arguments and values) as db.statement.
// The query-text switch (package dbtext: TOOLWEAVE_DB_QUERY_TEXT, or toolweave.yml's
// database.query-text compiled in) at raw keeps that; sanitized (the default) and off record
// none (a Redis command has no literal-free form): the span name is the command's name.
package twgoredis

import (
	"sync"

	"github.com/redis/go-redis/extra/redisotel/v9"
	"github.com/redis/go-redis/v9"
	"toolweave.dev/runtime/dbtext"
)

// NewClient is redis.NewClient, instrumented.
func NewClient(opt *redis.Options) *redis.Client { return instrument(redis.NewClient(opt)) }

// NewClusterClient is redis.NewClusterClient, instrumented.
func NewClusterClient(opt *redis.ClusterOptions) *redis.ClusterClient {
	return instrument(redis.NewClusterClient(opt))
}

// NewRing is redis.NewRing, instrumented.
func NewRing(opt *redis.RingOptions) *redis.Ring { return instrument(redis.NewRing(opt)) }

// NewFailoverClient is redis.NewFailoverClient, instrumented.
func NewFailoverClient(opt *redis.FailoverOptions) *redis.Client {
	return instrument(redis.NewFailoverClient(opt))
}

// NewFailoverClusterClient is redis.NewFailoverClusterClient, instrumented.
func NewFailoverClusterClient(opt *redis.FailoverOptions) *redis.ClusterClient {
	return instrument(redis.NewFailoverClusterClient(opt))
}

// NewUniversalClient is redis.NewUniversalClient, instrumented (a *Client, *ClusterClient
// or *Ring underneath, as go-redis chooses).
func NewUniversalClient(opt *redis.UniversalOptions) redis.UniversalClient {
	return instrument(redis.NewUniversalClient(opt))
}

// Tracing replaces the program's redisotel.InstrumentTracing: nothing for a client
// toolweave instrumented (its tracing hook is there), else the program's call.
func Tracing(rdb redis.UniversalClient, opts ...redisotel.TracingOption) error {
	if instrumented(rdb) {
		return nil
	}
	return redisotel.InstrumentTracing(rdb, opts...)
}

// Metrics replaces the program's redisotel.InstrumentMetrics, as Tracing does.
func Metrics(rdb redis.UniversalClient, opts ...redisotel.MetricsOption) error {
	if instrumented(rdb) {
		return nil
	}
	return redisotel.InstrumentMetrics(rdb, opts...)
}

// done: the clients toolweave instrumented. A client lives as long as the program uses it
// and programs make few; the entry is dropped when the client is closed through Close? No:
// go-redis has no close hook, so entries stay (a few bytes per client ever made).
var done sync.Map

func instrumented(rdb redis.UniversalClient) bool {
	_, ok := done.Load(rdb)
	return ok
}

func instrument[C redis.UniversalClient](rdb C) C {
	if _, loaded := done.LoadOrStore(redis.UniversalClient(rdb), true); loaded {
		return rdb
	}
	// Errors only mean an unsupported client kind (none of the constructors here makes
	// one): the client then works as the program made it.
	mode, _ := dbtext.Mode()
	_ = redisotel.InstrumentTracing(rdb, redisotel.WithDBStatement(mode == dbtext.Raw))
	_ = redisotel.InstrumentMetrics(rdb)
	return rdb
}
