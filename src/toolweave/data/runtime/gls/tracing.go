package gls

import (
	"context"

	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/trace"
	"go.opentelemetry.io/otel/trace/embedded"
)

// Processor keeps each goroutine's stack of spans: registered with the SDK's TracerProvider,
// it pushes every recording span on the goroutine that starts it and pops it on the
// goroutine that ends it.
func Processor() sdktrace.SpanProcessor { return processor{} }

type processor struct{}

func (processor) OnStart(_ context.Context, s sdktrace.ReadWriteSpan) { push(s) }
func (processor) OnEnd(s sdktrace.ReadOnlySpan)                       { pop(s.SpanContext()) }
func (processor) Shutdown(context.Context) error                      { return nil }
func (processor) ForceFlush(context.Context) error                    { return nil }

// Provider wraps tp so that a span started with a context that carries no span takes the
// current goroutine's span as its parent (Context). Spans are the SDK's own: nothing else
// changes.
func Provider(tp trace.TracerProvider) trace.TracerProvider { return &provider{tp: tp} }

// Unwrap returns the provider Provider wrapped (tp itself if it is not a wrapper).
func Unwrap(tp trace.TracerProvider) trace.TracerProvider {
	if p, ok := tp.(*provider); ok {
		return p.tp
	}
	return tp
}

type provider struct {
	embedded.TracerProvider
	tp trace.TracerProvider
}

func (p *provider) Tracer(name string, opts ...trace.TracerOption) trace.Tracer {
	return tracer{tr: p.tp.Tracer(name, opts...)}
}

type tracer struct {
	embedded.Tracer
	tr trace.Tracer
}

func (t tracer) Start(ctx context.Context, name string, opts ...trace.SpanStartOption) (context.Context, trace.Span) {
	return t.tr.Start(Context(ctx), name, opts...)
}
