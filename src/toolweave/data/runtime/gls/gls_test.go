package gls

import (
	"context"
	"testing"
	"unsafe"

	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/sdk/trace/tracetest"
	"go.opentelemetry.io/otel/trace"
)

// oneGoroutine stands in for the runtime's accessors: one slot, for tests that stay on the
// test's goroutine (the real field is tested end to end, tests/e2e/test_gls_e2e.py).
func oneGoroutine(t *testing.T) {
	var slot unsafe.Pointer
	load = func() unsafe.Pointer { return slot }
	store = func(p unsafe.Pointer) { slot = p }
	t.Cleanup(func() { load, store = nil, nil })
}

func sdk(t *testing.T) (trace.Tracer, *tracetest.InMemoryExporter) {
	exp := tracetest.NewInMemoryExporter()
	tp := sdktrace.NewTracerProvider(sdktrace.WithSyncer(exp), sdktrace.WithSpanProcessor(Processor()))
	t.Cleanup(func() { _ = tp.Shutdown(context.Background()) })
	return Provider(tp).Tracer("test"), exp
}

func TestWithoutTheRuntimeFieldNothingChanges(t *testing.T) {
	tr, _ := sdk(t)
	if Available() {
		t.Fatal("available without the runtime's accessors")
	}
	_, outer := tr.Start(context.Background(), "outer")
	defer outer.End()
	_, inner := tr.Start(context.Background(), "inner")
	defer inner.End()
	if inner.(sdktrace.ReadOnlySpan).Parent().IsValid() || Span() != nil || Depth() != 0 {
		t.Fatal("a parent without goroutine-local context")
	}
}

func TestContextlessStartsJoinTheGoroutinesSpanAndAPassedContextWins(t *testing.T) {
	oneGoroutine(t)
	tr, _ := sdk(t)
	ctx, outer := tr.Start(context.Background(), "outer")
	_, child := tr.Start(context.Background(), "child") // no span in its context
	if got := child.(sdktrace.ReadOnlySpan).Parent().SpanID(); got != outer.SpanContext().SpanID() {
		t.Fatalf("child's parent %v, want outer", got)
	}
	child.End()
	_, other := tr.Start(context.Background(), "elsewhere", trace.WithNewRoot())
	if other.(sdktrace.ReadOnlySpan).Parent().IsValid() {
		t.Fatal("WithNewRoot got a parent")
	}
	other.End()
	_, detached := tr.Start(ctx, "passed") // a context that carries a span wins
	if detached.(sdktrace.ReadOnlySpan).Parent().SpanID() != outer.SpanContext().SpanID() {
		t.Fatal("passed context lost")
	}
	detached.End()
	outer.End()
	if Span() != nil || Depth() != 0 {
		t.Fatalf("after the last end: span %v, depth %d", Span(), Depth())
	}
}

func TestASpanEndedElsewhereIsNeverAParent(t *testing.T) {
	oneGoroutine(t)
	tr, _ := sdk(t)
	_, request := tr.Start(context.Background(), "request")
	// Ended as if on another goroutine: this goroutine's stack is not popped...
	saved := load()
	request.End()
	store(saved)
	// ...but an ended span is never a parent, and is forgotten when met.
	_, later := tr.Start(context.Background(), "later")
	if later.(sdktrace.ReadOnlySpan).Parent().IsValid() {
		t.Fatal("a later span attached to an ended request")
	}
	later.End()
	if Depth() != 0 {
		t.Fatalf("depth %d after the ended frame was met", Depth())
	}
	if Stats().Dropped == 0 {
		t.Fatal("the dropped frame is not counted")
	}
}

func TestOutOfOrderEndsAndTheDepthBound(t *testing.T) {
	oneGoroutine(t)
	tr, _ := sdk(t)
	_, a := tr.Start(context.Background(), "a")
	_, b := tr.Start(context.Background(), "b")
	a.End() // ends b's frame too: b was started above a
	if Depth() != 0 {
		t.Fatalf("depth %d", Depth())
	}
	b.End()
	var spans []trace.Span
	for i := 0; i < maxDepth+10; i++ {
		_, s := tr.Start(context.Background(), "deep")
		spans = append(spans, s)
	}
	if Depth() != maxDepth {
		t.Fatalf("depth %d, bound %d", Depth(), maxDepth)
	}
	for i := len(spans) - 1; i >= 0; i-- {
		spans[i].End()
	}
	if Depth() != 0 {
		t.Fatalf("depth %d after all ended", Depth())
	}
}
