package twslog

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log"
	"log/slog"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	"go.opentelemetry.io/otel"
	"go.opentelemetry.io/otel/attribute"
	otellog "go.opentelemetry.io/otel/log"
	sdklog "go.opentelemetry.io/otel/sdk/log"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/trace"
)

// recorder is an sdklog.Processor that keeps every emitted record.
type recorder struct {
	mu      sync.Mutex
	records []sdklog.Record
}

func (r *recorder) Enabled(context.Context, sdklog.EnabledParameters) bool { return true }
func (r *recorder) Shutdown(context.Context) error                         { return nil }
func (r *recorder) ForceFlush(context.Context) error                       { return nil }

func (r *recorder) OnEmit(_ context.Context, rec *sdklog.Record) error {
	r.mu.Lock()
	r.records = append(r.records, rec.Clone())
	r.mu.Unlock()
	return nil
}

// take returns and forgets the records so far.
func (r *recorder) take() []sdklog.Record {
	r.mu.Lock()
	defer r.mu.Unlock()
	out := r.records
	r.records = nil
	return out
}

var (
	logs   = &recorder{}
	tracer trace.Tracer
)

// TestMain installs the global providers before the bridge is first built, as bootstrap
// does before main runs.
func TestMain(m *testing.M) {
	otel.SetLoggerProvider(sdklog.NewLoggerProvider(sdklog.WithProcessor(logs)))
	tracer = sdktrace.NewTracerProvider().Tracer("test")
	os.Exit(m.Run())
}

// restoreDefaults puts slog's default logger and the log package back after a test that
// changes them.
func restoreDefaults(t *testing.T) {
	orig := slog.Default()
	flags, prefix, out := log.Flags(), log.Prefix(), log.Writer()
	t.Cleanup(func() {
		slog.SetDefault(orig)
		log.SetFlags(flags)
		log.SetPrefix(prefix)
		log.SetOutput(out)
	})
}

// jsonLines decodes the JSON handler's output, one object per record.
func jsonLines(t *testing.T, buf *bytes.Buffer) []map[string]any {
	t.Helper()
	var out []map[string]any
	for _, line := range strings.Split(strings.TrimSpace(buf.String()), "\n") {
		if line == "" {
			continue
		}
		var m map[string]any
		if err := json.Unmarshal([]byte(line), &m); err != nil {
			t.Fatalf("%v: %q", err, line)
		}
		out = append(out, m)
	}
	buf.Reset()
	return out
}

var noTime = &slog.HandlerOptions{ReplaceAttr: func(groups []string, a slog.Attr) slog.Attr {
	if a.Key == slog.TimeKey && len(groups) == 0 {
		return slog.Attr{}
	}
	return a
}}

func TestTraceIDsOnlyWithASpan(t *testing.T) {
	logs.take()
	var plain, woven bytes.Buffer
	original := slog.New(slog.NewJSONHandler(&plain, noTime))
	ours := New(slog.NewJSONHandler(&woven, noTime))

	ctx, span := tracer.Start(context.Background(), "op")
	defer span.End()
	for _, l := range []*slog.Logger{original, ours} {
		l.InfoContext(ctx, "with span", "k", "v", "n", 1)
		l.Info("without context", "k", "v")
		l.InfoContext(context.Background(), "context without span")
	}
	want, got := jsonLines(t, &plain), jsonLines(t, &woven)
	if len(got) != 3 {
		t.Fatalf("records %v", got)
	}
	sc := span.SpanContext()
	if got[0][TraceIDKey] != sc.TraceID().String() || got[0][SpanIDKey] != sc.SpanID().String() {
		t.Errorf("record with span: %v, want trace_id %s span_id %s", got[0], sc.TraceID(), sc.SpanID())
	}
	delete(got[0], TraceIDKey)
	delete(got[0], SpanIDKey)
	for i := range want {
		a, _ := json.Marshal(want[i])
		b, _ := json.Marshal(got[i])
		if string(a) != string(b) {
			t.Errorf("record %d: the program's output changed beyond trace_id/span_id:\n got %s\nwant %s", i, b, a)
		}
	}
}

func TestOTLPRecord(t *testing.T) {
	logs.take()
	var buf bytes.Buffer
	l := New(slog.NewJSONHandler(&buf, nil))
	ctx, span := tracer.Start(context.Background(), "op")
	l.WarnContext(ctx, "disk almost full", "free", 42)
	span.End()
	l.Error("no context")

	records := logs.take()
	if len(records) != 2 {
		t.Fatalf("%d OTLP records, want 2", len(records))
	}
	r := records[0]
	if r.Body().AsString() != "disk almost full" || r.Severity() != otellog.SeverityWarn || r.SeverityText() != "WARN" {
		t.Errorf("record body %q severity %v %q", r.Body().AsString(), r.Severity(), r.SeverityText())
	}
	if r.TraceID() != span.SpanContext().TraceID() || r.SpanID() != span.SpanContext().SpanID() {
		t.Errorf("record trace %s span %s, want %s %s", r.TraceID(), r.SpanID(), span.SpanContext().TraceID(), span.SpanContext().SpanID())
	}
	if r.InstrumentationScope().Name != ScopeName {
		t.Errorf("scope %q", r.InstrumentationScope().Name)
	}
	keys := map[attribute.Key]attribute.Value{}
	r.WalkAttributes(func(kv attribute.KeyValue) bool { keys[kv.Key] = kv.Value; return true })
	if len(keys) != 1 || keys["free"].AsInt64() != 42 {
		t.Errorf("OTLP attributes %v, want only free=42 (the trace IDs are the record's own fields)", keys)
	}
	if r2 := records[1]; r2.Severity() != otellog.SeverityError || r2.TraceID().IsValid() {
		t.Errorf("second record severity %v trace %s", r2.Severity(), r2.TraceID())
	}
}

