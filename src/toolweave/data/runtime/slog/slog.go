// Package twslog (import path toolweave.dev/runtime/slog) is the runtime side of
// toolweave's log/slog integration. The weaver replaces calls of slog.New, slog.SetDefault,
// slog.Default and the package-level logging functions with the functions here, which have
// the same signatures. Each routes the program's handler through Wrap, which
//
//   - adds exactly two attributes, trace_id and span_id (lowercase hex), to the records the
//     program's own handler gets when the record's context carries a valid span, and
//     changes nothing else in the program's output;
//   - also emits every record the program's handler is enabled for as an OpenTelemetry log
//     record, through contrib's otelslog bridge on the global LoggerProvider that bootstrap
//     installs (the bridge correlates records with the span in the context by itself).
//
// Only calls with a context (InfoContext, Log, LogAttrs, …) can correlate: slog.Info has
// no context to find a span in.
//
// The log package trap: slog.SetDefault with any handler other than slog's own default one
// sends the log package's output into slog, and slog's default handler writes through the
// log package. Installing a wrapped default handler as the default would therefore feed
// log back into itself. Default therefore returns a logger over Wrap(slog's current
// default handler) without installing it, and SetDefault installs slog's own default
// handler unwrapped.
package twslog

import (
	"context"
	"errors"
	"log/slog"
	"reflect"
	"runtime"
	"sync"
	"sync/atomic"
	"time"

	"go.opentelemetry.io/contrib/bridges/otelslog"
	"go.opentelemetry.io/otel/trace"

	"toolweave.dev/runtime/gls"
)

// ScopeName is the instrumentation scope of the OpenTelemetry log records.
const ScopeName = "toolweave.dev/runtime/slog"

// Attribute keys added to the program's records.
const (
	TraceIDKey = "trace_id"
	SpanIDKey  = "span_id"
)

// bridge is the otelslog handler every wrapped handler starts from; it looks the global
// LoggerProvider up once, and that global forwards to the SDK's once bootstrap sets it.
var bridge = sync.OnceValue(func() slog.Handler { return otelslog.NewHandler(ScopeName) })

// handler tees records to the program's handler (with the trace IDs) and to the bridge.
type handler struct {
	app  slog.Handler
	otel slog.Handler
}

// Wrap returns h teed with the OpenTelemetry bridge, as the package documentation says.
// A handler Wrap returned is returned as it is, never wrapped twice; nil stays nil.
func Wrap(h slog.Handler) slog.Handler {
	if h == nil {
		return nil
	}
	if w, ok := h.(*handler); ok {
		return w
	}
	return &handler{app: h, otel: bridge()}
}

// Enabled is the program's handler's decision: its level (or whatever it decides by)
// governs both outputs, so switching debug logs off in the program also keeps them from
// the collector. The bridge's own Enabled is asked in Handle.
func (h *handler) Enabled(ctx context.Context, level slog.Level) bool {
	return h.app.Enabled(ctx, level)
}

func (h *handler) Handle(ctx context.Context, r slog.Record) error {
	// A record logged without a span in its context belongs to the span its goroutine is in
	// (goroutine-local context, where the runtime carries it; ctx as it is otherwise).
	ctx = gls.Context(ctx)
	var otelErr error
	if h.otel.Enabled(ctx, r.Level) {
		otelErr = h.otel.Handle(ctx, r)
	}
	if sc := trace.SpanContextFromContext(ctx); sc.IsValid() {
		r = r.Clone() // the record's attributes may be shared with the caller's copy
		r.AddAttrs(slog.String(TraceIDKey, sc.TraceID().String()), slog.String(SpanIDKey, sc.SpanID().String()))
	}
	return errors.Join(h.app.Handle(ctx, r), otelErr)
}

func (h *handler) WithAttrs(attrs []slog.Attr) slog.Handler {
	if len(attrs) == 0 {
		return h
	}
	return &handler{app: h.app.WithAttrs(attrs), otel: h.otel.WithAttrs(attrs)}
}

// WithGroup opens the group in both outputs. Records logged through the result get their
// trace_id and span_id inside the group too, as the program's handler qualifies every
// record attribute with the open groups.
func (h *handler) WithGroup(name string) slog.Handler {
	if name == "" {
		return h
	}
	return &handler{app: h.app.WithGroup(name), otel: h.otel.WithGroup(name)}
}

// New is slog.New(Wrap(h)); like slog.New it panics on a nil handler.
func New(h slog.Handler) *slog.Logger {
	return slog.New(Wrap(h))
}

