package main

import (
	"context"
	"errors"
	"log/slog"
	"os"
	"path/filepath"
	"time"

	"go.opentelemetry.io/contrib/bridges/otelslog"
	"go.opentelemetry.io/contrib/exporters/autoexport"
	"go.opentelemetry.io/contrib/instrumentation/runtime"
	"go.opentelemetry.io/contrib/propagators/autoprop"
	"go.opentelemetry.io/otel"
	"go.opentelemetry.io/otel/attribute"
	logglobal "go.opentelemetry.io/otel/log/global"
	sdklog "go.opentelemetry.io/otel/sdk/log"
	sdkmetric "go.opentelemetry.io/otel/sdk/metric"
	"go.opentelemetry.io/otel/sdk/resource"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/trace"
)

// setupOTel installs tracer, meter and logger providers configured by OTEL_* (autoexport,
// autoprop, the resource from the environment) and starts the runtime metrics: the SDK
// set-up a person writes by hand, equivalent to what toolweave's bootstrap does. The returned
// function flushes and shuts everything down within 5 s.
func setupOTel() (shutdown func()) {
	ctx := context.Background()
	res, err := resource.New(ctx,
		resource.WithAttributes(attribute.String("service.name", filepath.Base(os.Args[0]))),
		resource.WithTelemetrySDK(),
		resource.WithHost(),
		resource.WithProcessPID(),
		resource.WithProcessExecutableName(),
		resource.WithProcessRuntimeName(),
		resource.WithProcessRuntimeVersion(),
		resource.WithFromEnv(),
	)
	if err != nil {
		otel.Handle(err)
	}
	var shutdowns []func(context.Context) error

	if exp, err := autoexport.NewSpanExporter(ctx); err != nil {
		otel.Handle(err)
	} else {
		tp := sdktrace.NewTracerProvider(sdktrace.WithBatcher(exp), sdktrace.WithResource(res))
		otel.SetTracerProvider(tp)
		shutdowns = append(shutdowns, tp.Shutdown)
	}
	if reader, err := autoexport.NewMetricReader(ctx); err != nil {
		otel.Handle(err)
	} else {
		mp := sdkmetric.NewMeterProvider(sdkmetric.WithReader(reader), sdkmetric.WithResource(res))
		otel.SetMeterProvider(mp)
		if err := runtime.Start(runtime.WithMeterProvider(mp)); err != nil {
			otel.Handle(err)
		}
		shutdowns = append(shutdowns, mp.Shutdown)
	}
	if exp, err := autoexport.NewLogExporter(ctx); err != nil {
		otel.Handle(err)
	} else {
		lp := sdklog.NewLoggerProvider(sdklog.WithProcessor(sdklog.NewBatchProcessor(exp)), sdklog.WithResource(res))
		logglobal.SetLoggerProvider(lp)
		shutdowns = append(shutdowns, lp.Shutdown)
	}
	otel.SetTextMapPropagator(autoprop.NewTextMapPropagator())

	return func() {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		var errs []error
		for _, f := range shutdowns {
			errs = append(errs, f(ctx))
		}
		if err := errors.Join(errs...); err != nil {
			otel.Handle(err)
		}
	}
}

// teeOTel wraps the program's handler: the wrapped handler's level (or whatever its Enabled
// decides by) governs both outputs; every record it keeps is also exported as an OTLP log
// through the otelslog bridge, and records logged with a span in their context gain its
// trace_id and span_id (lowercase hex) in the program's own output.
func teeOTel(h slog.Handler) slog.Handler {
	return otelTee{app: h, otel: otelslog.NewHandler("example.com/multi-manual")}
}

type otelTee struct{ app, otel slog.Handler }

func (h otelTee) Enabled(ctx context.Context, level slog.Level) bool {
	return h.app.Enabled(ctx, level)
}

func (h otelTee) Handle(ctx context.Context, r slog.Record) error {
	var otelErr error
	if h.otel.Enabled(ctx, r.Level) {
		otelErr = h.otel.Handle(ctx, r)
	}
	if sc := trace.SpanContextFromContext(ctx); sc.IsValid() {
		r = r.Clone()
		r.AddAttrs(slog.String("trace_id", sc.TraceID().String()), slog.String("span_id", sc.SpanID().String()))
	}
	return errors.Join(h.app.Handle(ctx, r), otelErr)
}

func (h otelTee) WithAttrs(attrs []slog.Attr) slog.Handler {
	return otelTee{app: h.app.WithAttrs(attrs), otel: h.otel.WithAttrs(attrs)}
}

func (h otelTee) WithGroup(name string) slog.Handler {
	if name == "" {
		return h
	}
	return otelTee{app: h.app.WithGroup(name), otel: h.otel.WithGroup(name)}
}
