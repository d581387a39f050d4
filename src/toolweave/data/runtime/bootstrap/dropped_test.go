package bootstrap

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"log"
	"net"
	"os"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"go.opentelemetry.io/otel"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
)

func init() {
	// 100 spans against a collector that refuses connections, with a queue of 10.
	scenarios["unreachable"] = func() {
		defer Start()()
		for range 100 {
			emit("lost")
		}
		deadline := time.Now().Add(10 * time.Second)
		for Dropped().FailedExports < 2 && time.Now().Before(deadline) {
			time.Sleep(10 * time.Millisecond)
		}
		d := Dropped()
		fmt.Printf("while running: %d queue full, %d failed exports\n", d.SpansQueueFull, d.FailedExports)
	}
}

// closedPort is a loopback address nothing listens on.
func closedPort(t *testing.T) string {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	return addr
}

func TestDroppedSpansAreCountedAndReported(t *testing.T) {
	r := run(t, "unreachable", "OTEL_TRACES_EXPORTER=otlp", "OTEL_EXPORTER_OTLP_PROTOCOL=http/protobuf",
		"OTEL_EXPORTER_OTLP_ENDPOINT=http://"+closedPort(t), "OTEL_EXPORTER_OTLP_TIMEOUT=500",
		"OTEL_BSP_MAX_QUEUE_SIZE=10", "OTEL_BSP_MAX_EXPORT_BATCH_SIZE=5", "OTEL_BSP_SCHEDULE_DELAY=50")
	if r.code != 0 {
		t.Fatalf("exit code %d, stderr:\n%s", r.code, r.stderr)
	}
	if !strings.Contains(r.stdout, "while running: ") || strings.Contains(r.stdout, "while running: 0 queue full") {
		t.Errorf("no queue-full drops counted while running: %q", r.stdout)
	}
	// Two failed exports or more, one line (rate-limited), then the totals at shutdown.
	if n := strings.Count(r.stderr, "toolweave: telemetry export failed ("); n != 1 {
		t.Errorf("%d export-failure lines, want 1:\n%s", n, r.stderr)
	}
	if !strings.Contains(r.stderr, "connection refused") {
		t.Errorf("the exporter's error is not reported:\n%s", r.stderr)
	}
	m := regexp.MustCompile(`toolweave: telemetry lost in this run: (\d+) spans dropped \((\d+) queue full, (\d+) in failed exports\), 0 log records dropped, (\d+) failed exports`).
		FindStringSubmatch(r.stderr)
	if m == nil {
		t.Fatalf("no summary at shutdown:\n%s", r.stderr)
	}
	if testing.Verbose() {
		t.Log(r.stderr)
	}
	total, _ := strconv.Atoi(m[1])
	queueFull, _ := strconv.Atoi(m[2])
	failed, _ := strconv.Atoi(m[3])
	if total != 100 || queueFull == 0 || failed == 0 {
		t.Errorf("summary %q: want all 100 spans accounted for, some at the queue, some in failed exports", m[0])
	}
}

func TestNothingLostNothingSaid(t *testing.T) {
	r := run(t, "return")
	if strings.Contains(r.stderr, "toolweave: telemetry") {
		t.Errorf("a report without any loss:\n%s", r.stderr)
	}
}

// The counter Dropped reads must exist in the pinned SDK (an upgrade that renames it fails here).
func TestQueueFullCounterReadsTheBatchProcessor(t *testing.T) {
	release := make(chan struct{})
	exp := blockingExporter(release)
	bsp := sdktrace.NewBatchSpanProcessor(exp, sdktrace.WithMaxQueueSize(2), sdktrace.WithMaxExportBatchSize(1))
	count := queueFullCounter(bsp)
	if count == nil {
		t.Fatal("sdktrace's batch span processor has no `dropped atomic.Uint32` field any more")
	}
	tp := sdktrace.NewTracerProvider(sdktrace.WithSpanProcessor(bsp))
	for range 50 {
		_, s := tp.Tracer("t").Start(context.Background(), "s")
		s.End()
	}
	// One span in the blocked export, 2 queued, at most one in the processor's hands.
	if got := count(); got < 46 || got > 48 {
		t.Errorf("queue-full drops = %d, want 46-48 of 50", got)
	}
	close(release)
	_ = tp.Shutdown(context.Background())
	if queueFullCounter(sdktrace.NewSimpleSpanProcessor(exp)) != nil {
		t.Error("a counter for something that is not a batch span processor")
	}
}

