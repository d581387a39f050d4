package twzap

import (
	"bytes"
	"context"
	"encoding/json"
	"sync"
	"testing"

	"go.opentelemetry.io/otel/log/global"
	sdklog "go.opentelemetry.io/otel/sdk/log"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.uber.org/zap"
	"go.uber.org/zap/zapcore"
)

// records keeps the OpenTelemetry records the bridge emits.
type records struct {
	mu  sync.Mutex
	out []sdklog.Record
}

func (r *records) OnEmit(_ context.Context, rec *sdklog.Record) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.out = append(r.out, rec.Clone())
	return nil
}
func (r *records) Enabled(context.Context, sdklog.EnabledParameters) bool { return true }
func (r *records) Shutdown(context.Context) error                         { return nil }
func (r *records) ForceFlush(context.Context) error                       { return nil }

var emitted = &records{}

func init() { global.SetLoggerProvider(sdklog.NewLoggerProvider(sdklog.WithProcessor(emitted))) }

func TestEntriesWithAContextCarryItsIdsInBothOutputs(t *testing.T) {
	var buf bytes.Buffer
	logger := New(zapcore.NewCore(zapcore.NewJSONEncoder(zap.NewProductionEncoderConfig()), zapcore.AddSync(&buf), zap.InfoLevel))
	ctx, span := sdktrace.NewTracerProvider().Tracer("t").Start(context.Background(), "op")
	defer span.End()
	logger.With(zap.String("svc", "a")).Info("hello", zap.Any("ctx", ctx), zap.Int("n", 1))
	logger.Info("plain")
	logger.Debug("below the level")

	var lines []map[string]any
	for _, line := range bytes.Split(bytes.TrimSpace(buf.Bytes()), []byte("\n")) {
		var m map[string]any
		if err := json.Unmarshal(line, &m); err != nil {
			t.Fatalf("%s: %v", line, err)
		}
		lines = append(lines, m)
	}
	if len(lines) != 2 {
		t.Fatalf("own output: %d lines, want 2: %s", len(lines), buf.String())
	}
	first := lines[0]
	if first["trace_id"] != span.SpanContext().TraceID().String() || first["span_id"] != span.SpanContext().SpanID().String() {
		t.Errorf("own output lacks the span's ids: %v", first)
	}
	if _, ok := first["ctx"]; ok || first["svc"] != "a" || first["n"] != float64(1) {
		t.Errorf("own output fields: %v", first)
	}
	if _, ok := lines[1]["trace_id"]; ok {
		t.Errorf("an entry without a context got ids: %v", lines[1])
	}

	emitted.mu.Lock()
	defer emitted.mu.Unlock()
	if len(emitted.out) != 2 {
		t.Fatalf("OpenTelemetry records: %d, want 2", len(emitted.out))
	}
	rec := emitted.out[0]
	if rec.TraceID() != span.SpanContext().TraceID() || rec.SpanID() != span.SpanContext().SpanID() {
		t.Errorf("the OTLP record is not correlated: trace %s span %s", rec.TraceID(), rec.SpanID())
	}
	if rec.Body().AsString() != "hello" || rec.InstrumentationScope().Name != ScopeName {
		t.Errorf("record body %q scope %q", rec.Body().AsString(), rec.InstrumentationScope().Name)
	}
}

func TestWrappingTwiceIsWrappingOnce(t *testing.T) {
	core := zapcore.NewNopCore()
	once := Wrap(core)
	if Wrap(once) != once {
		t.Error("a wrapped core was wrapped again (every entry would be bridged twice)")
	}
	logger, err := NewProduction(zap.WrapCore(func(c zapcore.Core) zapcore.Core { return c }))
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := logger.Core().(*tee); !ok {
		t.Errorf("NewProduction's core is %T, want the wrapping", logger.Core())
	}
}
