// logs exercises //weave:log together with //weave:span: records at entry and exit, the
// listed arguments, the returned error, and correlation with the span through the context.
package main

import (
	"context"
	"errors"
	"log/slog"
	"os"

	"go.opentelemetry.io/otel/trace"
)

// traced writes JSON records to stdout with the trace and span ids of their context.
type traced struct{ slog.Handler }

func (h traced) Handle(ctx context.Context, r slog.Record) error {
	if sc := trace.SpanContextFromContext(ctx); sc.IsValid() {
		r.AddAttrs(slog.String("trace_id", sc.TraceID().String()), slog.String("span_id", sc.SpanID().String()))
	}
	return h.Handler.Handle(ctx, r)
}

func main() {
	slog.SetDefault(slog.New(traced{slog.NewJSONHandler(os.Stdout, nil)}))
	ctx := context.Background()
	_, _ = lookup(ctx, 7, "secret")
	_, _ = lookup(ctx, 0, "secret")
	//weave:log
	func() {}()
	greet(ctx, "ada", 2, "x", "y")
}

// greet's bare directive logs every argument but the context, variadic ones as a list.
//
//weave:log
func greet(ctx context.Context, name string, times int, tags ...string) {}

// lookup logs id but not token: only the arguments the directive names are logged.
//
//weave:log id team:core
//weave:span
func lookup(ctx context.Context, id int, token string) (string, error) {
	if id == 0 {
		return "", errors.New("missing id")
	}
	return "found", nil
}