type blockingExporter chan struct{}

func (b blockingExporter) ExportSpans(ctx context.Context, _ []sdktrace.ReadOnlySpan) error {
	<-b
	return nil
}
func (blockingExporter) Shutdown(context.Context) error { return nil }

func TestErrorHandlerRateLimitsExportFailures(t *testing.T) {
	var out, logged bytes.Buffer
	drops.out = &out
	log.SetOutput(&logged)
	t.Cleanup(func() { drops.out = os.Stderr; log.SetOutput(os.Stderr) })
	drops.lastReport.Store(0)

	h := errorHandler{}
	failure := errors.New("dial tcp: connection refused")
	h.Handle(&exportError{"spans", 512, failure})
	h.Handle(&exportError{"spans", 512, failure})                                   // within ReportInterval: silent
	h.Handle(errors.Join(errors.New("x"), &exportError{"log records", 3, failure})) // as shutdown joins them
	h.Handle(errors.New("not an export"))                                           // as the default handler: every one
	if n := strings.Count(out.String(), "toolweave: telemetry export failed ("); n != 1 ||
		!strings.Contains(out.String(), "connection refused") {
		t.Errorf("export failures printed %d times, want once:\n%s", n, out.String())
	}
	if !strings.Contains(logged.String(), "not an export") || strings.Contains(logged.String(), "refused") {
		t.Errorf("log output %q: want only the other error", logged.String())
	}
	drops.lastReport.Store(time.Now().Add(-ReportInterval).UnixNano())
	h.Handle(&exportError{"spans", 1, failure})
	if n := strings.Count(out.String(), "toolweave: telemetry export failed ("); n != 2 {
		t.Errorf("after ReportInterval: %d lines, want 2", n)
	}
}

type ownHandler struct{}

func (*ownHandler) Handle(error) {}

func TestErrorHandlerLeavesTheProgramsOwn(t *testing.T) {
	// This test process never called Start: the SDK's default handler is installed.
	installErrorHandler()
	if _, ok := otel.GetErrorHandler().(errorHandler); !ok {
		t.Fatalf("the default handler was not replaced: %T", otel.GetErrorHandler())
	}
	mine := &ownHandler{}
	otel.SetErrorHandler(mine)
	installErrorHandler()
	if otel.GetErrorHandler() != mine {
		t.Errorf("the program's handler was replaced by %T", otel.GetErrorHandler())
	}
}

// countingExporter fails while fail is set and counts its calls.
type countingExporter struct {
	calls *int
	fail  *bool
}

func (c countingExporter) ExportSpans(context.Context, []sdktrace.ReadOnlySpan) error {
	*c.calls++
	if *c.fail {
		return errors.New("connection refused")
	}
	return nil
}
func (countingExporter) Shutdown(context.Context) error { return nil }

func TestAFailedExportBacksOffUntilSuccessOrShutdown(t *testing.T) {
	endBackoff()
	t.Cleanup(endBackoff)
	calls, fail := 0, true
	exp := spanExporter{SpanExporter: countingExporter{&calls, &fail}}
	batch := make([]sdktrace.ReadOnlySpan, 3)
	before := Dropped()
	for i := 0; i < 5; i++ {
		_ = exp.ExportSpans(context.Background(), batch)
	}
	after := Dropped()
	if calls != 1 || after.SpansFailed-before.SpansFailed != 15 || after.FailedExports-before.FailedExports != 1 {
		t.Fatalf("5 batches after a failure: %d exporter calls, %d spans counted failed, %d failed exports; want 1, 15, 1",
			calls, after.SpansFailed-before.SpansFailed, after.FailedExports-before.FailedExports)
	}
	if d := time.Duration(backoff.delay.Load()); d != minBackoff {
		t.Errorf("first backoff %v, want %v", d, minBackoff)
	}
	backoff.until.Store(1) // the backoff has run out: the next export tries, fails, doubles it
	_ = exp.ExportSpans(context.Background(), batch)
	if d := time.Duration(backoff.delay.Load()); calls != 2 || d != 2*minBackoff {
		t.Errorf("after the backoff: %d calls, next backoff %v; want 2, %v", calls, d, 2*minBackoff)
	}
	endBackoff() // shutdown: the last spans get their try
	fail = false
	if err := exp.ExportSpans(context.Background(), batch); err != nil || calls != 3 || backoff.until.Load() != 0 {
		t.Errorf("after shutdown ended the backoff: err %v, %d calls, until %d", err, calls, backoff.until.Load())
	}
}
