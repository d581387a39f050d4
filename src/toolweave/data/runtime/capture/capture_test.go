package capture

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"strings"
	"testing"

	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/sdk/trace/tracetest"
)

var errSentinel = errors.New("sentinel")

func inner(ctx context.Context) error { Record(ctx, "inner", errSentinel); return errSentinel }

func middle(ctx context.Context) error {
	err := inner(ctx)
	Record(ctx, "middle", err) // the same value, returned on up: not again
	return err
}

func outer(ctx context.Context) error {
	err := fmt.Errorf("outer: %w", middle(ctx))
	Record(ctx, "outer", err) // wrapped: a new value
	return err
}

func TestRecordOncePerValueWithStack(t *testing.T) {
	rec := tracetest.NewSpanRecorder()
	tp := sdktrace.NewTracerProvider(sdktrace.WithSpanProcessor(rec))
	ctx, span := tp.Tracer("test").Start(context.Background(), "request")
	before := Stats()
	err := outer(ctx)
	span.End()
	if !errors.Is(err, errSentinel) {
		t.Fatalf("errors.Is lost the sentinel: %v", err)
	}
	events := rec.Ended()[0].Events()
	if len(events) != 2 {
		t.Fatalf("%d events, want 2 (the sentinel where first returned, the wrapped error)", len(events))
	}
	want := []struct{ function, message, frame string }{
		{"inner", "sentinel", "capture.inner"},
		{"outer", "outer: sentinel", "capture.outer"},
	}
	for i, ev := range events {
		got := map[string]string{}
		for _, a := range ev.Attributes {
			got[string(a.Key)] = a.Value.Emit()
		}
		if ev.Name != "exception" || got["code.function.name"] != want[i].function || got["exception.message"] != want[i].message ||
			!strings.Contains(got["exception.stacktrace"], want[i].frame) || got["exception.type"] == "" {
			t.Errorf("event %d: %s %v", i, ev.Name, got)
		}
	}
	if s := Stats(); s.Recorded-before.Recorded != 2 || s.Repeated-before.Repeated != 1 {
		t.Errorf("counters %+v after %+v", s, before)
	}
}

func TestNothingWithoutASpan(t *testing.T) {
	before := Stats().Spanless
	Record(context.Background(), "f", fs.ErrNotExist)
	Record(nil, "f", fs.ErrNotExist)
	Record(nil, "f", nil)
	if got := Stats().Spanless - before; got != 2 {
		t.Errorf("spanless went up by %d, want 2", got)
	}
}
