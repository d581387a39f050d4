package bootstrap

// Telemetry that never reaches the collector is counted and said on stderr.
//
// The SDK drops spans silently: the batch span processor counts the spans it drops because
// its queue is full in a private field (shown only in a debug log line, or as a metric with
// OTEL_GO_X_OBSERVABILITY=true, which goes out through the same, failing, pipeline), and a
// failed export reaches otel.Handle, whose default prints the error on every failure
// without saying how much was lost. Start therefore
//
//   - wraps the span and log exporters: a failed export counts its spans (log records) as
//     dropped and hands the error on marked as an export failure;
//   - reads the batch span processor's own queue-full counter (never touched on the hot
//     path: it is read when a report is written or Dropped is called);
//   - installs an error handler, unless the program set one before Start, that prints
//     export failures at most once per ReportInterval, with the totals so far, and every
//     other error as the SDK's default handler does (log.Print);
//   - prints one summary line at shutdown if anything was lost.
//
// Nothing here runs per span or per record: the counting happens on the exporters'
// goroutines.

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log"
	"os"
	"reflect"
	"strings"
	"sync"
	"sync/atomic"
	"time"
	"unsafe"

	"go.opentelemetry.io/otel"
	sdklog "go.opentelemetry.io/otel/sdk/log"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
)

// ReportInterval is the least time between two stderr lines about failed exports.
const ReportInterval = 30 * time.Second

// Drops is what a process has lost of its telemetry so far (see Dropped).
type Drops struct {
	SpansQueueFull   uint64 // spans the batch span processor dropped: its queue was full
	SpansFailed      uint64 // spans in exports that failed
	LogRecordsFailed uint64 // log records in exports that failed
	FailedExports    uint64 // span and log exports that failed
}

// Spans is every span lost: dropped at the queue or in a failed export.
func (d Drops) Spans() uint64 { return d.SpansQueueFull + d.SpansFailed }

func (d Drops) String() string {
	return fmt.Sprintf("%d spans dropped (%d queue full, %d in failed exports), %d log records dropped, %d failed exports",
		d.Spans(), d.SpansQueueFull, d.SpansFailed, d.LogRecordsFailed, d.FailedExports)
}

var drops struct {
	spansFailed, logsFailed, failures atomic.Uint64
	queueFull                         atomic.Pointer[func() uint64] // the batch span processor's counter
	lastReport                        atomic.Int64                  // UnixNano of the last line; 0: none yet
	mu                                sync.Mutex                    // serialises writes to out
	out                               io.Writer
}

func init() { drops.out = os.Stderr }

// Dropped returns the telemetry lost since Start: spans dropped by the batch span processor
// and spans and log records in failed exports. Metrics are not counted: the periodic reader
// sends cumulative values again at the next interval.
func Dropped() Drops {
	d := Drops{SpansFailed: drops.spansFailed.Load(), LogRecordsFailed: drops.logsFailed.Load(),
		FailedExports: drops.failures.Load()}
	if f := drops.queueFull.Load(); f != nil {
		d.SpansQueueFull = (*f)()
	}
	return d
}

// exportError marks an error as a failed export of n items of signal; the message is the
// exporter's.
type exportError struct {
	signal string
	n      int
	err    error
}

func (e *exportError) Error() string { return e.err.Error() }
func (e *exportError) Unwrap() error { return e.err }

// Backoff after a failed span export: the batches that come due within it are dropped
// (counted as failed) without calling the exporter. An endpoint that refuses connections
// fails an export in microseconds, and the batch processor would go straight on to convert
// and marshal the next 512 spans for nothing, tens of times a second, on the cores the
// service needs (bench/unreachable.py). It doubles from minBackoff to maxBackoff while
// exports keep failing, and ends at the first success or at shutdown (the last spans always
// get their try).
const (
	minBackoff = time.Second
	maxBackoff = 30 * time.Second
)

var backoff struct {
	until atomic.Int64 // UnixNano before which batches are dropped; 0: none
	delay atomic.Int64 // the next failure's backoff
}

// endBackoff makes the next export try the exporter again (shutdown, tests).
func endBackoff() {
	backoff.until.Store(0)
	backoff.delay.Store(0)
	shedOff()
}

// spanExporter counts the spans of failed exports, and backs off after one. With shed
// (ShedEnv asked) it also keeps the shed state: a program that did not ask arms no timer.
type spanExporter struct {
	sdktrace.SpanExporter
	shed bool
}

