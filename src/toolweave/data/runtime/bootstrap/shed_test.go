package bootstrap

import (
	"context"
	"errors"
	"fmt"
	"sync/atomic"
	"testing"
	"time"

	"go.opentelemetry.io/otel/propagation"
	sdkmetric "go.opentelemetry.io/otel/sdk/metric"
	"go.opentelemetry.io/otel/sdk/metric/metricdata"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/sdk/trace/tracetest"
	"go.opentelemetry.io/otel/trace"
)

func TestShedAskedTable(t *testing.T) {
	for value, want := range map[string]bool{"": false, "0": false, "false": false, "no": false, "off": false,
		"1": true, "true": true, " TRUE ": true, "yes": true, "on": true, "shed": false} {
		t.Setenv(ShedEnv, value)
		if got := shedAsked(); got != want {
			t.Errorf("%s=%q: shedAsked() = %v, want %v", ShedEnv, value, got, want)
		}
	}
}

// While a failed export's backoff lasts, spans are not recorded and carry their parent's
// context (what is propagated downstream is the parent's, sampled flag included); ending a
// shed span does not end its parent; after the backoff spans are recorded again.
func TestSpansAreShedWhileExportsFail(t *testing.T) {
	endBackoff()
	t.Cleanup(endBackoff)
	rec := tracetest.NewSpanRecorder()
	sdk := sdktrace.NewTracerProvider(sdktrace.WithSpanProcessor(rec))
	tracer := shedProvider(sdk).Tracer("test")

	ctx, parent := tracer.Start(context.Background(), "server")
	before := Dropped().SpansShed
	calls, fail := 0, true
	_ = spanExporter{countingExporter{&calls, &fail}, true}.ExportSpans(context.Background(), nil) // fails: backoff
	if !shedding() {
		t.Fatal("a failed export started no backoff")
	}
	childCtx, child := tracer.Start(ctx, "db.query")
	if child.IsRecording() || !child.SpanContext().Equal(parent.SpanContext()) {
		t.Errorf("shed child: recording %v, span context %v; want not recording, the parent's %v",
			child.IsRecording(), child.SpanContext(), parent.SpanContext())
	}
	carrier := propagation.MapCarrier{}
	propagation.TraceContext{}.Inject(childCtx, carrier)
	if want := parent.SpanContext().SpanID().String(); len(carrier["traceparent"]) != 55 || carrier["traceparent"][36:52] != want {
		t.Errorf("traceparent under a shed span %q, want the parent's span %s", carrier["traceparent"], want)
	}
	child.End()
	if !parent.IsRecording() {
		t.Error("ending a shed span ended its parent")
	}
	_, root := tracer.Start(context.Background(), "root")
	if root.IsRecording() || root.SpanContext().IsValid() {
		t.Errorf("shed root: recording %v, valid context %v", root.IsRecording(), root.SpanContext().IsValid())
	}
	waitFor(t, "the end of the 1 s backoff", func() bool { return !shedding() })
	_, again := tracer.Start(ctx, "db.query")
	again.End()
	parent.End()
	if shed := Dropped().SpansShed - before; shed != 2 {
		t.Errorf("%d spans counted as shed, want 2 (db.query and root while shedding)", shed)
	}
	if names := endedNames(rec.Ended()); len(names) != 2 || names[0] != "db.query" || names[1] != "server" {
		t.Errorf("recorded %v, want [db.query server] (nothing while shedding)", names)
	}
}

func endedNames(spans []sdktrace.ReadOnlySpan) []string {
	var out []string
	for _, s := range spans {
		out = append(out, s.Name())
	}
	return out
}

// waitFor polls cond for up to 5 s.
func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	for deadline := time.Now().Add(5 * time.Second); !cond(); time.Sleep(time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("no %s after 5 s", what)
		}
	}
}

