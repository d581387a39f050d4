package bootstrap

import (
	"context"
	"fmt"
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

// A collector that accepts and never answers fails an export only at its timeout: spans are
// shed once an export has been in flight for longer than the shortest backoff, and recorded
// again when it succeeds.
func TestSpansAreShedWhileAnExportHangs(t *testing.T) {
	endBackoff()
	t.Cleanup(endBackoff)
	hang := make(blockingExporter)
	done := make(chan struct{})
	start := time.Now()
	go func() {
		defer close(done)
		_ = spanExporter{hang, true}.ExportSpans(context.Background(), nil)
	}()
	time.Sleep(minBackoff / 2)
	if shedding() {
		t.Error("shedding before an export has hung for the shortest backoff")
	}
	waitFor(t, "shedding during a hung export", shedding)
	if waited := time.Since(start); waited < minBackoff {
		t.Errorf("shedding after %v, before the shortest backoff (%v)", waited, minBackoff)
	}
	close(hang) // the export succeeds
	<-done
	if shedding() {
		t.Error("still shedding after the hung export succeeded")
	}
}

// A timer armed before a later change of state does nothing: the end of a short backoff
// does not end a longer one that came after it; and an export that returned in time does
// not start shedding later.
func TestShedTimersYieldToLaterChanges(t *testing.T) {
	endBackoff()
	t.Cleanup(endBackoff)
	shedFor(20 * time.Millisecond)
	shedFor(time.Hour)
	time.Sleep(100 * time.Millisecond)
	if !shedding() {
		t.Error("the end of an earlier, shorter backoff ended a later one")
	}
	shedOff()
	done := shedIfHung(20 * time.Millisecond)
	done()
	time.Sleep(100 * time.Millisecond)
	if shedding() {
		t.Error("an export that returned in time started shedding afterwards")
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
	counter.Add(ctx, 100)
	hist.Record(ctx, 100)
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
