// Package runtimemetrics starts the Go runtime metrics (go.memory.used, go.goroutine.count,
// go.gc.*, …) of contrib's instrumentation/runtime on the global MeterProvider.
//
// It is an integration of its own, not part of bootstrap, so a user can switch it off like
// any other: its aspect calls Start in main, before or after bootstrap.Start (the global
// MeterProvider forwards to the SDK provider once bootstrap installs it, and stays a no-op
// when the metrics exporter is "none"). Until that aspect exists, bootstrap calls Start
// itself; Start runs once per process, so both calling it registers the metrics once.
package runtimemetrics

import (
	"sync"

	"go.opentelemetry.io/contrib/instrumentation/runtime"
	"go.opentelemetry.io/otel"

	"toolweave.dev/runtime/internal/sdkenv"
)

var once sync.Once

// Start registers the runtime metrics with the global MeterProvider. Runtime metrics are
// per process, so only the first call does anything; with OTEL_SDK_DISABLED=true it does
// nothing at all. A failure is reported through otel.Handle, never to the program.
func Start() {
	once.Do(func() {
		if sdkenv.Disabled() {
			return
		}
		if err := runtime.Start(runtime.WithMeterProvider(otel.GetMeterProvider())); err != nil {
			otel.Handle(err)
		}
	})
}
