package bootstrap

import (
	"context"
	"sync"
	"sync/atomic"

	"go.opentelemetry.io/otel/log"
	"go.opentelemetry.io/otel/log/embedded"
	sdklog "go.opentelemetry.io/otel/sdk/log"
)

// lazyLoggerProvider is the logs signal's provider, built when the first record reaches it.
//
// sdklog's batch processor allocates its whole queue up front: a ring of 2048 records
// (OTEL_BLRP_MAX_QUEUE_SIZE), about 1.5 MB of pointer-holding memory that every garbage
// collection then scans for the life of the process. On a small service that logs at warn
// level and so rarely or never emits a record, that ring was most of the live heap: it
// doubled the collector's mark time and cost about 10% of p99 under load
// (docs/reliability.md, bench/unreachable.py -nologs). Built at the first record instead,
// a service that never logs never pays for it, and one that logs pays from then on what it
// paid before.
//
// Loggers handed out before the build (the slog bridge takes its Logger at start) resolve
// the real one at their first Enabled or Emit. After Shutdown nothing is built any more:
// records are dropped, as the SDK drops them after its own shutdown.
type lazyLoggerProvider struct {
	embedded.LoggerProvider
	build func() *sdklog.LoggerProvider
	once  sync.Once
	lp    atomic.Pointer[sdklog.LoggerProvider]
}

func newLazyLoggerProvider(build func() *sdklog.LoggerProvider) *lazyLoggerProvider {
	return &lazyLoggerProvider{build: build}
}

// provider builds the real provider once; nil once Shutdown came first.
func (p *lazyLoggerProvider) provider() *sdklog.LoggerProvider {
	p.once.Do(func() { p.lp.Store(p.build()) })
	return p.lp.Load()
}

func (p *lazyLoggerProvider) Logger(name string, opts ...log.LoggerOption) log.Logger {
	if lp := p.lp.Load(); lp != nil {
		return lp.Logger(name, opts...)
	}
	return &lazyLogger{p: p, name: name, opts: opts}
}

// Shutdown shuts the real provider down if it was built, and stops any later build.
func (p *lazyLoggerProvider) Shutdown(ctx context.Context) error {
	p.once.Do(func() {})
	if lp := p.lp.Load(); lp != nil {
		return lp.Shutdown(ctx)
	}
	return nil
}

// lazyLogger is a Logger handed out before the provider was built.
type lazyLogger struct {
	embedded.Logger
	p    *lazyLoggerProvider
	name string
	opts []log.LoggerOption
	once sync.Once
	l    log.Logger // nil after the provider's Shutdown
}

func (l *lazyLogger) real() log.Logger {
	l.once.Do(func() {
		if lp := l.p.provider(); lp != nil {
			l.l = lp.Logger(l.name, l.opts...)
		}
	})
	return l.l
}

func (l *lazyLogger) Emit(ctx context.Context, r log.Record) {
	if real := l.real(); real != nil {
		real.Emit(ctx, r)
	}
}

func (l *lazyLogger) Enabled(ctx context.Context, param log.EnabledParameters) bool {
	real := l.real()
	return real != nil && real.Enabled(ctx, param)
}
