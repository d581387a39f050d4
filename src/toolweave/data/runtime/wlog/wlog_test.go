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

	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/trace"
)

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

func TestMain(m *testing.M) {
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
