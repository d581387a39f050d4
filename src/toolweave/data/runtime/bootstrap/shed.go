package bootstrap

import (
	"context"
	"os"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"go.opentelemetry.io/otel/trace"
	"go.opentelemetry.io/otel/trace/embedded"
	"go.opentelemetry.io/otel/trace/noop"
)

// ShedEnv names the opt-in switch (TOOLWEAVE_SHED_UNDELIVERABLE=true, read at start) that
// stops recording telemetry while the span exporter is failing.
//
// Without it, a service whose collector is down still creates, fills and ends every span
// and drops it at the batch processor, and still aggregates every metric measurement: an
// unreachable collector costs as much as recording does (docs/reliability.md measured p99
// 36-39% above a run without the SDK, side by side). With it, while the export backoff lasts
// (dropped.go: from a failed span export until its delay has passed, doubling from 1 s to
// 30 s while exports keep failing; a span export still in flight after 1 s, or after 100 ms
// once exports are failing, counts as failed here and is left to finish in the background,
// since a collector that accepts and never answers fails an export only at the OTLP
// timeout):
//
//   - Start returns a span that records nothing and carries its parent's span context, so
//     the trace context the service propagates downstream is the parent's, sampled flag
//     included (downstream services keep their decision and their spans; the trace only
//     misses this service's, which the backoff would have dropped anyway);
//   - a span that started before and ends while shedding is not queued, and the spans
//     already queued are flushed when shedding starts, into the backoff, which drops them
//     (dropped.go): queued, they would wait for the next batch, most likely dropped too,
//     and every GC cycle would scan them meanwhile;
//   - synchronous metric instruments (counters, up-down counters, histograms, gauges) drop
//     their measurements and report Enabled false. This one is a loss the backoff alone
//     would not cause: cumulative sums and histograms miss what the service did while its
//     collector was down, where without shedding the next successful export would carry
//     it. That is the price of the latency, and why shedding is opt-in. Observable
//     instruments (callbacks run at collection) are left as they are.
//
// What is not recorded is counted (Dropped: SpansShed, MeasurementsShed) and said in the
// summary line at shutdown.
//
// Once the delay has passed, telemetry is recorded again until the next export, which ends
// the backoff on success. Costs one atomic load per span start and per measurement; the
// state changes only on export failures and by timers (no clock read on the request path).
const ShedEnv = "TOOLWEAVE_SHED_UNDELIVERABLE"

// shedAsked reports ShedEnv set to true, 1, yes or on (case-insensitive).
func shedAsked() bool {
	switch strings.ToLower(strings.TrimSpace(os.Getenv(ShedEnv))) {
	case "1", "true", "yes", "on":
		return true
	}
	return false
}

// shed is the state Start and the instruments read. on changes only under mu; gen counts
// the changes, so that a timer armed before a later change does nothing. flush is the batch
// span processor's ForceFlush (dropped.go: run when shedding starts).
var shed struct {
	on    atomic.Bool
	mu    sync.Mutex
	gen   uint64
	flush atomic.Pointer[func(context.Context) error]
}

// shedding reports telemetry not being recorded now (see ShedEnv).
func shedding() bool { return shed.on.Load() }

// shedSet sets the state and returns the generation that setting opened.
func shedSet(on bool) uint64 {
	shed.mu.Lock()
	defer shed.mu.Unlock()
	shed.gen++
	shed.on.Store(on)
	return shed.gen
}

// shedAt arms a timer that sets the state to on after d, unless the state changed since
// generation gen; it returns the timer.
func shedAt(d time.Duration, gen uint64, on bool) *time.Timer {
	return time.AfterFunc(d, func() {
		shed.mu.Lock()
		defer shed.mu.Unlock()
		if shed.gen == gen {
			shed.gen++
			shed.on.Store(on)
		}
	})
}

// shedFor sheds now and for d (a failed export's backoff), unless something changes the
// state before then.
func shedFor(d time.Duration) { shedAt(d, shedSet(true), false) }

// shedOff records again (a successful export, the end of the backoff, shutdown).
func shedOff() {
	if shed.on.Load() {
		shedSet(false)
	}
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
	drops.spansShed.Add(1)
	if ctx == nil {
		ctx = context.Background()
	}
	parent := trace.SpanFromContext(ctx)
	if !parent.IsRecording() {
		// No span, a remote parent, or a span shed already: it records nothing and its
		// span context is the one to propagate, so it serves as the new span, with no
		// allocation (ending it ends nothing).
		return ctx, parent
	}
	s := shedSpan{sc: parent.SpanContext()}
	return trace.ContextWithSpan(ctx, s), s
}

// shedSpan records nothing; its span context is its (recording) parent's.
type shedSpan struct {
	noop.Span
	sc trace.SpanContext
}

func (s shedSpan) SpanContext() trace.SpanContext { return s.sc }
