// Package bootstrap sets up the OpenTelemetry SDK in a woven program.
//
// toolweave prepends `shutdown := bootstrap.Start(); defer shutdown()` to every main
// function and rewrites os.Exit and log.Fatal* call sites of the main module to Exit and
// Fatal*, so telemetry is flushed on every way out of the program that runs Go code.
//
// Configuration is only the standard OTEL_* environment: exporters through contrib's
// autoexport (OTEL_TRACES_EXPORTER, OTEL_METRICS_EXPORTER, OTEL_LOGS_EXPORTER,
// OTEL_EXPORTER_OTLP_*), propagators through autoprop (OTEL_PROPAGATORS), the resource
// through OTEL_SERVICE_NAME / OTEL_RESOURCE_ATTRIBUTES, sampling and batching through the
// SDK's own variables (OTEL_TRACES_SAMPLER, OTEL_BSP_*, …). OTEL_SDK_DISABLED=true leaves
// every global untouched (the API's no-ops).
//
// Lost telemetry (spans dropped by a full batch queue, spans and log records in failed
// exports) is counted, readable through Dropped, and said on stderr: failed exports at most
// once per ReportInterval, the totals at shutdown (dropped.go).
//
// Go runtime metrics belong to the separate integration toolweave.dev/runtime/runtimemetrics
// (its own aspect starts them in main, so switching it off leaves them off).
package bootstrap

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"go.opentelemetry.io/contrib/exporters/autoexport"
	"go.opentelemetry.io/contrib/propagators/autoprop"
	"go.opentelemetry.io/otel"
	"go.opentelemetry.io/otel/attribute"
	logglobal "go.opentelemetry.io/otel/log/global"
	"go.opentelemetry.io/otel/metric"
	sdklog "go.opentelemetry.io/otel/sdk/log"
	sdkmetric "go.opentelemetry.io/otel/sdk/metric"
	"go.opentelemetry.io/otel/sdk/resource"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/trace"

	"toolweave.dev/runtime/gls"
	"toolweave.dev/runtime/internal/sdkenv"
)

// ShutdownTimeout bounds how long flushing may hold up the end of the program: a collector
// that is down must not turn an exit into a hang.
const ShutdownTimeout = 5 * time.Second

var (
	mu      sync.Mutex
	started bool
	stop    = func() {} // flushes and shuts down what Start installed; idempotent
)

// Start installs tracer, meter and logger providers and the propagator as the OpenTelemetry
// globals, configured from the environment. It runs once per process: later calls install
// nothing and return the same shutdown function. shutdown flushes and shuts down every
// provider within ShutdownTimeout; calling it again (or Exit/Fatal* after it) does nothing.
func Start() (shutdown func()) {
	mu.Lock()
	defer mu.Unlock()
	if !started {
		started = true
		if !sdkenv.Disabled() {
			stop = sync.OnceFunc(install())
		}
	}
	return flush
}

// flush runs the shutdown of whatever Start installed (nothing if Start never ran).
func flush() {
	mu.Lock()
	f := stop
	mu.Unlock()
	f()
}

