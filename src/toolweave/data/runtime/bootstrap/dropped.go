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
// goroutines (except while shedding, when each span start or measurement not recorded adds
// one to a counter: shed.go, shedmetric.go).

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log"
	"os"
	"reflect"
	"slices"
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

	// Not recorded because exports were failing (TOOLWEAVE_SHED_UNDELIVERABLE, see ShedEnv):
	// span starts that returned a non-recording span and spans that ended while shedding
	// (not queued), and synchronous metric measurements dropped. Zero in a program that did
	// not ask for shedding.
	SpansShed        uint64
	MeasurementsShed uint64
}

// Spans is every span lost: dropped at the queue or in a failed export.
func (d Drops) Spans() uint64 { return d.SpansQueueFull + d.SpansFailed }

// String is one line; what was shed is appended only when something was, so a program that
// does not shed prints what it always printed.
func (d Drops) String() string {
	s := fmt.Sprintf("%d spans dropped (%d queue full, %d in failed exports), %d log records dropped, %d failed exports",
		d.Spans(), d.SpansQueueFull, d.SpansFailed, d.LogRecordsFailed, d.FailedExports)
	if d.SpansShed > 0 || d.MeasurementsShed > 0 {
		s += fmt.Sprintf("; not recorded while exports failed: %d spans, %d metric measurements",
			d.SpansShed, d.MeasurementsShed)
	}
	return s
}

// lost reports anything lost at all.
func (d Drops) lost() bool {
	return d.Spans() > 0 || d.LogRecordsFailed > 0 || d.FailedExports > 0 || d.SpansShed > 0 || d.MeasurementsShed > 0
}

var drops struct {
	spansFailed, logsFailed, failures atomic.Uint64
	spansShed, measurementsShed       atomic.Uint64                 // added on the request path, only while shedding
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
		FailedExports: drops.failures.Load(), SpansShed: drops.spansShed.Load(),
		MeasurementsShed: drops.measurementsShed.Load()}
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
// (ShedEnv asked) it also keeps the shed state, and leaves a hung export to the
// background (exportWatched): a program that did not ask arms no timer and starts no
// goroutine.
type spanExporter struct {
	sdktrace.SpanExporter
	shed bool
}

func (e spanExporter) ExportSpans(ctx context.Context, spans []sdktrace.ReadOnlySpan) error {
	if until := backoff.until.Load(); until != 0 && time.Now().UnixNano() < until {
		drops.spansFailed.Add(uint64(len(spans)))
		return nil
	}
	if e.shed {
		return exportWatched(ctx, e.SpanExporter, spans)
	}
	return settle(e.SpanExporter.ExportSpans(ctx, spans), len(spans), false)
}

// settle accounts for an export's result: a success ends the backoff (and shedding); a
// failure starts the backoff or doubles it (and, if the program sheds, sheds for as long:
// see startBackoff) and counts the n spans; it returns the error marked as a failed export.
func settle(err error, n int, sheds bool) error {
	if err == nil {
		if backoff.until.Load() != 0 {
			endBackoff()
		} else if sheds {
			shedOff()
		}
		return nil
	}
	startBackoff(sheds)
	return failed(err, n)
}

// failed counts a failed export of n spans and returns its error marked as one.
func failed(err error, n int) error {
	drops.spansFailed.Add(uint64(n))
	drops.failures.Add(1)
	return &exportError{"spans", n, err}
}

// startBackoff starts the backoff after a failure, or doubles it. If the program sheds, it
// sheds for as long and runs shed.flush (the batch span processor's ForceFlush) in the
// background: the spans already queued go out now, into the backoff, to be dropped and
// counted, instead of waiting for the next batch (up to OTEL_BSP_SCHEDULE_DELAY, 5 s) while
// every GC cycle scans them (their attributes are pointers: a few hundred queued spans cost
// a shedding service more CPU per request than anything else it still does).
func startBackoff(sheds bool) {
	delay := time.Duration(backoff.delay.Load())
	delay = min(max(2*delay, minBackoff), maxBackoff)
	backoff.delay.Store(int64(delay))
	backoff.until.Store(time.Now().Add(delay).UnixNano())
	if !sheds {
		return
	}
	shedFor(delay)
	if flush := shed.flush.Load(); flush != nil {
		go func() {
			ctx, cancel := context.WithTimeout(context.Background(), delay)
			defer cancel()
			_ = (*flush)(ctx) // its export comes to ExportSpans in the backoff: no network
		}()
	}
}

// hung holds, while an export that ExportSpans left to finish in the background (see
// exportWatched) is still in flight, a channel closed when it returns; nil otherwise.
var hung atomic.Pointer[chan struct{}]

var errStillHung = errors.New("the previous span export has not returned yet (in flight in the background)")

