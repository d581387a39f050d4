package bootstrap

import (
	"context"
	"testing"
	"time"

	"go.opentelemetry.io/otel/propagation"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/sdk/trace/tracetest"
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
	_ = spanExporter{countingExporter{&calls, &fail}}.ExportSpans(context.Background(), nil) // fails: backoff
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
	backoff.until.Store(1) // the delay has passed
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

// A collector that accepts and never answers fails an export only at its timeout: spans are
// shed once an export has been in flight for longer than the shortest backoff.
func TestSpansAreShedWhileAnExportHangs(t *testing.T) {
	endBackoff()
	t.Cleanup(func() { backoff.since.Store(0); endBackoff() })
	backoff.since.Store(time.Now().UnixNano())
	if shedding() {
		t.Error("shedding as soon as an export starts")
	}
	backoff.since.Store(time.Now().Add(-minBackoff - time.Millisecond).UnixNano())
	if !shedding() {
		t.Error("not shedding while an export has hung for longer than the shortest backoff")
	}
	hang := make(blockingExporter)
	done := make(chan struct{})
	backoff.since.Store(0)
	go func() {
		defer close(done)
		_ = spanExporter{hang}.ExportSpans(context.Background(), nil)
	}()
	deadline := time.Now().Add(5 * time.Second)
	for backoff.since.Load() == 0 && time.Now().Before(deadline) {
		time.Sleep(time.Millisecond)
	}
	if backoff.since.Load() == 0 {
		t.Fatal("an export in flight is not marked")
	}
	close(hang)
	<-done
	if backoff.since.Load() != 0 {
		t.Error("a finished export is still marked in flight")
	}
}
