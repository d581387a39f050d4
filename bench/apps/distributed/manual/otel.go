package main

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"time"

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