// A collector that accepts and never answers fails an export only at its timeout: an export
// still in flight after the shortest backoff fails at once and is left to finish in the
// background, on its own copy of the spans; spans are shed meanwhile; another export fails
// without calling the exporter while it is in flight; when it succeeds, the backoff and the
// shedding end.
func TestAHungExportIsLeftToTheBackground(t *testing.T) {
	endBackoff()
	t.Cleanup(endBackoff)
	slowestWas(t, 0) // no export has succeeded yet: it counts as hung after firstHang
	exp := newGatedExporter()
	rec := tracetest.NewSpanRecorder()
	tp := sdktrace.NewTracerProvider(sdktrace.WithSpanProcessor(rec))
	_, span := tp.Tracer("test").Start(context.Background(), "batched")
	span.End()
	batch := rec.Ended()
	before := Dropped()
	start := time.Now()
	err := spanExporter{exp, true}.ExportSpans(context.Background(), batch)
	waited := time.Since(start)
	if err == nil || waited < firstHang || waited >= minBackoff {
		t.Fatalf("ExportSpans of a hung export returned %v after %v; want an error after %v", err, waited, firstHang)
	}
	if !shedding() || backoff.until.Load() == 0 {
		t.Errorf("after a hung export: shedding %v, backoff %v; want both", shedding(), backoff.until.Load() != 0)
	}
	batch[0] = nil         // the batch processor reuses its slice: the background export has its own
	backoff.until.Store(0) // the backoff is over, the export still in flight
	if err := (spanExporter{exp, true}).ExportSpans(context.Background(), batch); !errors.Is(err, errStillHung) {
		t.Errorf("an export while the hung one is in flight: %v, want errStillHung", err)
	}
	if calls := exp.calls.Load(); calls != 1 {
		t.Errorf("exporter called %d times, want once (nothing while the hung export is in flight)", calls)
	}
	exp.err = nil
	close(exp.gate) // the hung export succeeds: a slow collector, not a dead one
	if got := <-exp.seen; len(got) != 1 || got[0] != "batched" {
		t.Errorf("the background export sent %v, want [batched]", got)
	}
	waitFor(t, "the end of the backoff after the hung export succeeded", func() bool {
		return !shedding() && backoff.until.Load() == 0 && hung.Load() == nil
	})
	if hangAfter() != minBackoff {
		t.Errorf("after an export that took over %v succeeded, hangAfter %v, want %v", firstHang, hangAfter(), minBackoff)
	}
	// counted: the one export that failed at once (its span), not the one that succeeded
	if d := Dropped(); d.SpansFailed-before.SpansFailed != 1 || d.FailedExports-before.FailedExports != 1 {
		t.Errorf("counted %d spans in %d failed exports, want 1 in 1", d.SpansFailed-before.SpansFailed,
			d.FailedExports-before.FailedExports)
	}
}

// How long an export may be in flight before it counts as hung: short once exports fail,
// and otherwise as long as the collector has shown it needs, within bounds.
func TestHangAfterTable(t *testing.T) {
	t.Cleanup(endBackoff)
	for _, c := range []struct {
		failing bool
		slowest time.Duration
		want    time.Duration
	}{
		{false, 0, firstHang},                    // no success yet
		{false, 2 * time.Millisecond, firstHang}, // a fast collector: still firstHang at least
		{false, 100 * time.Millisecond, 400 * time.Millisecond},
		{false, 700 * time.Millisecond, minBackoff}, // at most minBackoff
		{true, 700 * time.Millisecond, probeHang},   // failing: a probe
		{true, 0, probeHang},
	} {
		slowestWas(t, c.slowest)
		endBackoff()
		if c.failing {
			startBackoff(false)
		}
		if got := hangAfter(); got != c.want {
			t.Errorf("failing %v, slowest success %v: hangAfter %v, want %v", c.failing, c.slowest, got, c.want)
		}
	}
	slowestWas(t, 0)
	for _, d := range []time.Duration{30, 10, 50, 20} {
		succeededIn(d * time.Millisecond)
	}
	if got := time.Duration(slowest.Load()); got != 50*time.Millisecond {
		t.Errorf("slowest after successes of 30, 10, 50, 20 ms: %v, want 50ms", got)
	}
}

// slowestWas sets the slowest successful export so far, for this test.
func slowestWas(t *testing.T, d time.Duration) {
	t.Helper()
	slowest.Store(int64(d))
	t.Cleanup(func() { slowest.Store(0) })
}

// Once exports are failing (one failed, none succeeded since), the export that ends a
// backoff is a probe: it counts as hung after probeHang, not minBackoff, since the service
// records at full cost while it waits. Shutdown waits for an export left in flight, until it
// returns or the shutdown deadline.
func TestAProbeCountsAsHungSoonerAndShutdownWaitsForIt(t *testing.T) {
	endBackoff()
	t.Cleanup(endBackoff)
	slowestWas(t, 0)
	calls, fail := 0, true
	_ = spanExporter{countingExporter{&calls, &fail}, true}.ExportSpans(context.Background(), nil)
	if hangAfter() != probeHang {
		t.Fatalf("after a failed export, hangAfter %v, want %v", hangAfter(), probeHang)
	}
	backoff.until.Store(0) // the backoff is over; the collector now accepts and never answers
	exp := newGatedExporter()
	start := time.Now()
	err := spanExporter{exp, true}.ExportSpans(context.Background(), nil)
	if waited := time.Since(start); err == nil || waited < probeHang || waited >= firstHang {
		t.Fatalf("a probe export that hangs returned %v after %v; want an error after %v", err, waited, probeHang)
	}
	if !shedding() || hung.Load() == nil {
		t.Fatalf("after a hung probe: shedding %v, in flight %v; want both", shedding(), hung.Load() != nil)
	}
	expired, cancel := context.WithCancel(context.Background())
	cancel()
	awaitHung(expired) // the deadline has passed: returns at once
	returned := make(chan struct{})
	go func() {
		awaitHung(context.Background())
		close(returned)
	}()
	select {
	case <-returned:
		t.Fatal("awaitHung returned while the export was in flight")
	case <-time.After(50 * time.Millisecond):
	}
	close(exp.gate) // the export fails, at last
	select {
	case <-returned:
	case <-time.After(5 * time.Second):
		t.Fatal("awaitHung still waiting 5 s after the export returned")
	}
	endBackoff()
	if hangAfter() != firstHang {
		t.Errorf("after the end of the backoff (no export succeeded), hangAfter %v, want %v", hangAfter(), firstHang)
	}
}