func (e spanExporter) ExportSpans(ctx context.Context, spans []sdktrace.ReadOnlySpan) error {
	if until := backoff.until.Load(); until != 0 && time.Now().UnixNano() < until {
		drops.spansFailed.Add(uint64(len(spans)))
		return nil
	}
	var hung func()
	if e.shed {
		hung = shedIfHung(minBackoff)
	}
	err := e.SpanExporter.ExportSpans(ctx, spans)
	if hung != nil {
		hung()
	}
	if err == nil {
		if backoff.until.Load() != 0 {
			endBackoff()
		} else {
			shedOff() // a hung export that succeeded in the end
		}
		return nil
	}
	delay := time.Duration(backoff.delay.Load())
	delay = min(max(2*delay, minBackoff), maxBackoff)
	backoff.delay.Store(int64(delay))
	backoff.until.Store(time.Now().Add(delay).UnixNano())
	if e.shed {
		shedFor(delay)
	}
	drops.spansFailed.Add(uint64(len(spans)))
	drops.failures.Add(1)
	return &exportError{"spans", len(spans), err}
}

// logExporter counts the log records of failed exports.
type logExporter struct{ sdklog.Exporter }

func (e logExporter) Export(ctx context.Context, records []sdklog.Record) error {
	err := e.Exporter.Export(ctx, records)
	if err == nil {
		return nil
	}
	drops.logsFailed.Add(uint64(len(records)))
	drops.failures.Add(1)
	return &exportError{"log records", len(records), err}
}

// batchProcessor is sdktrace's batch span processor on exp, whose queue-full drops Dropped
// reports.
func batchProcessor(exp sdktrace.SpanExporter) sdktrace.SpanProcessor {
	bsp := sdktrace.NewBatchSpanProcessor(spanExporter{exp, shedAsked()})
	if f := queueFullCounter(bsp); f != nil {
		drops.queueFull.Store(&f)
	}
	return bsp
}

// queueFullCounter reads the `dropped atomic.Uint32` field of sdktrace's batchSpanProcessor
// (v1.47: incremented when a span finds the queue full, never reset), which the SDK does not
// export; nil if that field is not there (another SDK version: then queue-full drops are not
// counted, and TestDroppedSpansAreCounted says so).
func queueFullCounter(sp sdktrace.SpanProcessor) func() uint64 {
	v := reflect.ValueOf(sp)
	if v.Kind() != reflect.Pointer || v.Elem().Kind() != reflect.Struct {
		return nil
	}
	f := v.Elem().FieldByName("dropped")
	if !f.IsValid() || f.Type() != reflect.TypeFor[atomic.Uint32]() {
		return nil
	}
	counter := (*atomic.Uint32)(unsafe.Pointer(f.UnsafeAddr()))
	return func() uint64 { return uint64(counter.Load()) }
}

// errorHandler reports export failures at most once per ReportInterval and every other
// error as the SDK's default handler does.
type errorHandler struct{}

func (errorHandler) Handle(err error) {
	var ee *exportError
	if !errors.As(err, &ee) {
		log.Print(err)
		return
	}
	now := time.Now().UnixNano()
	last := drops.lastReport.Load()
	if last != 0 && now-last < int64(ReportInterval) || !drops.lastReport.CompareAndSwap(last, now) {
		return
	}
	report(fmt.Sprintf("toolweave: telemetry export failed (%s so far; next report in %v at the earliest): %s",
		Dropped(), ReportInterval, oneLine(err)))
}

// installErrorHandler makes errorHandler the global one, unless the program installed its
// own before Start (it keeps getting every error; the counts and the summary at shutdown
// still work).
func installErrorHandler() {
	if t := reflect.TypeOf(otel.GetErrorHandler()); t != nil && t.Kind() == reflect.Pointer &&
		strings.HasPrefix(t.Elem().PkgPath(), "go.opentelemetry.io/otel/internal/") {
		otel.SetErrorHandler(errorHandler{})
	}
}

// reportTotals prints what was lost, if anything (at shutdown).
func reportTotals() {
	if d := Dropped(); d.Spans() > 0 || d.LogRecordsFailed > 0 || d.FailedExports > 0 {
		report("toolweave: telemetry lost in this run: " + d.String())
	}
}

func report(line string) {
	drops.mu.Lock()
	defer drops.mu.Unlock()
	fmt.Fprintln(drops.out, line)
}

// oneLine joins the lines of a (joined) error's message.
func oneLine(err error) string {
	return strings.ReplaceAll(err.Error(), "\n", "; ")
}
