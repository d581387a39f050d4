// Package twzap is the runtime side of toolweave's zap integration: every logger the program
// makes with zap.New, zap.NewProduction, zap.NewDevelopment or zap.NewExample writes as
// before and, in addition, sends every entry to OpenTelemetry through contrib's otelzap
// bridge. An entry that carries a context.Context field (zap.Any("ctx", ctx), the way
// otelzap correlates) is correlated with the context's span: the OTLP record carries the
// trace and span ids, and the program's own output gets trace_id and span_id fields (lower
// hex) in place of the context field, which zap would otherwise print as an opaque value.
package twzap

import (
	"context"
	"sync"

	"go.opentelemetry.io/contrib/bridges/otelzap"
	"go.opentelemetry.io/otel/trace"
	"go.uber.org/zap"
	"go.uber.org/zap/zapcore"
)

// ScopeName is the instrumentation scope of the OpenTelemetry log records.
const ScopeName = "toolweave.dev/runtime/libs/zap"

// bridge: one otelzap core for the process, made on first use (otelzap takes the global
// LoggerProvider, which bootstrap sets at the top of main).
var bridge = sync.OnceValue(func() zapcore.Core { return otelzap.NewCore(ScopeName) })

// New is zap.New with the core wrapped.
func New(core zapcore.Core, options ...zap.Option) *zap.Logger {
	return zap.New(Wrap(core), options...)
}

// NewProduction is zap.NewProduction with the logger's core wrapped.
func NewProduction(options ...zap.Option) (*zap.Logger, error) {
	return zap.NewProduction(withWrap(options)...)
}

// NewDevelopment is zap.NewDevelopment with the logger's core wrapped.
func NewDevelopment(options ...zap.Option) (*zap.Logger, error) {
	return zap.NewDevelopment(withWrap(options)...)
}

// NewExample is zap.NewExample with the logger's core wrapped.
func NewExample(options ...zap.Option) *zap.Logger { return zap.NewExample(withWrap(options)...) }

// withWrap: the program's options, then the wrapping (last, so it wraps whatever core the
// program's own WrapCore options made).
func withWrap(options []zap.Option) []zap.Option {
	return append(options[:len(options):len(options)], zap.WrapCore(Wrap))
}

// Wrap returns a core that writes to core as before (with trace_id and span_id for entries
// with a context) and to the OpenTelemetry bridge. A core already wrapped is returned as is.
func Wrap(core zapcore.Core) zapcore.Core {
	if _, ok := core.(*tee); ok {
		return core
	}
	return &tee{own: core, otel: bridge()}
}

// tee is zapcore.NewTee(own, otel) with the context field of an entry turned into ids for
// the program's own core (the bridge gets the fields as given).
type tee struct {
	own, otel zapcore.Core
}

func (t *tee) Enabled(level zapcore.Level) bool { return t.own.Enabled(level) }

func (t *tee) With(fields []zapcore.Field) zapcore.Core {
	return &tee{own: t.own.With(ids(fields)), otel: t.otel.With(fields)}
}

func (t *tee) Check(entry zapcore.Entry, checked *zapcore.CheckedEntry) *zapcore.CheckedEntry {
	if t.own.Enabled(entry.Level) {
		return checked.AddCore(entry, t)
	}
	return checked
}

// Write goes to both cores; the program's error first (its output is the one it reads).
func (t *tee) Write(entry zapcore.Entry, fields []zapcore.Field) error {
	err := t.own.Write(entry, ids(fields))
	if t.otel.Enabled(entry.Level) {
		_ = t.otel.Write(entry, fields)
	}
	return err
}

func (t *tee) Sync() error {
	err := t.own.Sync()
	_ = t.otel.Sync()
	return err
}

// ids returns fields with every context.Context field whose span is valid replaced by
// trace_id and span_id (and one without a span dropped); fields itself when there is none.
func ids(fields []zapcore.Field) []zapcore.Field {
	found := false
	for _, f := range fields {
		found = found || isContext(f)
	}
	if !found {
		return fields
	}
	out := make([]zapcore.Field, 0, len(fields)+1)
	for _, f := range fields {
		if !isContext(f) {
			out = append(out, f)
			continue
		}
		if sc := trace.SpanContextFromContext(f.Interface.(context.Context)); sc.IsValid() {
			out = append(out, zap.String("trace_id", sc.TraceID().String()), zap.String("span_id", sc.SpanID().String()))
		}
	}
	return out
}

func isContext(f zapcore.Field) bool {
	_, ok := f.Interface.(context.Context)
	return ok && (f.Type == zapcore.ReflectType || f.Type == zapcore.SkipType || f.Type == zapcore.StringerType)
}