// A timer armed before a later change of state does nothing: the end of a short backoff
// does not end a longer one that came after it.
func TestShedTimersYieldToLaterChanges(t *testing.T) {
	endBackoff()
	t.Cleanup(endBackoff)
	shedFor(20 * time.Millisecond)
	shedFor(time.Hour)
	time.Sleep(100 * time.Millisecond)
	if !shedding() {
		t.Error("the end of an earlier, shorter backoff ended a later one")
	}
}

// While shedding, a span started under a span that records nothing (none, a remote parent, a
// shed span) allocates nothing: it is that span.
func TestShedStartUnderNonRecordingParentAllocatesNothing(t *testing.T) {
	endBackoff()
	t.Cleanup(endBackoff)
	tracer := shedProvider(sdktrace.NewTracerProvider()).Tracer("test")
	remote := trace.ContextWithRemoteSpanContext(context.Background(), trace.NewSpanContext(trace.SpanContextConfig{
		TraceID: trace.TraceID{1}, SpanID: trace.SpanID{2}, TraceFlags: trace.FlagsSampled}))
	shedFor(time.Hour)
	for name, ctx := range map[string]context.Context{"no parent": context.Background(), "remote parent": remote} {
		allocs := testing.AllocsPerRun(100, func() {
			c, s := tracer.Start(ctx, "child")
			_, g := tracer.Start(c, "grandchild")
			g.End()
			s.End()
		})
		if allocs != 0 {
			t.Errorf("%s: %v allocations per shed start, want 0", name, allocs)
		}
		if _, s := tracer.Start(ctx, "child"); !s.SpanContext().Equal(trace.SpanContextFromContext(ctx)) || s.IsRecording() {
			t.Errorf("%s: shed span context %v, recording %v; want the parent's, not recording", name,
				s.SpanContext(), s.IsRecording())
		}
	}
}

// While shedding, synchronous instruments drop their measurements and say they are not
// enabled; before and after, they record as the SDK's own.
func TestMeasurementsAreShedWhileExportsFail(t *testing.T) {
	endBackoff()
	t.Cleanup(endBackoff)
	reader := sdkmetric.NewManualReader()
	meter := shedMeterProvider(sdkmetric.NewMeterProvider(sdkmetric.WithReader(reader))).Meter("test")
	counter, err := meter.Int64Counter("requests")
	if err != nil {
		t.Fatal(err)
	}
	hist, err := meter.Float64Histogram("duration")
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	counter.Add(ctx, 1)
	hist.Record(ctx, 1.5)
	shedFor(time.Hour)
	if counter.Enabled(ctx) || hist.Enabled(ctx) {
		t.Error("instruments enabled while shedding")
	}
	before := Dropped().MeasurementsShed
	counter.Add(ctx, 100)
	hist.Record(ctx, 100)
	if shed := Dropped().MeasurementsShed - before; shed != 2 {
		t.Errorf("%d measurements counted as shed, want 2", shed)
	}
	shedOff()
	if !counter.Enabled(ctx) {
		t.Error("counter not enabled after shedding")
	}
	counter.Add(ctx, 2)
	var rm metricdata.ResourceMetrics
	if err := reader.Collect(ctx, &rm); err != nil {
		t.Fatal(err)
	}
	got := map[string]string{}
	for _, sm := range rm.ScopeMetrics {
		for _, m := range sm.Metrics {
			switch d := m.Data.(type) {
			case metricdata.Sum[int64]:
				got[m.Name] = fmt.Sprint(d.DataPoints[0].Value)
			case metricdata.Histogram[float64]:
				got[m.Name] = fmt.Sprint(d.DataPoints[0].Count, " ", d.DataPoints[0].Sum)
			}
		}
	}
	if got["requests"] != "3" || got["duration"] != "1 1.5" {
		t.Errorf("collected %v, want requests 3 and duration count 1 sum 1.5 (nothing while shedding)", got)
	}
}

