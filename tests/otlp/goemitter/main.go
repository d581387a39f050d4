// Command goemitter sends a small, fixed set of spans, metrics and log
// records over OTLP/HTTP (protobuf) to OTEL_EXPORTER_OTLP_ENDPOINT using the
// real OpenTelemetry Go SDK, then shuts down cleanly. It is used by the tests
// of toolweave.otlp.
package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"time"

	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/codes"
	"go.opentelemetry.io/otel/exporters/otlp/otlplog/otlploghttp"
	"go.opentelemetry.io/otel/exporters/otlp/otlpmetric/otlpmetrichttp"
	"go.opentelemetry.io/otel/exporters/otlp/otlptrace/otlptracehttp"
	otellog "go.opentelemetry.io/otel/log"
	"go.opentelemetry.io/otel/metric"
	sdklog "go.opentelemetry.io/otel/sdk/log"
	sdkmetric "go.opentelemetry.io/otel/sdk/metric"
	"go.opentelemetry.io/otel/sdk/resource"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/trace"
)

const scope = "toolweave/goemitter"

func main() {
	if err := run(); err != nil {
		fmt.Fprintln(os.Stderr, "goemitter:", err)
		os.Exit(1)
	}
}

func run() error {
	ctx := context.Background()

	// resource.Default() honours OTEL_SERVICE_NAME and OTEL_RESOURCE_ATTRIBUTES.
	res := resource.Default()

	// Traces.
	texp, err := otlptracehttp.New(ctx)
	if err != nil {
		return fmt.Errorf("trace exporter: %w", err)
	}
	tp := sdktrace.NewTracerProvider(
		sdktrace.WithResource(res),
		sdktrace.WithBatcher(texp),
	)

	// Metrics.
	mexp, err := otlpmetrichttp.New(ctx)
	if err != nil {
		return fmt.Errorf("metric exporter: %w", err)
	}
	reader := sdkmetric.NewPeriodicReader(mexp, sdkmetric.WithInterval(time.Hour))
	mp := sdkmetric.NewMeterProvider(
		sdkmetric.WithResource(res),
		sdkmetric.WithReader(reader),
		sdkmetric.WithView(sdkmetric.NewView(
			sdkmetric.Instrument{Name: "demo.latency"},
			sdkmetric.Stream{Aggregation: sdkmetric.AggregationExplicitBucketHistogram{
				Boundaries: []float64{10, 100},
			}},
		)),
	)

	// Logs.
	lexp, err := otlploghttp.New(ctx)
	if err != nil {
		return fmt.Errorf("log exporter: %w", err)
	}
	lp := sdklog.NewLoggerProvider(
		sdklog.WithResource(res),
		sdklog.WithProcessor(sdklog.NewBatchProcessor(lexp)),
	)

	// A span tree: GET /items (SERVER) -> fetchItems (INTERNAL, error)
	//                                  -> render (INTERNAL, ok).
	tracer := tp.Tracer(scope)
	ctx, root := tracer.Start(ctx, "GET /items",
		trace.WithSpanKind(trace.SpanKindServer),
		trace.WithAttributes(
			attribute.String("http.request.method", "GET"),
			attribute.String("http.route", "/items"),
			attribute.Int("http.response.status_code", 500),
		))

	cctx, child := tracer.Start(ctx, "fetchItems",
		trace.WithAttributes(
			attribute.Int("items.count", 3),
			attribute.Bool("cache.hit", false),
			attribute.Float64("ratio", 0.5),
			attribute.StringSlice("tags", []string{"a", "b"}),
		))
	child.AddEvent("retry", trace.WithAttributes(attribute.Int("attempt", 2)))
	child.RecordError(errors.New("boom"))
	child.SetStatus(codes.Error, "boom")

	// Two log records, the second inside the failing span.
	logger := lp.Logger(scope)
	var r1 otellog.Record
	r1.SetTimestamp(time.Now())
	r1.SetBody(attribute.StringValue("starting request"))
	r1.SetSeverity(otellog.SeverityInfo)
	r1.SetSeverityText("INFO")
	r1.AddAttributes(attribute.String("component", "api"))
	logger.Emit(context.Background(), r1)

	var r2 otellog.Record
	r2.SetTimestamp(time.Now())
	r2.SetBody(attribute.MapValue(
		attribute.String("msg", "fetch failed"),
		attribute.Int("code", 42),
	))
	r2.SetSeverity(otellog.SeverityError)
	r2.SetSeverityText("ERROR")
	r2.AddAttributes(attribute.Bool("retryable", true))
	logger.Emit(cctx, r2)
	child.End()

	_, render := tracer.Start(ctx, "render")
	render.SetStatus(codes.Ok, "")
	render.End()

	root.SetStatus(codes.Error, "internal error")
	root.End()

	// A counter and a histogram.
	meter := mp.Meter(scope)
	counter, err := meter.Int64Counter("demo.requests", metric.WithUnit("1"),
		metric.WithDescription("requests served"))
	if err != nil {
		return err
	}
	counter.Add(ctx, 2, metric.WithAttributes(attribute.String("route", "/items")))
	counter.Add(ctx, 1, metric.WithAttributes(attribute.String("route", "/items")))
	counter.Add(ctx, 5, metric.WithAttributes(attribute.String("route", "/health")))

	hist, err := meter.Float64Histogram("demo.latency", metric.WithUnit("ms"))
	if err != nil {
		return err
	}
	for _, v := range []float64{5, 50, 500} {
		hist.Record(ctx, v)
	}

	// Shutdown flushes everything; fail loudly if any export failed.
	sctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	var errs []error
	if err := tp.Shutdown(sctx); err != nil {
		errs = append(errs, fmt.Errorf("tracer provider: %w", err))
	}
	if err := mp.Shutdown(sctx); err != nil {
		errs = append(errs, fmt.Errorf("meter provider: %w", err))
	}
	if err := lp.Shutdown(sctx); err != nil {
		errs = append(errs, fmt.Errorf("logger provider: %w", err))
	}
	return errors.Join(errs...)
}
