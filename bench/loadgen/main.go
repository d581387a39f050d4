// Command loadgen drives a fixed HTTP load over loopback and prints one JSON line:
//
//	loadgen -url http://127.0.0.1:8081/greet/gopher -c 16 -d 10s -warmup 2s
//	{"url":…,"concurrency":16,"duration_s":10.0,"requests":…,"errors":…,"rps":…,"p50_ms":…,"p90_ms":…,"p99_ms":…,"max_ms":…}
//
// N workers each loop GET url (every "{n}" in it replaced by a run-wide request counter, so
// requests can differ: -url 'http://127.0.0.1:8081/greet/user{n}') (keep-alive, body read fully) for -warmup (not counted) and then
// -d (counted); a response other than 200 or a transport error counts as an error. The run
// is bounded in time (warmup + d) and in count (-n, over all workers); it stops by itself.
// Loopback only: a URL whose host is not a loopback address is refused.
package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

type result struct {
	URL         string  `json:"url"`
	Concurrency int     `json:"concurrency"`
	DurationS   float64 `json:"duration_s"`
	Requests    int     `json:"requests"`
	Errors      int     `json:"errors"`
	RPS         float64 `json:"rps"`
	P50ms       float64 `json:"p50_ms"`
	P90ms       float64 `json:"p90_ms"`
	P99ms       float64 `json:"p99_ms"`
	MaxMs       float64 `json:"max_ms"`
	FirstError  string  `json:"first_error,omitempty"`
}

func main() {
	target := flag.String("url", "", "URL to GET (loopback only)")
	workers := flag.Int("c", 8, "concurrent workers")
	duration := flag.Duration("d", 10*time.Second, "measured duration")
	warmup := flag.Duration("warmup", 2*time.Second, "unmeasured warm-up before it")
	maxReq := flag.Int64("n", 5_000_000, "stop after this many requests in all (a safety bound)")
	timeout := flag.Duration("timeout", 10*time.Second, "per-request timeout")
	flag.Parse()
	if err := checkLoopback(*target); err != nil {
		fmt.Fprintln(os.Stderr, "loadgen:", err)
		os.Exit(2)
	}
	if *workers < 1 || *duration <= 0 {
		fmt.Fprintln(os.Stderr, "loadgen: -c must be ≥ 1 and -d > 0")
		os.Exit(2)
	}

	transport := &http.Transport{
		Proxy:               nil,
		MaxIdleConns:        *workers,
		MaxIdleConnsPerHost: *workers,
		IdleConnTimeout:     30 * time.Second,
	}
	client := &http.Client{Transport: transport, Timeout: *timeout}

	ctx, cancel := context.WithTimeout(context.Background(), *warmup+*duration)
	defer cancel()
	measureFrom := time.Now().Add(*warmup)
	var sent atomic.Int64
	var firstErr atomic.Value
	lat := make([][]time.Duration, *workers)
	errs := make([]int, *workers)
	var wg sync.WaitGroup
	for w := range *workers {
		wg.Go(func() {
			for ctx.Err() == nil {
				n := sent.Add(1)
				if n > *maxReq {
					return
				}
				u := strings.ReplaceAll(*target, "{n}", strconv.FormatInt(n, 10))
				start := time.Now()
				err := get(ctx, client, u)
				if ctx.Err() != nil {
					return // cut off by the end of the run: neither counted nor an error
				}
				if !start.Before(measureFrom) {
					if err != nil {
						errs[w]++
						firstErr.CompareAndSwap(nil, err.Error())
					} else {
						lat[w] = append(lat[w], time.Since(start))
					}
				}
			}
		})
	}
	wg.Wait()
	measured := time.Since(measureFrom)
	if d := *duration; measured > d {
		measured = d
	}
	transport.CloseIdleConnections()

	var all []time.Duration
	nerr := 0
	for w := range *workers {
		all = append(all, lat[w]...)
		nerr += errs[w]
	}
	slices.Sort(all)
	r := result{
		URL: *target, Concurrency: *workers, DurationS: measured.Seconds(),
		Requests: len(all), Errors: nerr, RPS: float64(len(all)) / measured.Seconds(),
		P50ms: pct(all, 0.50), P90ms: pct(all, 0.90), P99ms: pct(all, 0.99),
	}
	if len(all) > 0 {
		r.MaxMs = ms(all[len(all)-1])
	}
	if e, ok := firstErr.Load().(string); ok {
		r.FirstError = e
	}
	json.NewEncoder(os.Stdout).Encode(r)
}

func get(ctx context.Context, client *http.Client, target string) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, target, nil)
	if err != nil {
		return err
	}
	resp, err := client.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if _, err := io.Copy(io.Discard, resp.Body); err != nil {
		return err
	}
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("status %d", resp.StatusCode)
	}
	return nil
}

// pct is the nearest-rank percentile of sorted latencies, in milliseconds.
func pct(sorted []time.Duration, p float64) float64 {
	if len(sorted) == 0 {
		return 0
	}
	i := int(float64(len(sorted))*p+0.999999) - 1
	i = max(0, min(i, len(sorted)-1))
	return ms(sorted[i])
}

func ms(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }

func checkLoopback(target string) error {
	u, err := url.Parse(target)
	if err != nil || u.Host == "" {
		return fmt.Errorf("-url %q: not an absolute URL", target)
	}
	host := u.Hostname()
	if host == "localhost" {
		return nil
	}
	if ip := net.ParseIP(host); ip != nil && ip.IsLoopback() {
		return nil
	}
	return fmt.Errorf("-url %q: only loopback targets (127.0.0.0/8, ::1, localhost) are allowed", target)
}
