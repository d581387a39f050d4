// glsload: what goroutine-local context costs and whether its state stays bounded
// (bench/glsbench.py builds this with gls.yml and without it; tests/e2e/test_gls_e2e.py runs
// "goroutines").
//
//	gls bench       ns per goroutine start-and-exit (without and with a live span on the
//	                starting goroutine: with inheritance the latter hands it on), per span
//	                start-and-end, per context-less child span, as JSON
//	gls goroutines  1,000,000 goroutines, each starting a span it ends and one in ten a span it
//	                never ends before it exits; RSS and live heap after 100,000 and at the end,
//	                and whether a goroutine started afterwards (reusing the exited goroutines'
//	                structs) ever gets a parent: as JSON
package main

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"runtime"
	"strings"
	"sync"
	"testing"

	"go.opentelemetry.io/otel"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
)

var tracer = otel.Tracer("glsbench")

func main() {
	if len(os.Args) < 2 {
		fmt.Fprintln(os.Stderr, "usage: gls bench|goroutines")
		os.Exit(2)
	}
	var out map[string]any
	switch os.Args[1] {
	case "bench":
		out = bench()
	case "goroutines":
		out = goroutines(1_000_000, 10_000)
	}
	json.NewEncoder(os.Stdout).Encode(out)
}

func bench() map[string]any {
	goroutine := testing.Benchmark(func(b *testing.B) {
		var wg sync.WaitGroup
		for i := 0; i < b.N; i++ {
			wg.Add(1)
			go wg.Done()
			wg.Wait()
		}
	})
	spawn := testing.Benchmark(func(b *testing.B) {
		_, parent := tracer.Start(context.Background(), "parent")
		defer parent.End()
		var wg sync.WaitGroup
		for i := 0; i < b.N; i++ {
			wg.Add(1)
			go wg.Done()
			wg.Wait()
		}
	})
	span := testing.Benchmark(func(b *testing.B) {
		ctx := context.Background()
		for i := 0; i < b.N; i++ {
			_, s := tracer.Start(ctx, "op")
			s.End()
		}
	})
	child := testing.Benchmark(func(b *testing.B) {
		ctx, parent := tracer.Start(context.Background(), "parent")
		defer parent.End()
		_ = ctx
		for i := 0; i < b.N; i++ {
			_, s := tracer.Start(context.Background(), "child") // no span in its context
			s.End()
		}
	})
	return map[string]any{
		"goroutine_ns": float64(goroutine.T.Nanoseconds()) / float64(goroutine.N),
		"spawn_ns":     float64(spawn.T.Nanoseconds()) / float64(spawn.N),
		"span_ns":      float64(span.T.Nanoseconds()) / float64(span.N),
		"span_allocs":  span.AllocsPerOp(),
		"child_ns":     float64(child.T.Nanoseconds()) / float64(child.N),
		"child_allocs": child.AllocsPerOp(),
	}
}

func goroutines(total, batch int) map[string]any {
	var rss100k, heap100k float64
	for done := 0; done < total; done += batch {
		var wg sync.WaitGroup
		for i := 0; i < batch; i++ {
			wg.Add(1)
			go func(n int) {
				defer wg.Done()
				_, s := tracer.Start(context.Background(), "work")
				s.End()
				if n%10 == 0 {
					tracer.Start(context.Background(), "left open") // never ended: the goroutine exits with it
				}
			}(done + i)
		}
		wg.Wait()
		if done+batch == 100_000 {
			rss100k, heap100k = memory()
		}
	}
	rss, heap := memory()
	// Goroutines started now run on the structs of the exited ones: none may find a parent.
	parents := 0
	var mu sync.Mutex
	var wg sync.WaitGroup
	for i := 0; i < batch; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, s := tracer.Start(context.Background(), "fresh")
			if ro, ok := s.(sdktrace.ReadOnlySpan); ok && ro.Parent().IsValid() {
				mu.Lock()
				parents++
				mu.Unlock()
			}
			s.End()
		}()
	}
	wg.Wait()
	return map[string]any{"goroutines": total, "rss_mb_100k": rss100k, "rss_mb_end": rss,
		"heap_mb_100k": heap100k, "heap_mb_end": heap, "fresh_with_parent": parents}
}

// memory is the process's resident set and the live heap after a collection, in MB.
func memory() (rss, heap float64) {
	runtime.GC()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	data, _ := os.ReadFile("/proc/self/status")
	for _, line := range strings.Split(string(data), "\n") {
		if strings.HasPrefix(line, "VmRSS:") {
			var kb float64
			fmt.Sscan(strings.TrimSpace(strings.TrimPrefix(line, "VmRSS:")), &kb)
			rss = kb / 1024
		}
	}
	return rss, float64(ms.HeapInuse) / (1 << 20)
}
