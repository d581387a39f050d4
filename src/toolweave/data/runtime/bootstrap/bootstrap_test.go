package bootstrap

// Start installs process-wide globals once, so every case runs in a child process: the test
// binary re-executed with TW_SCENARIO set, configured only by OTEL_* variables as a woven
// program would be, with the console exporter writing one JSON span per line to stdout.

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"log"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"go.opentelemetry.io/otel"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"

	"toolweave.dev/runtime/runtimemetrics"
)

// scenarios run in the child. Each ends the process its own way.
var scenarios = map[string]func(){
	"return": func() { // main returns: the deferred shutdown flushes
		shutdown := Start()
		defer shutdown()
		emit("on-return")
	},
	"exit": func() {
		defer Start()() // must not matter: os.Exit skips defers, Exit flushes first
		emit("on-exit")
		Exit(3)
	},
	"panic": func() {
		defer Start()()
		emit("on-panic")
		panic("boom")
	},
	"twice": func() {
		shutdown := Start()
		tp := otel.GetTracerProvider()
		again := Start()
		if otel.GetTracerProvider() != tp {
			log.Fatal("a second Start replaced the tracer provider")
		}
		emit("once")
		shutdown()
		again()
		shutdown()
		Exit(0)
	},
	"disabled": func() {
		defer Start()()
		if _, ok := otel.GetTracerProvider().(*sdktrace.TracerProvider); ok {
			log.Fatal("OTEL_SDK_DISABLED=true installed an SDK tracer provider")
		}
		emit("disabled")
	},
	"metrics": func() { // the runtime-metrics integration starts too, before bootstrap
		runtimemetrics.Start()
		defer Start()()
		counter, err := otel.Meter("test").Int64Counter("scenario.requests")
		if err != nil {
			log.Fatal(err)
		}
		counter.Add(context.Background(), 1)
	},
	"blackhole": func() { // the collector never answers: shutdown must give up in time
		defer Start()()
		emit("lost")
	},
}

// fatals is one implementation of log.Fatal, Fatalf and Fatalln.
type fatals struct {
	fatal, fatalln func(...any)
	fatalf         func(string, ...any)
}

// die ends the process with one variant. Both implementations run the same call line, so
// with Lshortfile their output must be byte-identical.
func (f fatals) die(variant string) {
	log.SetFlags(log.Lshortfile)
	log.SetPrefix("svc: ")
	Start()
	emit("before-fatal")
	switch variant {
	case "fatal":
		f.fatal("fatal", 1, 2, "x")
	case "fatalf":
		f.fatalf("fatal %d %s", 1, "x")
	case "fatalln":
		f.fatalln("fatal", 1, 2, "x")
	}
}

func init() {
	impls := map[string]fatals{"std": {log.Fatal, log.Fatalln, log.Fatalf}, "tw": {Fatal, Fatalln, Fatalf}}
	for name, impl := range impls {
		for _, variant := range []string{"fatal", "fatalf", "fatalln"} {
			scenarios[name+"-"+variant] = func() { impl.die(variant) }
		}
	}
}

func emit(name string) {
	_, s := otel.Tracer("test").Start(context.Background(), name)
	s.End()
}

func TestMain(m *testing.M) {
	if name := os.Getenv("TW_SCENARIO"); name != "" {
		scenarios[name]()
		os.Exit(0)
	}
	os.Exit(m.Run())
}

type result struct {
	code           int
	stdout, stderr string
	spans          []exported
	elapsed        time.Duration
}

// exported is the part of stdouttrace's JSON that the tests read.
type exported struct {
	Name     string
	Resource []struct {
		Key   string
		Value struct{ Value any }
	}
}

func (e exported) resource(key string) any {
	for _, kv := range e.Resource {
		if kv.Key == key {
			return kv.Value.Value
		}
	}
	return nil
}

// run executes a scenario in a child with the given OTEL_* settings (on top of console
// traces, no metrics and no logs, so stdout holds only spans).
func run(t *testing.T, scenario string, env ...string) result {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(cleanEnv(), "TW_SCENARIO="+scenario,
		"OTEL_TRACES_EXPORTER=console", "OTEL_METRICS_EXPORTER=none", "OTEL_LOGS_EXPORTER=none")
	cmd.Env = append(cmd.Env, env...)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	begin := time.Now()
	err := cmd.Run()
	r := result{stdout: stdout.String(), stderr: stderr.String(), elapsed: time.Since(begin)}
	var exit *exec.ExitError
	if errors.As(err, &exit) {
		r.code = exit.ExitCode()
	} else if err != nil {
		t.Fatal(err)
	}
	sc := bufio.NewScanner(&stdout)
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		var e exported
		if json.Unmarshal(sc.Bytes(), &e) == nil && e.Name != "" {
			r.spans = append(r.spans, e)
		}
	}
	return r
}

// cleanEnv is the environment without any OTEL_* variable of the machine running the tests.
func cleanEnv() []string {
	var out []string
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "OTEL_") {
			out = append(out, kv)
		}
	}
	return out
}

func spanNames(r result) []string {
	var out []string
	for _, s := range r.spans {
		out = append(out, s.Name)
	}
	return out
}