// The summary line names what was shed only when something was: a program that does not shed
// prints the line it always printed.
func TestDropsStringNamesShedOnlyWhenSomethingWas(t *testing.T) {
	for _, c := range []struct {
		d    Drops
		want string
	}{
		{Drops{SpansFailed: 5, FailedExports: 1},
			"5 spans dropped (0 queue full, 5 in failed exports), 0 log records dropped, 1 failed exports"},
		{Drops{SpansQueueFull: 1, SpansFailed: 5, FailedExports: 1, SpansShed: 70, MeasurementsShed: 9},
			"6 spans dropped (1 queue full, 5 in failed exports), 0 log records dropped, 1 failed exports; " +
				"not recorded while exports failed: 70 spans, 9 metric measurements"},
	} {
		if got := c.d.String(); got != c.want {
			t.Errorf("%+v.String() =\n%s\nwant\n%s", c.d, got, c.want)
		}
		if !c.d.lost() {
			t.Errorf("%+v: lost() false", c.d)
		}
	}
	if (Drops{}).lost() || !(Drops{MeasurementsShed: 1}).lost() {
		t.Error("lost(): want false for nothing, true for one shed measurement")
	}
}

// When shedding starts, the spans already queued go out at once, into the backoff, which
// drops and counts them, instead of waiting for the next batch (5 s) while every GC scans
// them; a span that ends while shedding is not queued at all, and is counted as shed.
func TestSheddingEmptiesTheQueue(t *testing.T) {
	endBackoff()
	t.Cleanup(endBackoff)
	slowestWas(t, minBackoff) // the export held at the gate is not hung (TestAHungExport… is)
	t.Setenv(ShedEnv, "true")
	exp := newGatedExporter()
	tp := sdktrace.NewTracerProvider(sdktrace.WithSpanProcessor(batchProcessor(exp)))
	t.Cleanup(func() { _ = tp.Shutdown(context.Background()); shed.flush.Store(nil) })
	tracer := tp.Tracer("test")
	end := func(n int) {
		for range n {
			_, s := tracer.Start(context.Background(), "s")
			s.End()
		}
	}
	before := Dropped()
	end(3)
	go func() { _ = tp.ForceFlush(context.Background()) }() // exports the 3, held at the gate
	waitFor(t, "the first export", func() bool { return exp.calls.Load() == 1 })
	end(5) // queued behind it
	_, open := tracer.Start(context.Background(), "open")
	close(exp.gate) // the first export fails: shedding, and the 5 are flushed into the backoff
	deadline := time.Now().Add(minBackoff * 9 / 10)
	for Dropped().SpansFailed-before.SpansFailed < 8 && time.Now().Before(deadline) {
		time.Sleep(time.Millisecond)
	}
	if failed := Dropped().SpansFailed - before.SpansFailed; failed != 8 {
		t.Errorf("%d spans dropped within the backoff, want 8: the 5 queued ones flushed into it", failed)
	}
	if !shedding() {
		t.Fatal("the backoff ended before the test could end its open span (machine too slow?)")
	}
	open.End()
	if shed := Dropped().SpansShed - before.SpansShed; shed != 1 {
		t.Errorf("%d spans counted as shed, want 1: the span that ended while shedding", shed)
	}
	if calls := exp.calls.Load(); calls != 1 {
		t.Errorf("exporter called %d times, want once: the queued spans went to the backoff", calls)
	}
}

// gatedExporter's exports wait for gate to close, then return err (read after the gate, so a
// test may change it before closing); the names of the spans exported go to seen.
type gatedExporter struct {
	gate  chan struct{}
	calls atomic.Int32
	seen  chan []string
	err   error
}

func newGatedExporter() *gatedExporter {
	return &gatedExporter{gate: make(chan struct{}), seen: make(chan []string, 8), err: errors.New("connection refused")}
}

func (g *gatedExporter) ExportSpans(_ context.Context, spans []sdktrace.ReadOnlySpan) error {
	g.calls.Add(1)
	<-g.gate
	select {
	case g.seen <- endedNames(spans):
	default:
	}
	return g.err
}
func (*gatedExporter) Shutdown(context.Context) error { return nil }

// A program that did not ask for shedding keeps recording through a failed export's backoff.
func TestNoSheddingUnlessAsked(t *testing.T) {
	endBackoff()
	t.Cleanup(endBackoff)
	calls, fail := 0, true
	_ = spanExporter{SpanExporter: countingExporter{&calls, &fail}}.ExportSpans(context.Background(), nil)
	if backoff.until.Load() == 0 || shedding() {
		t.Errorf("after a failed export without shedding asked: backoff %v, shedding %v; want a backoff and no shedding",
			backoff.until.Load() != 0, shedding())
	}
}
