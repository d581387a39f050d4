// Package span holds the helpers that `//weave:span` weaves into functions: start a span
// as the first statement of the body, end it (recording a returned error) in a deferred call.
package span

import (
	"context"
	"net/http"

	"go.opentelemetry.io/otel"
	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/codes"
	"go.opentelemetry.io/otel/trace"

	"toolweave.dev/runtime/internal/funcname"
)

// TracerName is the instrumentation scope of every `//weave:span` span.
const TracerName = "toolweave.dev/runtime"

// tracer is looked up on every call rather than cached at init: bootstrap.Start installs
// the provider after package initialisation (the global delegates either way, but a
// direct lookup skips the delegate's indirection).
func tracer() trace.Tracer {
	return otel.Tracer(TracerName)
}

// Start starts a span called name as a child of the span in ctx, with attrs read as
// key, value pairs of string attributes (a trailing key gets the empty value). It returns
// the context carrying the new span, which the woven code assigns back to the function's
// own ctx parameter so callees see it. A nil ctx gives a root span and stays nil: woven
// code must not change what the function body sees.
func Start(ctx context.Context, name string, attrs ...string) (context.Context, trace.Span) {
	parent := ctx
	if parent == nil {
		parent = context.Background()
	}
	var next context.Context
	var s trace.Span
	if len(attrs) == 0 { // no option at all: an option and its slice would cost an allocation each
		next, s = tracer().Start(parent, name)
	} else {
		next, s = tracer().Start(parent, name, trace.WithAttributes(pairs(attrs)...))
	}
	if ctx == nil {
		return nil, s
	}
	return next, s
}

// StartRequest is Start for a function whose context is its *http.Request: it returns the
// request re-bound to the new context (r.WithContext), for the woven code to assign back
// to the parameter. A nil request gives a root span and stays nil.
func StartRequest(r *http.Request, name string, attrs ...string) (*http.Request, trace.Span) {
	if r == nil {
		_, s := Start(context.Background(), name, attrs...)
		return nil, s
	}
	ctx, s := Start(r.Context(), name, attrs...)
	return r.WithContext(ctx), s
}

// End ends the span; a non-nil err is recorded on it as an exception event and sets the
// status to Error with err's message.
func End(s trace.Span, err error) {
	if err != nil {
		s.RecordError(err)
		s.SetStatus(codes.Error, err.Error())
	}
	s.End()
}

// Caller is the name of the function calling it, for spans on function literals, which
// have no name of their own: "handler.func1".
func Caller() string {
	return funcname.Caller(1)
}

func pairs(kv []string) []attribute.KeyValue {
	if len(kv) == 0 {
		return nil
	}
	out := make([]attribute.KeyValue, 0, (len(kv)+1)/2)
	for i := 0; i < len(kv); i += 2 {
		value := ""
		if i+1 < len(kv) {
			value = kv[i+1]
		}
		out = append(out, attribute.String(kv[i], value))
	}
	return out
}