// install builds the providers and sets the globals; it returns their combined shutdown.
// A signal whose exporter is "none" gets no provider at all: the global no-op still
// propagates incoming trace context at no cost. A misconfigured signal is reported through
// otel.Handle and left off, never stopping the program.
func install() func() {
	ctx := context.Background()
	installErrorHandler()
	res := newResource(ctx)
	var shutdowns []func(context.Context) error

	if exp, err := autoexport.NewSpanExporter(ctx); err != nil {
		otel.Handle(configError("OTEL_TRACES_EXPORTER", err))
	} else if !autoexport.IsNoneSpanExporter(exp) {
		// batchProcessor is sdktrace.WithBatcher's processor, its losses counted (dropped.go).
		opts := []sdktrace.TracerProviderOption{sdktrace.WithSpanProcessor(batchProcessor(exp)), sdktrace.WithResource(res)}
		if gls.Available() {
			// Goroutine-local context (gls.yml woven into the runtime): spans started without
			// a span in their context take the goroutine's current one as parent.
			opts = append(opts, sdktrace.WithSpanProcessor(gls.Processor()))
		}
		tp := sdktrace.NewTracerProvider(opts...)
		var global trace.TracerProvider = tp
		if gls.Available() {
			global = gls.Provider(tp)
		}
		if shedAsked() {
			global = shedProvider(global) // not recording while exports fail (shed.go)
		}
		otel.SetTracerProvider(global)
		shutdowns = append(shutdowns, func(ctx context.Context) error {
			awaitHung(ctx) // an export left in flight (shed mode, dropped.go) first
			return tp.Shutdown(ctx)
		})
	}

	if reader, err := autoexport.NewMetricReader(ctx); err != nil {
		otel.Handle(configError("OTEL_METRICS_EXPORTER", err))
	} else if !autoexport.IsNoneMetricReader(reader) {
		mp := sdkmetric.NewMeterProvider(sdkmetric.WithReader(reader), sdkmetric.WithResource(res))
		var global metric.MeterProvider = mp
		if shedAsked() {
			global = shedMeterProvider(mp) // measurements dropped while span exports fail (shed.go)
		}
		otel.SetMeterProvider(global)
		shutdowns = append(shutdowns, mp.Shutdown)
	}

	if exp, err := autoexport.NewLogExporter(ctx); err != nil {
		otel.Handle(configError("OTEL_LOGS_EXPORTER", err))
	} else if !autoexport.IsNoneLogExporter(exp) {
		// Built at the first record: the batch processor's queue is allocated whole
		// (lazylog.go).
		lp := newLazyLoggerProvider(func() *sdklog.LoggerProvider {
			return sdklog.NewLoggerProvider(sdklog.WithProcessor(sdklog.NewBatchProcessor(logExporter{exp})), sdklog.WithResource(res))
		})
		logglobal.SetLoggerProvider(lp)
		shutdowns = append(shutdowns, lp.Shutdown)
	}

	otel.SetTextMapPropagator(autoprop.NewTextMapPropagator())
	return func() {
		shutdownAll(shutdowns)
		reportTotals()
	}
}

// configError says which setting a signal was left off for (autoexport's errors do not).
func configError(key string, err error) error {
	return fmt.Errorf("toolweave: %s=%q: %w; this signal is off", key, os.Getenv(key), err)
}

// shutdownAll shuts the providers down in parallel under one ShutdownTimeout deadline, so
// the bound holds for all of them together.
func shutdownAll(shutdowns []func(context.Context) error) {
	endBackoff() // the spans still queued get their try even if the last export failed
	ctx, cancel := context.WithTimeout(context.Background(), ShutdownTimeout)
	defer cancel()
	errs := make([]error, len(shutdowns))
	var wg sync.WaitGroup
	for i, shutdown := range shutdowns {
		wg.Go(func() { errs[i] = shutdown(ctx) })
	}
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		otel.Handle(err)
	}
}

// newResource describes the process. Later options win on conflicts, so service.name is
// the binary's name unless OTEL_RESOURCE_ATTRIBUTES or OTEL_SERVICE_NAME say otherwise.
func newResource(ctx context.Context) *resource.Resource {
	res, err := resource.New(ctx,
		resource.WithAttributes(attribute.String("service.name", binaryName())),
		resource.WithTelemetrySDK(),
		resource.WithAttributes(attribute.String("telemetry.distro.name", "toolweave")),
		resource.WithHost(),
		resource.WithProcessPID(),
		resource.WithProcessExecutableName(),
		resource.WithProcessRuntimeName(),
		resource.WithProcessRuntimeVersion(),
		resource.WithFromEnv(),
	)
	if err != nil {
		// A partial resource (say, an unreadable host name) is still worth using.
		otel.Handle(err)
	}
	if res == nil {
		res = resource.Default()
	}
	return res
}

// binaryName is the default service.name: the program's file name without ".exe".
func binaryName() string {
	if len(os.Args) == 0 || os.Args[0] == "" {
		return "unknown_service:go"
	}
	return strings.TrimSuffix(filepath.Base(os.Args[0]), ".exe")
}