// SetDefault is slog.SetDefault with l's handler wrapped, so that slog.Default(), the
// log package and the package-level functions all go through Wrap. If l's handler is
// slog's own default handler (also under a Wrap), that handler is installed unwrapped:
// installing a wrapped one would redirect the log package into slog, whose default handler
// writes through the log package (a loop). Default still wraps it.
func SetDefault(l *slog.Logger) {
	h := l.Handler()
	if w, ok := h.(*handler); ok {
		if isSlogDefault(w.app) {
			slog.SetDefault(slog.New(w.app))
			return
		}
		slog.SetDefault(l)
		return
	}
	if isSlogDefault(h) {
		slog.SetDefault(l)
		return
	}
	slog.SetDefault(slog.New(Wrap(h)))
}

// isSlogDefault reports slog's unexported default handler (the one that writes through the
// log package), also after WithAttrs/WithGroup.
func isSlogDefault(h slog.Handler) bool {
	t := reflect.TypeOf(h)
	if t == nil || t.Kind() != reflect.Pointer {
		return false
	}
	t = t.Elem()
	return t.PkgPath() == "log/slog" && t.Name() == "defaultHandler"
}

// defaultLogger caches Default's logger for one slog default logger.
type defaultLogger struct {
	base, wrapped *slog.Logger
}

var cached atomic.Pointer[defaultLogger]

// Default is slog.Default with its handler wrapped, without installing the wrapped logger
// as the default (see the package documentation). The wrapped logger is built once per
// default logger: a later slog.SetDefault gets a new one.
func Default() *slog.Logger {
	base := slog.Default()
	if _, ok := base.Handler().(*handler); ok {
		return base
	}
	if c := cached.Load(); c != nil && c.base == base {
		return c.wrapped
	}
	c := &defaultLogger{base: base, wrapped: slog.New(Wrap(base.Handler()))}
	cached.Store(c)
	return c.wrapped
}

// The package-level functions log through Default, as slog's log through slog.Default.
// Their records carry the program counter of their caller, so a handler with AddSource
// (and slog's default handler with log.Lshortfile) names the program's line, not this
// package.

// Debug is slog.Debug.
func Debug(msg string, args ...any) { emit(context.Background(), slog.LevelDebug, msg, args...) }

// DebugContext is slog.DebugContext.
func DebugContext(ctx context.Context, msg string, args ...any) {
	emit(ctx, slog.LevelDebug, msg, args...)
}

// Info is slog.Info.
func Info(msg string, args ...any) { emit(context.Background(), slog.LevelInfo, msg, args...) }

// InfoContext is slog.InfoContext.
func InfoContext(ctx context.Context, msg string, args ...any) {
	emit(ctx, slog.LevelInfo, msg, args...)
}

// Warn is slog.Warn.
func Warn(msg string, args ...any) { emit(context.Background(), slog.LevelWarn, msg, args...) }

// WarnContext is slog.WarnContext.
func WarnContext(ctx context.Context, msg string, args ...any) {
	emit(ctx, slog.LevelWarn, msg, args...)
}

// Error is slog.Error.
func Error(msg string, args ...any) { emit(context.Background(), slog.LevelError, msg, args...) }

// ErrorContext is slog.ErrorContext.
func ErrorContext(ctx context.Context, msg string, args ...any) {
	emit(ctx, slog.LevelError, msg, args...)
}

// Log is slog.Log.
func Log(ctx context.Context, level slog.Level, msg string, args ...any) {
	emit(ctx, level, msg, args...)
}

// LogAttrs is slog.LogAttrs.
func LogAttrs(ctx context.Context, level slog.Level, msg string, attrs ...slog.Attr) {
	emitAttrs(ctx, level, msg, attrs...)
}

// emitAttrs is what slog.Logger.logAttrs does, with Default's handler.
func emitAttrs(ctx context.Context, level slog.Level, msg string, attrs ...slog.Attr) {
	if ctx == nil {
		ctx = context.Background()
	}
	h := Default().Handler()
	if !h.Enabled(ctx, level) {
		return
	}
	r := slog.NewRecord(time.Now(), level, msg, callerPC())
	r.AddAttrs(attrs...)
	_ = h.Handle(ctx, r)
}

// emit is what slog.Logger.log does, with Default's handler.
func emit(ctx context.Context, level slog.Level, msg string, args ...any) {
	if ctx == nil {
		ctx = context.Background()
	}
	h := Default().Handler()
	if !h.Enabled(ctx, level) {
		return
	}
	r := slog.NewRecord(time.Now(), level, msg, callerPC())
	r.Add(args...)
	_ = h.Handle(ctx, r)
}

// callerPC is the program counter of the call of the exported function that called emit
// or emitAttrs.
func callerPC() uintptr {
	var pcs [1]uintptr
	runtime.Callers(4, pcs[:]) // runtime.Callers, callerPC, emit(Attrs), the exported function
	return pcs[0]
}