func expectSpans(t *testing.T, r result, want ...string) {
	t.Helper()
	if got := strings.Join(spanNames(r), ","); got != strings.Join(want, ",") {
		t.Errorf("exported spans = [%s], want [%s]\nstderr: %s", got, strings.Join(want, ","), r.stderr)
	}
}

func TestFlushOnReturnWithDefaultServiceName(t *testing.T) {
	r := run(t, "return")
	expectSpans(t, r, "on-return")
	if r.code != 0 {
		t.Errorf("exit code %d", r.code)
	}
	want := strings.TrimSuffix(filepath.Base(os.Args[0]), ".exe")
	if len(r.spans) == 1 {
		if got := r.spans[0].resource("service.name"); got != want {
			t.Errorf("service.name = %v, want the binary name %q", got, want)
		}
		if got := r.spans[0].resource("telemetry.sdk.language"); got != "go" {
			t.Errorf("telemetry.sdk.language = %v", got)
		}
	}
}

func TestServiceNameFromEnvironment(t *testing.T) {
	for _, c := range []struct{ env, want string }{
		{"OTEL_SERVICE_NAME=checkout", "checkout"},
		{"OTEL_RESOURCE_ATTRIBUTES=service.name=billing,team=a", "billing"},
	} {
		r := run(t, "return", c.env)
		if len(r.spans) != 1 || r.spans[0].resource("service.name") != c.want {
			t.Errorf("%s: spans %v, want service.name %q", c.env, r.spans, c.want)
		}
	}
}

func TestExitFlushesThenExitsWithTheCode(t *testing.T) {
	r := run(t, "exit")
	expectSpans(t, r, "on-exit")
	if r.code != 3 {
		t.Errorf("exit code %d, want 3", r.code)
	}
}

func TestPanicInMainFlushesThroughTheDeferredShutdown(t *testing.T) {
	r := run(t, "panic")
	expectSpans(t, r, "on-panic")
	if r.code != 2 || !strings.Contains(r.stderr, "panic: boom") {
		t.Errorf("exit code %d, stderr %q: want the panic to go on", r.code, r.stderr)
	}
}

func TestStartAndShutdownAreIdempotent(t *testing.T) {
	r := run(t, "twice")
	expectSpans(t, r, "once")
	if r.code != 0 {
		t.Errorf("exit code %d, stderr %s", r.code, r.stderr)
	}
}

func TestSDKDisabled(t *testing.T) {
	r := run(t, "disabled", "OTEL_SDK_DISABLED=TRUE")
	expectSpans(t, r)
	if r.code != 0 || r.stdout != "" {
		t.Errorf("exit code %d, stdout %q, stderr %q", r.code, r.stdout, r.stderr)
	}
}

// Runtime metrics are the runtimemetrics integration: started by it before bootstrap (the
// global MeterProvider forwards to the SDK's once installed) and by bootstrap's transitional
// call, they are registered once.
func TestRuntimeMetricsOnceWhoeverStartsThem(t *testing.T) {
	r := run(t, "metrics", "OTEL_METRICS_EXPORTER=console")
	if r.code != 0 || !strings.Contains(r.stdout, `"scenario.requests"`) {
		t.Fatalf("exit code %d, want the counter on stdout\nstdout: %s\nstderr: %s", r.code, r.stdout, r.stderr)
	}
	if n := strings.Count(r.stdout, `"go.goroutine.count"`); n != 1 {
		t.Errorf("go.goroutine.count exported %d times, want once:\n%s", n, r.stdout)
	}
}

func TestBadExporterIsReportedNotFatal(t *testing.T) {
	r := run(t, "return", "OTEL_TRACES_EXPORTER=nonsense")
	if r.code != 0 || !strings.Contains(r.stderr, "nonsense") {
		t.Errorf("exit code %d, stderr %q: want a report and a normal exit", r.code, r.stderr)
	}
}

func TestShutdownIsBounded(t *testing.T) {
	if testing.Short() {
		t.Skip("waits for the shutdown timeout")
	}
	// A collector that accepts connections and never answers.
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			defer c.Close()
		}
	}()
	r := run(t, "blackhole", "OTEL_TRACES_EXPORTER=otlp",
		"OTEL_EXPORTER_OTLP_ENDPOINT=http://"+ln.Addr().String(), "OTEL_EXPORTER_OTLP_TIMEOUT=60000")
	if r.code != 0 {
		t.Errorf("exit code %d, stderr %s", r.code, r.stderr)
	}
	if r.elapsed > ShutdownTimeout+3*time.Second {
		t.Errorf("shutdown took %v, want about %v", r.elapsed, ShutdownTimeout)
	}
}

func TestFatalMatchesLogFatal(t *testing.T) {
	for _, variant := range []string{"fatal", "fatalf", "fatalln"} {
		std := run(t, "std-"+variant)
		ours := run(t, "tw-"+variant)
		if std.code != 1 || ours.code != 1 {
			t.Errorf("%s: exit codes %d (log) and %d (ours), want 1", variant, std.code, ours.code)
		}
		if std.stderr != ours.stderr || !strings.HasPrefix(ours.stderr, "svc: bootstrap_test.go:") {
			t.Errorf("%s: stderr differs:\nlog:  %q\nours: %q", variant, std.stderr, ours.stderr)
		}
		// log.Fatal loses the batched span; ours flushes it.
		expectSpans(t, std)
		expectSpans(t, ours, "before-fatal")
	}
}
