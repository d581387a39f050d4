// Package capture is toolweave's opt-in error capture at run time
// (data/optional/error-capture.yml, docs/security.md): a function of the main module whose last
// result is an error calls Record when it returns a non-nil one, and the error is recorded on
// the active span as an "exception" event with exception.type, exception.message and
// exception.stacktrace (the stack of the returning function: its frame is the first of the
// program's after this package's). The active span is the one in the function's
// context.Context parameter (or *http.Request's context), else the goroutine's span when the
// build has goroutine-local context; without one nothing is recorded. Nothing is done to the
// error: the function returns the very value it returned before, so errors.Is, errors.As,
// comparisons with sentinel errors and %w wrapping see what they always saw.
//
// One error returned up a chain of functions is recorded once per span, where it was first
// returned: Record remembers the last errors it recorded (by identity: the interface's type
// and data words), so its callers returning the same value add nothing. An error wrapped on
// the way up (fmt.Errorf("…: %w", err)) is a new value and is recorded again, with its own
// message.
package capture

import (
	"context"
	"net/http"
	"sync"
	"sync/atomic"
	"unsafe"

	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/trace"

	"toolweave.dev/runtime/gls"
)

type key struct {
	span      trace.SpanID
	typ, data unsafe.Pointer
}

// recent is a ring of the last errors recorded; a repeat within it is not recorded again.
var (
	mu     sync.Mutex
	recent [256]key
	next   int
)

var recorded, repeated, spanless atomic.Int64

// Counters are what Record did since the program started.
type Counters struct {
	Recorded int64 // exception events added
	Repeated int64 // the same error returned on up the chain: not recorded again
	Spanless int64 // no active span: nothing recorded
}

// Stats returns the counters.
func Stats() Counters {
	return Counters{Recorded: recorded.Load(), Repeated: repeated.Load(), Spanless: spanless.Load()}
}

// Request is r's context, or nil for a nil request.
func Request(r *http.Request) context.Context {
	if r == nil {
		return nil
	}
	return r.Context()
}

// Record records err on the active span (see the package documentation). function names the
// returning function. A nil err or ctx is allowed.
func Record(ctx context.Context, function string, err error) {
	if err == nil {
		return
	}
	var span trace.Span
	if ctx != nil {
		span = trace.SpanFromContext(ctx)
	}
	if span == nil || !span.IsRecording() {
		span = gls.Span()
	}
	if span == nil || !span.IsRecording() {
		spanless.Add(1)
		return
	}
	words := (*[2]unsafe.Pointer)(unsafe.Pointer(&err))
	k := key{span.SpanContext().SpanID(), words[0], words[1]}
	mu.Lock()
	for i := range recent {
		if recent[i] == k {
			mu.Unlock()
			repeated.Add(1)
			return
		}
	}
	recent[next] = k
	next = (next + 1) % len(recent)
	mu.Unlock()
	recorded.Add(1)
	span.RecordError(err, trace.WithStackTrace(true), trace.WithAttributes(attribute.String("code.function.name", function)))
}
