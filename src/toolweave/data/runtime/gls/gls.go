// Package gls is goroutine-local context: the spans started on a goroutine, kept in a field
// toolweave appends to the runtime's goroutine struct (data/aspects/gls.yml), so that code
// which passes no context.Context joins the trace of the span its goroutine is in.
//
// The runtime defines the accessors `load` and `store` (push-style //go:linkname from package
// runtime); where it is not woven they stay nil and every function here answers as if the
// goroutine had no span. The state of a goroutine is a stack of frames, one per recording span
// started on it and not yet ended: pushed by the SDK span processor on start, popped on end
// (on the goroutine that ends it; a span ended elsewhere is dropped as soon as its goroutine
// looks, since it no longer records). It is bounded (maxDepth frames) and cleared when the
// goroutine exits.
package gls

import (
	"context"
	"sync/atomic"
	"unsafe"
	_ "unsafe" // go:linkname

	"go.opentelemetry.io/otel/trace"
)

// Defined by package runtime when gls.yml is woven into it.
//
//go:linkname load
var load func() unsafe.Pointer

//go:linkname store
var store func(unsafe.Pointer)

// maxDepth bounds a goroutine's stack of frames: spans nested deeper are not recorded (their
// context-less callees join the deepest recorded one).
const maxDepth = 64

type frame struct {
	span  trace.Span
	prev  *frame
	depth int32
}

var pushed, dropped atomic.Int64

// Available reports whether the runtime carries goroutine-local context in this binary.
func Available() bool { return load != nil && store != nil }

func top() *frame {
	if load == nil {
		return nil
	}
	return (*frame)(load())
}

// Span is the innermost span started on the current goroutine that has not ended, or nil.
func Span() trace.Span {
	f := top()
	live := f
	for live != nil && !live.span.IsRecording() {
		live = live.prev
	}
	if live != f {
		store(unsafe.Pointer(live)) // ended elsewhere: forget it now
		dropped.Add(1)
	}
	if live == nil {
		return nil
	}
	return live.span
}

// Context is ctx when it carries a span context (a context the code passes always wins), else
// ctx with the current goroutine's span as its parent (nil ctx: context.Background()).
func Context(ctx context.Context) context.Context {
	if ctx == nil {
		ctx = context.Background()
	}
	if trace.SpanContextFromContext(ctx).IsValid() {
		return ctx
	}
	if s := Span(); s != nil {
		return trace.ContextWithSpan(ctx, s)
	}
	return ctx
}

// push makes s the current goroutine's innermost span.
func push(s trace.Span) {
	if store == nil {
		return
	}
	f := top()
	depth := int32(1)
	if f != nil {
		depth = f.depth + 1
	}
	if depth > maxDepth {
		return
	}
	store(unsafe.Pointer(&frame{span: s, prev: f, depth: depth}))
	pushed.Add(1)
}

// pop removes the span with this span context, and what was started above it on the
// current goroutine (a span ended out of order ends the frames over it too); nothing if it
// is not on this goroutine's stack. By span context: the SDK hands OnEnd a snapshot.
func pop(sc trace.SpanContext) {
	for f := top(); f != nil; f = f.prev {
		if f.span.SpanContext().Equal(sc) {
			store(unsafe.Pointer(f.prev))
			return
		}
	}
}

// Depth is the number of frames the current goroutine holds (for tests and diagnostics).
func Depth() int {
	if f := top(); f != nil {
		return int(f.depth)
	}
	return 0
}

// Stats are process-wide counters: frames pushed, and frames dropped because their span had
// ended on another goroutine.
func Stats() (pushedFrames, droppedFrames int64) { return pushed.Load(), dropped.Load() }