// How long a shedding program's export may be in flight before it counts as hung
// (hangAfter). The service records everything at full cost while it waits, so the wait is
// as short as a working collector allows:
//   - probeHang while exports are failing (one failed, none succeeded since): the collector
//     is known to be down, and the export that ends a backoff is a probe;
//   - firstHang before any export has succeeded (a local or regional collector answers in
//     milliseconds, a first TLS handshake to a distant one in a few round trips);
//   - after a success, four times the slowest successful export so far, at least firstHang
//     and at most minBackoff: a collector that has shown it is slow keeps its batches.
//
// An export that counts as hung is not lost if it succeeds (exportWatched); what is lost is
// what the program does not record while it is in flight, and the batches that come due
// meanwhile.
const (
	probeHang = 100 * time.Millisecond
	firstHang = 250 * time.Millisecond
)

// slowest is the longest a span export took to succeed so far (nanoseconds; 0: none yet).
var slowest atomic.Int64

// hangAfter is how long the next export may be in flight before it counts as hung.
func hangAfter() time.Duration {
	if backoff.delay.Load() != 0 {
		return probeHang
	}
	return min(max(4*time.Duration(slowest.Load()), firstHang), minBackoff)
}

// succeededIn notes a successful export that took d.
func succeededIn(d time.Duration) {
	for {
		old := slowest.Load()
		if int64(d) <= old || slowest.CompareAndSwap(old, int64(d)) {
			return
		}
	}
}

// exportWatched is a shedding program's export: it waits for the exporter for at most
// hangAfter (or until ctx is done). An export still in flight then (a collector that
// accepts and never answers fails one only at the OTLP timeout, 10 s) is left to finish in
// the background, on a copy of the spans (the batch processor reuses its slice) and without
// the batch processor's deadline, and ExportSpans fails at once, as for a refused
// connection: shedding starts and the batch processor drains its queue into the backoff,
// instead of holding 2048 recorded spans for the whole timeout (every GC cycle scanning
// them). The background export ends the backoff if it succeeds (a slow collector, not a
// dead one) or is counted as failed. While it is in flight, an export fails at once without
// calling the exporter; shutdown waits for it (awaitHung).
func exportWatched(ctx context.Context, exp sdktrace.SpanExporter, spans []sdktrace.ReadOnlySpan) error {
	if hung.Load() != nil {
		return settle(errStillHung, len(spans), true)
	}
	wait, began := hangAfter(), time.Now()
	own := slices.Clone(spans)
	done := make(chan error, 1)
	go func() { done <- exp.ExportSpans(context.WithoutCancel(ctx), own) }()
	t := time.NewTimer(wait)
	defer t.Stop()
	select {
	case err := <-done:
		if err == nil {
			succeededIn(time.Since(began))
		}
		return settle(err, len(spans), true)
	case <-t.C:
	case <-ctx.Done():
	}
	returned := make(chan struct{})
	hung.Store(&returned)
	startBackoff(true)
	go func() {
		err := <-done
		hung.Store(nil)
		close(returned)
		if err == nil {
			succeededIn(time.Since(began))
			endBackoff()
			return
		}
		otel.Handle(failed(err, len(own))) // the backoff started when it was left
	}()
	return &exportError{"spans", 0, fmt.Errorf("span export in flight for more than %v: left to finish in the background", wait)}
}

// awaitHung waits for an export left in flight in the background, if there is one, until
// it returns or ctx is done (shutdown: its spans, and a success that lets the last batch
// be tried, are not lost to the process's exit).
func awaitHung(ctx context.Context) {
	if returned := hung.Load(); returned != nil {
		select {
		case <-*returned:
		case <-ctx.Done():
		}
	}
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
// reports. With ShedEnv asked, spans that end while shedding are not queued (shedProcessor)
// and the queue is flushed when shedding starts (spanExporter).
func batchProcessor(exp sdktrace.SpanExporter) sdktrace.SpanProcessor {
	asked := shedAsked()
	bsp := sdktrace.NewBatchSpanProcessor(spanExporter{exp, asked})
	if f := queueFullCounter(bsp); f != nil {
		drops.queueFull.Store(&f)
	}
	if !asked {
		return bsp
	}
	flush := bsp.ForceFlush
	shed.flush.Store(&flush)
	return shedProcessor{bsp}
}

// shedProcessor drops, and counts as shed, a span that ends while shedding (it started
// before): queued, it would wait for an export the backoff drops, scanned by every GC.
type shedProcessor struct{ sdktrace.SpanProcessor }

func (p shedProcessor) OnEnd(s sdktrace.ReadOnlySpan) {
	if shedding() {
		drops.spansShed.Add(1)
		return
	}
	p.SpanProcessor.OnEnd(s)
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
	if d := Dropped(); d.lost() {
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
