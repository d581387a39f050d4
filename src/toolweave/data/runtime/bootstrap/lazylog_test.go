package bootstrap

import (
	"context"
	"runtime"
	"sync"
	"testing"

	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/log"
	sdklog "go.opentelemetry.io/otel/sdk/log"
)

// memoryExporter keeps what it is given.
type memoryExporter struct {
	mu      sync.Mutex
	records []string
}

func (e *memoryExporter) Export(_ context.Context, records []sdklog.Record) error {
	e.mu.Lock()
	defer e.mu.Unlock()
	for _, r := range records {
		e.records = append(e.records, r.Body().AsString())
	}
	return nil
}
func (*memoryExporter) Shutdown(context.Context) error   { return nil }
func (*memoryExporter) ForceFlush(context.Context) error { return nil }

func record(body string) log.Record {
	var r log.Record
	r.SetBody(attribute.StringValue(body))
	return r
}

// The provider is built at the first record, not before; a Logger taken before the build
// delivers through it, and so does one taken after; Shutdown exports what was emitted.
func TestLoggerProviderIsBuiltAtTheFirstRecord(t *testing.T) {
	exp := &memoryExporter{}
	builds := 0
	p := newLazyLoggerProvider(func() *sdklog.LoggerProvider {
		builds++
		return sdklog.NewLoggerProvider(sdklog.WithProcessor(sdklog.NewBatchProcessor(exp)))
	})
	early := p.Logger("early")
	if builds != 0 {
		t.Fatalf("built %d times before any record", builds)
	}
	ctx := context.Background()
	if !early.Enabled(ctx, log.EnabledParameters{}) {
		t.Error("a logger of a batch-processing provider is not enabled")
	}
	early.Emit(ctx, record("one"))
	p.Logger("late").Emit(ctx, record("two"))
	if err := p.Shutdown(ctx); err != nil {
		t.Fatal(err)
	}
	if builds != 1 || len(exp.records) != 2 || exp.records[0] != "one" || exp.records[1] != "two" {
		t.Errorf("built %d times, exported %q; want once, [one two]", builds, exp.records)
	}
}

// Shut down before any record: nothing is built then or after, and later records are dropped.
func TestLoggerProviderShutDownUnusedBuildsNothing(t *testing.T) {
	builds := 0
	p := newLazyLoggerProvider(func() *sdklog.LoggerProvider { builds++; return sdklog.NewLoggerProvider() })
	logger := p.Logger("x")
	if err := p.Shutdown(context.Background()); err != nil {
		t.Fatal(err)
	}
	logger.Emit(context.Background(), record("after"))
	if logger.Enabled(context.Background(), log.EnabledParameters{}) || builds != 0 {
		t.Errorf("after Shutdown: enabled %v, built %d times; want false, 0",
			logger.Enabled(context.Background(), log.EnabledParameters{}), builds)
	}
}

// What the laziness is for: an eager batch-processing provider keeps its whole queue live
// (hundreds of KB the collector scans every cycle), the lazy one nothing until a record comes.
func TestUnusedLoggerProviderHoldsNoQueue(t *testing.T) {
	build := func() *sdklog.LoggerProvider {
		return sdklog.NewLoggerProvider(sdklog.WithProcessor(sdklog.NewBatchProcessor(&memoryExporter{})))
	}
	live := func(make func() any) uint64 {
		var before, after runtime.MemStats
		runtime.GC()
		runtime.ReadMemStats(&before)
		kept := make()
		runtime.GC()
		runtime.ReadMemStats(&after)
		runtime.KeepAlive(kept)
		return after.HeapAlloc - min(after.HeapAlloc, before.HeapAlloc)
	}
	eager := live(func() any { lp := build(); return []any{lp, lp.Logger("x")} })
	lazy := live(func() any { lp := newLazyLoggerProvider(build); return []any{lp, lp.Logger("x")} })
	if eager < 256<<10 || lazy > 16<<10 {
		t.Errorf("live heap: eager provider %d bytes, lazy %d; want the eager one's queue (>= 256 KiB) and "+
			"nothing of it in the lazy one (<= 16 KiB)", eager, lazy)
	}
	t.Logf("live heap of an unused provider: eager %d bytes, lazy %d", eager, lazy)
}
