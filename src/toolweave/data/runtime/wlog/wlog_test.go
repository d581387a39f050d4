package wlog

import (
	"context"
	"errors"
	"log/slog"
	"os"
	"runtime"
	"sync"
	"testing"
	"time"

	"go.opentelemetry.io/otel"
	sdklog "go.opentelemetry.io/otel/sdk/log"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/trace"
)

// exported is an sdklog.Processor that keeps every record the bridge emits.
type exported struct {
	mu      sync.Mutex
	records []sdklog.Record
}

func (e *exported) Enabled(context.Context, sdklog.EnabledParameters) bool { return true }
func (e *exported) Shutdown(context.Context) error                         { return nil }
func (e *exported) ForceFlush(context.Context) error                       { return nil }
func (e *exported) OnEmit(_ context.Context, rec *sdklog.Record) error {
	e.mu.Lock()
	defer e.mu.Unlock()
	e.records = append(e.records, rec.Clone())
	return nil
}

func (e *exported) take() []sdklog.Record {
	e.mu.Lock()
	defer e.mu.Unlock()
	out := e.records
	e.records = nil
	return out
}

var otlpLogs = &exported{}

// capture is a slog.Handler that keeps every record with the context it came with.
type capture struct {
	mu      sync.Mutex
	records []slog.Record
	ctxs    []context.Context
}

func (c *capture) Enabled(context.Context, slog.Level) bool { return true }
func (c *capture) WithAttrs([]slog.Attr) slog.Handler       { return c }
func (c *capture) WithGroup(string) slog.Handler            { return c }
func (c *capture) Handle(ctx context.Context, r slog.Record) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.records, c.ctxs = append(c.records, r), append(c.ctxs, ctx)
	return nil
}

func (c *capture) take() ([]slog.Record, []context.Context) {
	c.mu.Lock()
	defer c.mu.Unlock()
	r, x := c.records, c.ctxs
	c.records, c.ctxs = nil, nil
	return r, x
}

var sink = &capture{}

// TestMain installs the global LoggerProvider before the bridge is first built, as
// bootstrap does before main runs.
func TestMain(m *testing.M) {
	otel.SetLoggerProvider(sdklog.NewLoggerProvider(sdklog.WithProcessor(otlpLogs)))
	slog.SetDefault(slog.New(sink))
	os.Exit(m.Run())
}

func attrMap(r slog.Record) map[string]slog.Value {
	out := map[string]slog.Value{}
	r.Attrs(func(a slog.Attr) bool { out[a.Key] = a.Value; return true })
	return out
}

// get is shaped like a woven function: Enter first, exit deferred with the named error.
func get(ctx context.Context, id int, fail bool) (err error) {
	exit := Enter(ctx, "get", "id", id)
	defer func() { exit(err) }()
	time.Sleep(2 * time.Millisecond)
	if fail {
		return errors.New("not found")
	}
	return nil
}

func TestEnterAndExitRecords(t *testing.T) {
	sink.take()
	tp := sdktrace.NewTracerProvider()
	ctx, s := tp.Tracer("test").Start(context.Background(), "parent")
	defer s.End()

	_ = get(ctx, 42, false)
	records, ctxs := sink.take()
	if len(records) != 2 || records[0].Message != "enter" || records[1].Message != "exit" {
		t.Fatalf("want enter and exit records, got %v", records)
	}
	enter, exit := attrMap(records[0]), attrMap(records[1])
	if enter[FunctionKey].String() != "get" || enter["id"].Int64() != 42 {
		t.Errorf("enter attributes = %v", enter)
	}
	if exit[FunctionKey].String() != "get" || exit[DurationKey].Duration() < 2*time.Millisecond {
		t.Errorf("exit attributes = %v", exit)
	}
	if _, ok := exit[ErrorKey]; ok {
		t.Errorf("exit has an error attribute for a nil error")
	}
	for i, c := range ctxs {
		if trace.SpanFromContext(c) != s {
			t.Errorf("record %d was not logged with the function's context", i)
		}
	}
	// The source location is the woven function, not this package.
	frame, _ := runtime.CallersFrames([]uintptr{records[0].PC}).Next()
	if frame.Function != "toolweave.dev/runtime/wlog.get" {
		t.Errorf("record PC is in %q, want the calling function", frame.Function)
	}
}

// The records take the slog integration's path: the program's handler gets trace_id and
// span_id, and each is also an OpenTelemetry log record of the same span.
func TestRecordsAreBridgedAndCorrelated(t *testing.T) {
	sink.take()
	otlpLogs.take()
	tp := sdktrace.NewTracerProvider()
	ctx, s := tp.Tracer("test").Start(context.Background(), "parent")
	defer s.End()

	_ = get(ctx, 1, false)
	records, _ := sink.take()
	sc := s.SpanContext()
	for _, r := range records {
		attrs := attrMap(r)
		if attrs["trace_id"].String() != sc.TraceID().String() || attrs["span_id"].String() != sc.SpanID().String() {
			t.Errorf("%s record in the program's output lacks the span's ids: %v", r.Message, attrs)
		}
	}
	bridged := otlpLogs.take()
	if len(bridged) != 2 {
		t.Fatalf("want 2 OpenTelemetry log records, got %d", len(bridged))
	}
	for _, r := range bridged {
		if r.TraceID() != sc.TraceID() || r.SpanID() != sc.SpanID() {
			t.Errorf("log record %q has trace %s span %s, want %s %s", r.Body().AsString(),
				r.TraceID(), r.SpanID(), sc.TraceID(), sc.SpanID())
		}
	}
}

func TestExitRecordsError(t *testing.T) {
	sink.take()
	_ = get(nil, 7, true) // a nil context is allowed
	records, ctxs := sink.take()
	if got := attrMap(records[1])[ErrorKey]; got.Any() == nil || got.Any().(error).Error() != "not found" {
		t.Errorf("exit error attribute = %v", got)
	}
	if ctxs[0] == nil {
		t.Errorf("a nil context must reach the handler as context.Background()")
	}
}

func TestRequestContextOfNil(t *testing.T) {
	if RequestContext(nil) != nil {
		t.Errorf("RequestContext(nil) must be nil")
	}
}

func TestCallerNamesFunctionLiterals(t *testing.T) {
	if got := func() string { return Caller() }(); got != "TestCallerNamesFunctionLiterals.func1" {
		t.Errorf("Caller() in a literal = %q", got)
	}
}
