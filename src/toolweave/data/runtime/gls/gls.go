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
	"runtime"
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

//go:linkname arm
var arm func(pc uintptr)

// maxDepth bounds a goroutine's stack of frames: spans nested deeper are not recorded (their
// context-less callees join the deepest recorded one).
const maxDepth = 64

type frame struct {
	span  trace.Span
	prev  *frame
	depth int32
}

var pushed, dropped, inherited atomic.Int64

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

// Inherit hands the current goroutine's spans to the goroutine that its caller's next go
// statement starts: woven just before the go statements of the main module when inheritance
// is on (data/optional/gls-inherit.yml). The child starts with the same frames (they are
// immutable), so its context-less spans join the span its parent was in, for as long as that
// span has not ended; once it has, the child's spans are roots again (no stale parents). A
// goroutine started meanwhile by another function (while the go statement evaluates its
// arguments) does not take them. Nothing to do when the goroutine has no span.
//
//go:noinline
func Inherit() {
	if arm == nil || top() == nil {
		return
	}
	var pc [1]uintptr
	if runtime.Callers(2, pc[:]) == 1 { // the caller: the function holding the go statement
		arm(pc[0])
		inherited.Add(1)
	}
}

// Depth is the number of frames the current goroutine holds (for tests and diagnostics).
func Depth() int {
	if f := top(); f != nil {
		return int(f.depth)
	}
	return 0
}

// Counters are process-wide: frames pushed, frames dropped because their span had ended on
// another goroutine, and go statements armed to hand their spans on (Inherit).
type Counters struct{ Pushed, Dropped, Inherited int64 }

// Stats reads the counters.
func Stats() Counters {
	return Counters{Pushed: pushed.Load(), Dropped: dropped.Load(), Inherited: inherited.Load()}
}
