package bootstrap

import (
	"context"
	"os"
	"strings"
	"time"

	"go.opentelemetry.io/otel/trace"
	"go.opentelemetry.io/otel/trace/embedded"
	"go.opentelemetry.io/otel/trace/noop"
)

// ShedEnv names the opt-in switch (TOOLWEAVE_SHED_UNDELIVERABLE=true, read at start) that
// stops recording spans while the span exporter is failing.
//
// Without it, a service whose collector is down still creates, fills and ends every span
// and drops it at the batch processor: an unreachable collector costs as much as recording
// does (docs/reliability.md measured p99 36-39% above a run without the SDK, side by side).
// With it, spans started during the export backoff (dropped.go: from a failed export until
// its delay has passed, doubling from 1 s to 30 s while exports keep failing), or while an
// export has been in flight for more than 1 s, are not recorded: Start returns a span that records nothing and carries its parent's span
// context, so the trace context the service propagates downstream is the parent's,
// sampled flag included (downstream services keep their decision and their spans; the
// trace only misses this service's, which would have been dropped anyway). Once the delay
// has passed, spans are recorded again until the next export, which ends the backoff on
// success. Costs one atomic load and, only while shedding, one clock read per span start.
const ShedEnv = "TOOLWEAVE_SHED_UNDELIVERABLE"

// shedAsked reports ShedEnv set to true, 1, yes or on (case-insensitive).
func shedAsked() bool {
	switch strings.ToLower(strings.TrimSpace(os.Getenv(ShedEnv))) {
	case "1", "true", "yes", "on":
		return true
	}
	return false
}

// shedding reports the export backoff in force, or an export in flight for longer than the
// shortest backoff (a collector that accepts and never answers fails an export only at the
// OTLP timeout, 10 s by default, while the queue has long been full): spans started now
// would be dropped.
func shedding() bool {
	until, since := backoff.until.Load(), backoff.since.Load()
	if until == 0 && since == 0 {
		return false
	}
	now := time.Now().UnixNano()
	return now < until || since != 0 && now-since > int64(minBackoff)
}

// shedProvider wraps the installed TracerProvider (see ShedEnv).
func shedProvider(tp trace.TracerProvider) trace.TracerProvider { return &shedTracerProvider{tp: tp} }

type shedTracerProvider struct {
	embedded.TracerProvider
	tp trace.TracerProvider
}

func (p *shedTracerProvider) Tracer(name string, opts ...trace.TracerOption) trace.Tracer {
	return shedTracer{tr: p.tp.Tracer(name, opts...)}
}

type shedTracer struct {
	embedded.Tracer
	tr trace.Tracer
}

func (t shedTracer) Start(ctx context.Context, name string, opts ...trace.SpanStartOption) (context.Context, trace.Span) {
	if !shedding() {
		return t.tr.Start(ctx, name, opts...)
	}
	if ctx == nil {
		ctx = context.Background()
	}
	s := shedSpan{sc: trace.SpanContextFromContext(ctx)}
	return trace.ContextWithSpan(ctx, s), s
}

// shedSpan records nothing; its span context is its parent's (invalid for a root).
type shedSpan struct {
	noop.Span
	sc trace.SpanContext
}

func (s shedSpan) SpanContext() trace.SpanContext { return s.sc }