func TestAttrsGroupsAndLevelReachBoth(t *testing.T) {
	logs.take()
	var buf bytes.Buffer
	l := New(slog.NewJSONHandler(&buf, &slog.HandlerOptions{Level: slog.LevelInfo})).With("svc", "api").WithGroup("req")
	ctx, span := tracer.Start(context.Background(), "op")
	defer span.End()
	l.DebugContext(ctx, "hidden", "x", 1)
	l.InfoContext(ctx, "shown", "id", 7)

	lines := jsonLines(t, &buf)
	if len(lines) != 1 || lines[0]["svc"] != "api" {
		t.Fatalf("app output %v", lines)
	}
	group, _ := lines[0]["req"].(map[string]any)
	if group["id"] != float64(7) || group[TraceIDKey] != span.SpanContext().TraceID().String() {
		t.Errorf("group %v", group)
	}
	records := logs.take()
	if len(records) != 1 {
		t.Fatalf("%d OTLP records, want 1 (the app's level applies to both)", len(records))
	}
	keys := map[attribute.Key]attribute.Value{}
	records[0].WalkAttributes(func(kv attribute.KeyValue) bool { keys[kv.Key] = kv.Value; return true })
	if keys["svc"].AsString() != "api" || keys["req"].Type() != attribute.MAP {
		t.Errorf("OTLP attributes %v", keys)
	}
}

func TestNeverWrappedTwice(t *testing.T) {
	h := slog.NewTextHandler(&bytes.Buffer{}, nil)
	w := Wrap(h)
	if Wrap(w) != w || New(w).Handler() != w {
		t.Error("a wrapped handler was wrapped again")
	}
	if wh, ok := w.(*handler); !ok || wh.app != slog.Handler(h) {
		t.Error("Wrap does not keep the program's handler")
	}
	if Wrap(nil) != nil {
		t.Error("Wrap(nil) is not nil")
	}
	restoreDefaults(t)
	SetDefault(New(h))
	if inner, ok := slog.Default().Handler().(*handler); !ok || inner.app != slog.Handler(h) {
		t.Errorf("SetDefault(New(h)) installed %T", slog.Default().Handler())
	}
	if Default() != slog.Default() {
		t.Error("Default wrapped the installed wrapped logger again")
	}
}

func TestDefaultIsNotInstalled(t *testing.T) {
	restoreDefaults(t)
	before := slog.Default()
	d := Default()
	if slog.Default() != before {
		t.Fatal("Default installed its logger")
	}
	if _, ok := d.Handler().(*handler); !ok {
		t.Fatalf("Default's handler is %T", d.Handler())
	}
	if Default() != d {
		t.Error("Default builds a new logger per call")
	}
	var buf bytes.Buffer
	slog.SetDefault(slog.New(slog.NewTextHandler(&buf, nil)))
	if d2 := Default(); d2 == d || d2.Handler().(*handler).app != slog.Default().Handler() {
		t.Error("Default did not follow a new default logger")
	}
}

// run fails the test if f does not return in time (a logging loop or deadlock).
func run(t *testing.T, what string, f func()) {
	t.Helper()
	done := make(chan struct{})
	go func() { defer close(done); f() }()
	select {
	case <-done:
	case <-time.After(5 * time.Second):
		t.Fatalf("%s: no return (logging loop or deadlock)", what)
	}
}

func TestSetDefaultAndTheLogPackage(t *testing.T) {
	restoreDefaults(t)
	logs.take()
	var buf bytes.Buffer
	SetDefault(slog.New(slog.NewJSONHandler(&buf, nil)))
	run(t, "log.Print", func() { log.Print("through the log package") })
	run(t, "Info", func() { Info("through slog") })
	lines := jsonLines(t, &buf)
	if len(lines) != 2 || lines[0]["msg"] != "through the log package" || lines[1]["msg"] != "through slog" {
		t.Errorf("app output %v", lines)
	}
	if n := len(logs.take()); n != 2 {
		t.Errorf("%d OTLP records, want 2 (log.Print reaches OpenTelemetry too)", n)
	}
}

