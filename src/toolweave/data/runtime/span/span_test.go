package span

import (
	"context"
	"errors"
	"net/http/httptest"
	"os"
	"testing"

	"go.opentelemetry.io/otel"
	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/codes"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/sdk/trace/tracetest"
	"go.opentelemetry.io/otel/trace"
)

var recorder = tracetest.NewSpanRecorder()

func TestMain(m *testing.M) {
	otel.SetTracerProvider(sdktrace.NewTracerProvider(sdktrace.WithSpanProcessor(recorder)))
	os.Exit(m.Run())
}

// ended returns the spans ended since the last call.
func ended(t *testing.T) []sdktrace.ReadOnlySpan {
	t.Helper()
	spans := recorder.Ended()
	recorder.Reset()
	return spans
}

func TestStartIsChildOfContextSpan(t *testing.T) {
	ended(t)
	ctx, parent := otel.Tracer("test").Start(context.Background(), "parent")
	child, s := Start(ctx, "child", "k1", "v1", "k2", "v2")
	if got := trace.SpanFromContext(child); got != s {
		t.Fatalf("returned context does not carry the new span")
	}
	End(s, nil)
	parent.End()

	spans := ended(t)
	if len(spans) != 2 || spans[0].Name() != "child" {
		t.Fatalf("want child then parent, got %v", names(spans))
	}
	c := spans[0]
	if c.Parent().SpanID() != parent.SpanContext().SpanID() || c.SpanContext().TraceID() != parent.SpanContext().TraceID() {
		t.Errorf("child is not parented by the context's span")
	}
	want := []attribute.KeyValue{attribute.String("k1", "v1"), attribute.String("k2", "v2")}
	if got := c.Attributes(); !equalAttrs(got, want) {
		t.Errorf("attributes = %v, want %v", got, want)
	}
	if c.InstrumentationScope().Name != TracerName {
		t.Errorf("scope = %q, want %q", c.InstrumentationScope().Name, TracerName)
	}
	if c.Status().Code != codes.Unset {
		t.Errorf("status = %v, want Unset for a nil error", c.Status())
	}
}

func TestOddAttributeListGivesEmptyValue(t *testing.T) {
	ended(t)
	_, s := Start(context.Background(), "odd", "k", "v", "bare")
	End(s, nil)
	want := []attribute.KeyValue{attribute.String("k", "v"), attribute.String("bare", "")}
	if got := ended(t)[0].Attributes(); !equalAttrs(got, want) {
		t.Errorf("attributes = %v, want %v", got, want)
	}
}

func TestEndRecordsError(t *testing.T) {
	ended(t)
	_, s := Start(context.Background(), "failing")
	End(s, errors.New("boom"))
	got := ended(t)[0]
	if got.Status().Code != codes.Error || got.Status().Description != "boom" {
		t.Errorf("status = %+v, want Error \"boom\"", got.Status())
	}
	if ev := got.Events(); len(ev) != 1 || ev[0].Name != "exception" {
		t.Errorf("events = %v, want one exception event", ev)
	}
}

func TestNilContextStaysNilAndSpanIsRoot(t *testing.T) {
	ended(t)
	ctx, s := Start(nil, "root") // a nil context is the case under test
	if ctx != nil {
		t.Errorf("a nil context must stay nil, got %v", ctx)
	}
	End(s, nil)
	if got := ended(t)[0]; got.Parent().IsValid() {
		t.Errorf("span from a nil context has a parent")
	}
}

func TestStartRequestRebindsTheRequest(t *testing.T) {
	ended(t)
	ctx, parent := otel.Tracer("test").Start(context.Background(), "server")
	r := httptest.NewRequest("GET", "/items/1", nil).WithContext(ctx)
	r2, s := StartRequest(r, "handler", "route", "/items/{id}")
	if r2 == r || trace.SpanFromContext(r2.Context()) != s {
		t.Fatalf("the returned request must carry the new span")
	}
	End(s, nil)
	parent.End()
	if got := ended(t)[0]; got.Parent().SpanID() != parent.SpanContext().SpanID() {
		t.Errorf("span is not a child of the request's span")
	}

	r3, s := StartRequest(nil, "nil request")
	if r3 != nil {
		t.Errorf("a nil request must stay nil")
	}
	End(s, nil)
}

func TestCallerNamesFunctionLiterals(t *testing.T) {
	name := func() string { return Caller() }()
	if name != "TestCallerNamesFunctionLiterals.func1" {
		t.Errorf("Caller() in a literal = %q", name)
	}
}

func names(spans []sdktrace.ReadOnlySpan) []string {
	var out []string
	for _, s := range spans {
		out = append(out, s.Name())
	}
	return out
}

func equalAttrs(a, b []attribute.KeyValue) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// A span without attributes costs what the tracer's own Start costs: Start adds nothing.
func TestStartWithoutAttributesAddsNoAllocation(t *testing.T) {
	ctx := context.Background()
	ours := testing.AllocsPerRun(200, func() { _, s := Start(ctx, "work"); s.End() })
	direct := testing.AllocsPerRun(200, func() { _, s := otel.Tracer(TracerName).Start(ctx, "work"); s.End() })
	recorder.Reset()
	if ours > direct {
		t.Errorf("Start allocates %v times, the tracer's Start %v", ours, direct)
	}
}
