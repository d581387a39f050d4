// Package wlog holds the helpers that `//weave:log` weaves into functions: one slog record
// when the function is entered (its name and the arguments the directive lists) and one
// when it returns (the duration, and the error if it returns a non-nil one). Records take
// the path of toolweave's slog integration (toolweave.dev/runtime/slog): the program's
// default handler, with trace_id and span_id when the function's context carries a span,
// and an OpenTelemetry log record each through the otelslog bridge, correlated with that
// span. Functions without a context log with context.Background(): no correlation.
package wlog

import (
	"context"
	"log/slog"
	"net/http"
	"runtime"
	"time"

	"toolweave.dev/runtime/internal/funcname"
	twslog "toolweave.dev/runtime/slog"
)

// Attribute keys, from the OpenTelemetry semantic conventions where one exists.
const (
	FunctionKey = "code.function.name"
	DurationKey = "duration"
	ErrorKey    = "error"
)

// Enter logs "enter" with the function's name and args (slog key, value pairs or
// slog.Attrs) and returns the function that logs "exit" with the duration and err (only
// if non-nil). A nil ctx means context.Background(). The default logger is read at each
// call, so a logger the program installs after start-up is the one used; it goes through
// twslog.Default, so the records reach the program's output and OTLP alike. Both records
// carry the program counter of Enter's caller, so a handler with AddSource names the
// woven function, not this package.
func Enter(ctx context.Context, function string, args ...any) (exit func(err error)) {
	if ctx == nil {
		ctx = context.Background()
	}
	handler := twslog.Default().Handler()
	var pcs [1]uintptr
	runtime.Callers(2, pcs[:]) // skip runtime.Callers and Enter
	emit(ctx, handler, pcs[0], "enter", func(r *slog.Record) {
		r.AddAttrs(slog.String(FunctionKey, function))
		r.Add(args...)
	})
	start := time.Now()
	return func(err error) {
		elapsed := time.Since(start)
		emit(ctx, handler, pcs[0], "exit", func(r *slog.Record) {
			r.AddAttrs(slog.String(FunctionKey, function), slog.Duration(DurationKey, elapsed))
			if err != nil {
				r.AddAttrs(slog.Any(ErrorKey, err))
			}
		})
	}
}

// emit sends one Info record to h, building it only if h wants it (the pattern the slog
// documentation gives for wrapping its output methods).
func emit(ctx context.Context, h slog.Handler, pc uintptr, msg string, fill func(*slog.Record)) {
	if !h.Enabled(ctx, slog.LevelInfo) {
		return
	}
	r := slog.NewRecord(time.Now(), slog.LevelInfo, msg, pc)
	fill(&r)
	_ = h.Handle(ctx, r) // as slog.Logger does: a handler's error is the handler's business
}

// RequestContext is r.Context(), or nil for a nil request (woven code must not add a
// panic to a function that tolerates a nil request).
func RequestContext(r *http.Request) context.Context {
	if r == nil {
		return nil
	}
	return r.Context()
}

// Caller is the name of the function calling it, for records of function literals:
// "handler.func1".
func Caller() string {
	return funcname.Caller(1)
}