func TestSetDefaultOfTheWrappedDefaultHandler(t *testing.T) {
	restoreDefaults(t)
	logs.take()
	var buf bytes.Buffer
	log.SetOutput(&buf)
	log.SetFlags(0)
	// slog.SetDefault(slog.Default()) as woven: both calls become ours.
	SetDefault(Default())
	if isSlogDefault(slog.Default().Handler()) == false {
		t.Fatalf("installed %T, want slog's own default handler", slog.Default().Handler())
	}
	ctx, span := tracer.Start(context.Background(), "op")
	defer span.End()
	run(t, "log.Print", func() { log.Print("plain log") })
	run(t, "InfoContext", func() { InfoContext(ctx, "slog line", "k", "v") })
	out := buf.String()
	want := "plain log\nINFO slog line k=v trace_id=" + span.SpanContext().TraceID().String() + " span_id=" + span.SpanContext().SpanID().String() + "\n"
	if out != want {
		t.Errorf("log output\n got %q\nwant %q", out, want)
	}
	if n := len(logs.take()); n != 1 {
		t.Errorf("%d OTLP records, want 1 (the slog line)", n)
	}
}

func TestPackageFunctionsUseTheDefaultAndTheCallersLine(t *testing.T) {
	restoreDefaults(t)
	logs.take()
	var buf bytes.Buffer
	slog.SetDefault(slog.New(slog.NewJSONHandler(&buf, &slog.HandlerOptions{AddSource: true, Level: slog.LevelDebug})))
	ctx, span := tracer.Start(context.Background(), "op")
	defer span.End()
	_, file, line, _ := runtime.Caller(0)
	Debug("d")
	DebugContext(ctx, "dc")
	Info("i")
	InfoContext(ctx, "ic")
	Warn("w")
	WarnContext(ctx, "wc")
	Error("e")
	ErrorContext(ctx, "ec")
	Log(ctx, slog.LevelInfo, "l", "k", 1)
	LogAttrs(ctx, slog.LevelInfo, "la", slog.Int("k", 2))
	Log(nil, slog.LevelInfo, "nil context") //nolint:staticcheck // slog accepts a nil context
	lines := jsonLines(t, &buf)
	if len(lines) != 11 {
		t.Fatalf("%d lines, want 11", len(lines))
	}
	for i, m := range lines {
		src, _ := m["source"].(map[string]any)
		if src["file"] != file || src["line"] != float64(line+1+i) {
			t.Errorf("%s: source %v:%v, want %s:%d", m["msg"], src["file"], src["line"], filepath.Base(file), line+1+i)
		}
		withCtx := strings.HasSuffix(m["msg"].(string), "c") || strings.HasPrefix(m["msg"].(string), "l")
		if _, ok := m[TraceIDKey]; ok != withCtx {
			t.Errorf("%s: trace_id present = %v", m["msg"], ok)
		}
	}
	if n := len(logs.take()); n != 11 {
		t.Errorf("%d OTLP records, want 11", n)
	}
}

func TestConcurrentLogging(t *testing.T) {
	restoreDefaults(t)
	var mu sync.Mutex
	var buf bytes.Buffer
	SetDefault(slog.New(slog.NewTextHandler(writerFunc(func(p []byte) (int, error) {
		mu.Lock()
		defer mu.Unlock()
		return buf.Write(p)
	}), nil)))
	var wg sync.WaitGroup
	for i := range 8 {
		wg.Go(func() {
			ctx, span := tracer.Start(context.Background(), "op")
			defer span.End()
			for range 50 {
				InfoContext(ctx, "msg", "i", i)
				Default().With("x", i).InfoContext(ctx, "with")
				log.Print("log")
			}
		})
	}
	wg.Wait()
	if got := strings.Count(buf.String(), "\n"); got != 8*50*3 {
		t.Errorf("%d lines, want %d", got, 8*50*3)
	}
}

type writerFunc func([]byte) (int, error)

func (f writerFunc) Write(p []byte) (int, error) { return f(p) }

// A call below the logger's level costs what slog's own call costs: the arguments' boxing
// and nothing of ours (the multi benchmark logs one such line per request at -log-level warn).
func TestDisabledLevelCostsWhatSlogCosts(t *testing.T) {
	saved := slog.Default()
	defer slog.SetDefault(saved)
	SetDefault(New(slog.NewJSONHandler(io.Discard, &slog.HandlerOptions{Level: slog.LevelWarn})))
	ctx := context.Background()
	n, name := 4711, "item-043"
	ours := testing.Benchmark(func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			InfoContext(ctx, "work done", "n", n, "item", name)
		}
	})
	std := testing.Benchmark(func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			slog.InfoContext(ctx, "work done", "n", n, "item", name)
		}
	})
	if ours.AllocsPerOp() > std.AllocsPerOp() || ours.AllocedBytesPerOp() > std.AllocedBytesPerOp() {
		t.Errorf("InfoContext below the level: %d allocations (%d B); slog.InfoContext: %d (%d B)",
			ours.AllocsPerOp(), ours.AllocedBytesPerOp(), std.AllocsPerOp(), std.AllocedBytesPerOp())
	}
}
