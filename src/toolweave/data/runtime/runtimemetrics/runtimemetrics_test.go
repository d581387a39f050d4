package runtimemetrics

import (
	"context"
	"sync"
	"testing"

	"go.opentelemetry.io/otel"
	sdkmetric "go.opentelemetry.io/otel/sdk/metric"
	"go.opentelemetry.io/otel/sdk/metric/metricdata"
)

// collect installs a fresh global MeterProvider with a manual reader and returns a
// function that reads every metric name and its number of data points.
func collect(t *testing.T) func() map[string]int {
	t.Helper()
	reader := sdkmetric.NewManualReader()
	mp := sdkmetric.NewMeterProvider(sdkmetric.WithReader(reader))
	prev := otel.GetMeterProvider()
	otel.SetMeterProvider(mp)
	t.Cleanup(func() {
		otel.SetMeterProvider(prev)
		_ = mp.Shutdown(context.Background())
	})
	return func() map[string]int {
		var rm metricdata.ResourceMetrics
		if err := reader.Collect(context.Background(), &rm); err != nil {
			t.Fatal(err)
		}
		out := map[string]int{}
		for _, sm := range rm.ScopeMetrics {
			for _, m := range sm.Metrics {
				switch d := m.Data.(type) {
				case metricdata.Sum[int64]:
					out[m.Name] += len(d.DataPoints)
				case metricdata.Gauge[int64]:
					out[m.Name] += len(d.DataPoints)
				default:
					out[m.Name]++
				}
			}
		}
		return out
	}
}

func reset() { once = sync.Once{} }

func TestStartOncePerProcess(t *testing.T) {
	reset()
	read := collect(t)
	Start()
	Start() // a second call must not register the callbacks again
	got := read()
	for _, name := range []string{"go.memory.used", "go.goroutine.count", "go.memory.allocated"} {
		if got[name] == 0 {
			t.Errorf("no %s in %v", name, got)
		}
	}
	if got["go.goroutine.count"] != 1 {
		t.Errorf("go.goroutine.count has %d data points, want 1 (started twice?)", got["go.goroutine.count"])
	}
}

func TestStartDisabled(t *testing.T) {
	reset()
	t.Setenv("OTEL_SDK_DISABLED", "true")
	read := collect(t)
	Start()
	if got := read(); len(got) != 0 {
		t.Errorf("OTEL_SDK_DISABLED=true, yet metrics were registered: %v", got)
	}
	t.Setenv("OTEL_SDK_DISABLED", "false")
	Start() // once per process: the first call decided
	if got := read(); len(got) != 0 {
		t.Errorf("a later Start registered metrics: %v", got)
	}
}
