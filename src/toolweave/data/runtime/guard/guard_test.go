package guard

import (
	"context"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/sdk/trace/tracetest"
)

// sandbox: a root directory with a file, a sibling directory outside it, and a symbolic
// link inside the root that leads out. The working directory is the root.
func sandbox(t *testing.T, mode string) (root, outside string) {
	base := t.TempDir()
	root = filepath.Join(base, "root")
	outside = filepath.Join(base, "outside")
	for _, d := range []string{filepath.Join(root, "data"), outside} {
		if err := os.MkdirAll(d, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	for _, f := range []string{filepath.Join(root, "data", "in.txt"), filepath.Join(outside, "secret.txt")} {
		if err := os.WriteFile(f, []byte("x"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.Symlink(outside, filepath.Join(root, "data", "escape")); err != nil {
		t.Fatal(err)
	}
	t.Chdir(root)
	t.Setenv(Env, mode)
	t.Setenv(RootsEnv, root)
	current.Store(nil)
	t.Cleanup(func() { current.Store(nil) })
	return root, outside
}

func TestPaths(t *testing.T) {
	root, outside := sandbox(t, Enforce)
	for _, tc := range []struct {
		name    string
		refused bool
	}{
		{"data/in.txt", false},
		{filepath.Join(root, "data", "in.txt"), false},
		{"data/../data/in.txt", false},
		{"data/new-file-not-yet-there.txt", false},
		{".", false},
		{"../outside/secret.txt", true},
		{"data/../../outside/secret.txt", true},
		{filepath.Join(outside, "secret.txt"), true},
		{"/etc/passwd", true},
		{"data/escape/secret.txt", true}, // a link inside the root that leads out
		{"data/escape/not-there", true},
		{"data/escape", true},
	} {
		_, err := Open(tc.name)
		refused := errors.Is(err, fs.ErrPermission)
		if refused != tc.refused {
			t.Errorf("Open(%q): refused=%v (err %v), want %v", tc.name, refused, err, tc.refused)
		}
		if refused {
			var pe *fs.PathError
			var b *Blocked
			if !errors.As(err, &pe) || pe.Path != tc.name || pe.Op != "open" || !errors.As(err, &b) || b.Rule != PathTraversal {
				t.Errorf("Open(%q): %#v is not a *fs.PathError wrapping a path-traversal *Blocked", tc.name, err)
			}
		}
	}
}

func TestEveryFileCallIsGuarded(t *testing.T) {
	_, outside := sandbox(t, Enforce)
	secret := filepath.Join(outside, "secret.txt")
	before := Stats().Blocked
	calls := map[string]func() error{
		"Open":      func() error { _, err := Open(secret); return err },
		"OpenFile":  func() error { _, err := OpenFile(secret, os.O_RDONLY, 0); return err },
		"Create":    func() error { _, err := Create(filepath.Join(outside, "new")); return err },
		"ReadFile":  func() error { _, err := ReadFile(secret); return err },
		"WriteFile": func() error { return WriteFile(secret, []byte("y"), 0o644) },
		"ReadDir":   func() error { _, err := ReadDir(outside); return err },
		"DirFS":     func() error { _, err := fs.ReadFile(DirFS(outside), "secret.txt"); return err },
	}
	for name, call := range calls {
		if err := call(); !errors.Is(err, fs.ErrPermission) {
			t.Errorf("%s outside the roots: %v, want an error wrapping fs.ErrPermission", name, err)
		}
	}
	if got := Stats().Blocked - before; got != int64(len(calls)) {
		t.Errorf("blocked counter went up by %d, want %d", got, len(calls))
	}
	if data, _ := os.ReadFile(secret); string(data) != "x" {
		t.Errorf("a refused WriteFile wrote: %q", data)
	}
	if _, err := os.Stat(filepath.Join(outside, "new")); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("a refused Create created the file: %v", err)
	}
	if data, err := fs.ReadFile(DirFS("data"), "in.txt"); err != nil || string(data) != "x" {
		t.Errorf("DirFS inside the root: %q, %v", data, err)
	}
}

func TestReportLetsThroughAndOffChecksNothing(t *testing.T) {
	_, outside := sandbox(t, Report)
	before := Stats()
	if data, err := ReadFile(filepath.Join(outside, "secret.txt")); err != nil || string(data) != "x" {
		t.Fatalf("report mode refused: %q, %v", data, err)
	}
	if got := Stats(); got.Reported != before.Reported+1 || got.Blocked != before.Blocked {
		t.Errorf("counters %+v after %+v: want one more reported", got, before)
	}
	t.Setenv(Env, Off)
	current.Store(nil)
	if _, err := ReadFile(filepath.Join(outside, "secret.txt")); err != nil {
		t.Fatal(err)
	}
	if got := Stats().Reported; got != before.Reported+1 {
		t.Errorf("off mode recorded a violation")
	}
}

func TestDefaultsAndEnvironment(t *testing.T) {
	root, _ := sandbox(t, "")
	t.Setenv(RootsEnv, "")
	SetDefault(Enforce, "data")
	t.Cleanup(func() { SetDefault(Report) })
	if Mode() != Enforce || len(Roots()) != 1 || Roots()[0] != filepath.Join(root, "data") {
		t.Fatalf("defaults: %s %v", Mode(), Roots())
	}
	if _, err := Open("data/in.txt"); err != nil {
		t.Errorf("inside the default root: %v", err)
	}
	t.Setenv(Env, "report")
	current.Store(nil)
	if Mode() != Report {
		t.Errorf("%s=report did not win over the build's default", Env)
	}
	SetDefault(Report)
	t.Setenv(Env, "")
	if got := Roots(); len(got) != 2 || got[0] != root {
		t.Errorf("without roots: %v, want the working directory and the temporary directory", got)
	}
}

func TestScripts(t *testing.T) {
	for _, tc := range []struct {
		name   string
		args   []string
		script string
		ok     bool
	}{
		{"sh", []string{"-c", "ls"}, "ls", true},
		{"/bin/bash", []string{"-ec", "echo hi"}, "echo hi", true},
		{"bash", []string{"--norc", "-c", "--", "x"}, "x", true},
		{"cmd.exe", []string{"/C", "dir", "a"}, "dir a", true},
		{"pwsh", []string{"-Command", "Get-Item"}, "Get-Item", true},
		{"ls", []string{"-c", "x"}, "", false},
		{"sh", []string{"script.sh"}, "", false},
		{"sh", []string{"-c"}, "", false},
	} {
		s, ok := script(tc.name, tc.args)
		if s != tc.script || ok != tc.ok {
			t.Errorf("script(%q, %q) = %q, %v; want %q, %v", tc.name, tc.args, s, ok, tc.script, tc.ok)
		}
	}
}

func TestCommands(t *testing.T) {
	sandbox(t, Enforce)
	for _, tc := range []struct {
		args    []string
		refused bool
	}{
		{[]string{"sh", "-c", "echo " + "safe-name"}, false},
		{[]string{"echo", "a; rm -rf /"}, false}, // no shell: the argument is one argument
		{[]string{"sh", "-c", "echo x; touch pwned"}, true},
		{[]string{"sh", "-c", "echo $(id)"}, true},
		{[]string{"sh", "-c", "echo `id`"}, true},
		{[]string{"bash", "-c", "cat a | sh"}, true},
		{[]string{"sh", "-c", "echo x > /tmp/y"}, true},
		{[]string{"sh", "-c", "a && b"}, true},
		{[]string{"sh", "-c", "a\nb"}, true},
	} {
		err := Command(tc.args[0], tc.args[1:]...).Run()
		refused := errors.Is(err, fs.ErrPermission)
		if refused != tc.refused {
			t.Errorf("Command(%q).Run(): %v; refused=%v, want %v", tc.args, err, refused, tc.refused)
		}
	}
	if _, err := os.Stat("pwned"); err == nil {
		t.Error("a refused command ran")
	}
}

func TestViolationIsAnEventOnTheCallersSpan(t *testing.T) {
	sandbox(t, Report)
	rec := tracetest.NewSpanRecorder()
	tp := sdktrace.NewTracerProvider(sdktrace.WithSpanProcessor(rec))
	ctx, span := tp.Tracer("test").Start(context.Background(), "request")
	if err := CommandContext(ctx, "sh", "-c", "true; true").Run(); err != nil {
		t.Fatal(err)
	}
	span.End()
	ended := rec.Ended()
	if len(ended) != 1 || len(ended[0].Events()) != 1 {
		t.Fatalf("spans %d; want the caller's span with one event", len(ended))
	}
	ev := ended[0].Events()[0]
	got := map[string]string{}
	for _, a := range ev.Attributes {
		got[string(a.Key)] = a.Value.AsString()
	}
	if ev.Name != EventName || got["security.rule"] != ShellInjection || got["security.action"] != "reported" ||
		got["code.function.name"] != "exec.CommandContext" || !strings.Contains(got["process.command_line"], "true; true") {
		t.Errorf("event %s %v", ev.Name, got)
	}
}
