package twlogrus

import (
	"bytes"
	"context"
	"encoding/json"
	"sync"
	"testing"

	"github.com/sirupsen/logrus"
	"go.opentelemetry.io/otel/log/global"
	sdklog "go.opentelemetry.io/otel/sdk/log"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
)

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
	logger := New()
	logger.SetOutput(&buf)
	logger.SetFormatter(&logrus.JSONFormatter{})
	Instrument(logger) // a second time: still one hook
	ctx, span := sdktrace.NewTracerProvider().Tracer("t").Start(context.Background(), "op")
	defer span.End()
	logger.WithContext(ctx).WithField("user", "gopher").Info("handled")
	logger.Info("no context")

	lines := bytes.Split(bytes.TrimSpace(buf.Bytes()), []byte("\n"))
	if len(lines) != 2 {
		t.Fatalf("own output: %d lines: %s", len(lines), buf.String())
	}
	var first, second map[string]any
	if json.Unmarshal(lines[0], &first) != nil || json.Unmarshal(lines[1], &second) != nil {
		t.Fatalf("not JSON: %s", buf.String())
	}
	if first["trace_id"] != span.SpanContext().TraceID().String() || first["span_id"] != span.SpanContext().SpanID().String() || first["user"] != "gopher" {
		t.Errorf("own output: %v", first)
	}
	if _, ok := second["trace_id"]; ok {
		t.Errorf("an entry without a context got ids: %v", second)
	}
	emitted.mu.Lock()
	defer emitted.mu.Unlock()
	if len(emitted.out) != 2 {
		t.Fatalf("OpenTelemetry records: %d, want 2 (one hook)", len(emitted.out))
	}
	if rec := emitted.out[0]; rec.TraceID() != span.SpanContext().TraceID() || rec.Body().AsString() != "handled" {
		t.Errorf("record: trace %s body %q", rec.TraceID(), rec.Body().AsString())
	}
}
