// Package twlogrus is the runtime side of toolweave's logrus integration: logrus's standard
// logger (linked into a program as soon as its code calls a logrus package function: the
// weaver blank-imports this package there) and every logger the program makes with
// logrus.New get one hook that sends each entry to OpenTelemetry through contrib's otellogrus
// bridge and, for an entry with a context (logrus.WithContext(ctx)) whose span is valid,
// adds trace_id and span_id fields (lower hex) to the program's own output.
package twlogrus

import (
	"sync"

	"github.com/sirupsen/logrus"
	"go.opentelemetry.io/contrib/bridges/otellogrus"
	"go.opentelemetry.io/otel/trace"
)

// ScopeName is the instrumentation scope of the OpenTelemetry log records.
const ScopeName = "toolweave.dev/runtime/libs/logrus"

func init() { Instrument(logrus.StandardLogger()) }

// New is logrus.New, instrumented.
func New() *logrus.Logger {
	logger := logrus.New()
	Instrument(logger)
	return logger
}

// done: the loggers instrumented (a logger hooked twice would export every entry twice).
var done sync.Map

// Instrument adds the hook to logger, once.
func Instrument(logger *logrus.Logger) {
	if _, loaded := done.LoadOrStore(logger, true); !loaded {
		logger.AddHook(&hook{})
	}
}

// hook exports the entry (the bridge, made on first use: it takes the global
// LoggerProvider, which bootstrap sets at the top of main), then adds the span's ids to the
// entry the program's formatter writes. Hooks run on a copy of the entry, before it is
// formatted.
type hook struct {
	once   sync.Once
	bridge *otellogrus.Hook
}

func (h *hook) Levels() []logrus.Level { return logrus.AllLevels }

func (h *hook) Fire(entry *logrus.Entry) error {
	h.once.Do(func() { h.bridge = otellogrus.NewHook(ScopeName) })
	err := h.bridge.Fire(entry)
	if entry.Context != nil {
		if sc := trace.SpanContextFromContext(entry.Context); sc.IsValid() {
			entry.Data["trace_id"] = sc.TraceID().String()
			entry.Data["span_id"] = sc.SpanID().String()
		}
	}
	return err
}
