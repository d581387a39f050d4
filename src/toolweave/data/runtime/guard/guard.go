// Package guard is toolweave's opt-in security aspects at run time (data/optional/security.yml,
// docs/security.md): the main module's calls of os.Open, os.OpenFile, os.ReadFile,
// os.WriteFile, os.Create, os.ReadDir and os.DirFS go through the functions of the same name
// here, which refuse a path outside the allowed roots (path traversal: `../`, absolute paths,
// symbolic links leading out); and its calls of exec.Command / exec.CommandContext whose
// arguments are not all literals go through Command / CommandContext, which refuse a shell
// run with -c whose script chains, substitutes or redirects commands (shell injection).
//
// Modes: "report" records every violation and lets the call through; "enforce" also refuses
// it: the call returns an error wrapping fs.ErrPermission (a *fs.PathError for files, the
// command's Err for exec, so Start, Run and Output return it), never a panic. "off" checks
// nothing. Every violation is a span event ("toolweave.security.violation") on the goroutine's
// span (the context of CommandContext, else goroutine-local context when the build has it,
// else a span of its own, "toolweave.security") and a Warn log record through the program's
// default slog logger, which toolweave's slog integration also sends over OTLP.
//
// TOOLWEAVE_SECURITY (off, report, enforce) and TOOLWEAVE_SECURITY_ROOTS (a list of
// directories separated by os.PathListSeparator) decide at run time; without them the build's
// defaults from toolweave.yml (SetDefault, compiled into the main package) decide. Without
// any roots the allowed roots are the working directory at the first check and os.TempDir().
package guard

import (
	"context"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"

	"go.opentelemetry.io/otel"
	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/trace"

	"toolweave.dev/runtime/gls"
	twslog "toolweave.dev/runtime/slog"
)

// The environment variables that decide at run time.
const (
	Env      = "TOOLWEAVE_SECURITY"
	RootsEnv = "TOOLWEAVE_SECURITY_ROOTS"
)

// The modes.
const (
	Off     = "off"
	Report  = "report"
	Enforce = "enforce"
)

// The rules a violation names (attribute security.rule).
const (
	PathTraversal  = "path-traversal"
	ShellInjection = "shell-injection"
)

// EventName is the span event of a violation; TracerName the scope of the spans and events.
const (
	EventName  = "toolweave.security.violation"
	TracerName = "toolweave.dev/runtime/guard"
)

// Blocked is the reason of a refused call. It wraps fs.ErrPermission, so
// errors.Is(err, fs.ErrPermission) holds for what a refused call returns (os.IsPermission,
// which predates wrapping and looks only one level down, does not see it).
type Blocked struct {
	Rule   string // PathTraversal or ShellInjection
	Detail string // what was refused and why
}

func (b *Blocked) Error() string {
	return "permission denied by toolweave's security aspects (" + b.Rule + ": " + b.Detail + ")"
}

// Unwrap returns fs.ErrPermission.
func (b *Blocked) Unwrap() error { return fs.ErrPermission }

type policy struct {
	mode  string
	roots []string // absolute, cleaned, symbolic links resolved
}

var (
	defaultMode  = Report
	defaultRoots []string
	current      atomic.Pointer[policy]
	build        sync.Mutex
)

// SetDefault sets the build's defaults (toolweave.yml's security section): the mode (an
// unknown one is ignored) and the allowed roots (relative ones are taken from the working
// directory at the first check). The environment still wins.
func SetDefault(mode string, roots ...string) {
	build.Lock()
	defer build.Unlock()
	if m := normal(mode); m != "" {
		defaultMode = m
	}
	defaultRoots = append([]string(nil), roots...)
	current.Store(nil)
}

func normal(mode string) string {
	switch m := strings.ToLower(strings.TrimSpace(mode)); m {
	case Off, Report, Enforce:
		return m
	}
	return ""
}

// load is the policy in force, built once (and again after SetDefault).
func load() *policy {
	if p := current.Load(); p != nil {
		return p
	}
	build.Lock()
	defer build.Unlock()
	if p := current.Load(); p != nil {
		return p
	}
	p := &policy{mode: defaultMode}
	if value, set := os.LookupEnv(Env); set && strings.TrimSpace(value) != "" {
		if m := normal(value); m != "" {
			p.mode = m
		} else {
			fmt.Fprintf(os.Stderr, "toolweave: %s=%q is not off, report or enforce; using %s\n", Env, value, p.mode)
		}
	}
	roots := defaultRoots
	if value := os.Getenv(RootsEnv); strings.TrimSpace(value) != "" {
		roots = filepath.SplitList(value)
	}
	if len(roots) == 0 {
		roots = []string{".", os.TempDir()}
	}
	for _, r := range roots {
		if strings.TrimSpace(r) != "" {
			p.roots = append(p.roots, resolve(r))
		}
	}
	current.Store(p)
	return p
}

// Mode is the mode in force.
func Mode() string { return load().mode }

// Roots are the allowed roots in force, resolved.
func Roots() []string { return append([]string(nil), load().roots...) }

// Counters are the violations seen since the program started.
type Counters struct {
	Blocked  int64 // refused (enforce)
	Reported int64 // let through (report)
}

var blocked, reported atomic.Int64

// Stats returns the counters.
func Stats() Counters { return Counters{Blocked: blocked.Load(), Reported: reported.Load()} }

// resolve is name as an absolute, clean path with the symbolic links of its longest existing
// prefix resolved: where the operating system would really go.
func resolve(name string) string {
	p := name
	if !filepath.IsAbs(p) {
		if wd, err := os.Getwd(); err == nil {
			p = filepath.Join(wd, p)
		}
	}
	p = filepath.Clean(p)
	existing, rest := p, ""
	for {
		if real, err := filepath.EvalSymlinks(existing); err == nil {
			return filepath.Join(real, rest)
		}
		parent := filepath.Dir(existing)
		if parent == existing {
			return p
		}
		rest = filepath.Join(filepath.Base(existing), rest)
		existing = parent
	}
}

func within(path, root string) bool {
	rel, err := filepath.Rel(root, path)
	return err == nil && rel != ".." && !strings.HasPrefix(rel, ".."+string(filepath.Separator)) && !filepath.IsAbs(rel)
}

// checkPath returns the refusal of a file call on name, or nil: nil when the mode is off,
// the path is inside a root, or the mode is report (then the violation is only recorded).
func checkPath(call, name string) error {
	p := load()
	if p.mode == Off {
		return nil
	}
	real := resolve(name)
	for _, root := range p.roots {
		if within(real, root) {
			return nil
		}
	}
	b := &Blocked{Rule: PathTraversal, Detail: fmt.Sprintf("%s resolves to %s, outside the allowed roots %s",
		name, real, strings.Join(p.roots, string(filepath.ListSeparator)))}
	return violation(context.Background(), p.mode, call, b, attribute.String("file.path", name))
}

// violation records b and returns it when the mode refuses the call.
func violation(ctx context.Context, mode, call string, b *Blocked, subject attribute.KeyValue) error {
	action := "reported"
	if mode == Enforce {
		action = "blocked"
		blocked.Add(1)
	} else {
		reported.Add(1)
	}
	attrs := []attribute.KeyValue{
		attribute.String("security.rule", b.Rule),
		attribute.String("security.action", action),
		attribute.String("code.function.name", call),
		subject,
		attribute.String("security.detail", b.Detail),
	}
	span := trace.SpanFromContext(ctx)
	own := false
	if !span.IsRecording() {
		if s := gls.Span(); s != nil {
			span = s
		} else {
			_, span = otel.Tracer(TracerName).Start(ctx, "toolweave.security")
			own = true
		}
	}
	span.AddEvent(EventName, trace.WithAttributes(attrs...))
	logCtx := trace.ContextWithSpan(context.Background(), span)
	args := make([]any, 0, len(attrs))
	for _, a := range attrs {
		args = append(args, string(a.Key), a.Value.AsString())
	}
	twslog.WarnContext(logCtx, "toolweave security: "+action+" "+call, args...)
	if own {
		span.End()
	}
	if mode != Enforce {
		return nil
	}
	return b
}

func pathError(op, name string, err error) error { return &fs.PathError{Op: op, Path: name, Err: err} }

// Open is os.Open, guarded.
func Open(name string) (*os.File, error) {
	if err := checkPath("os.Open", name); err != nil {
		return nil, pathError("open", name, err)
	}
	return os.Open(name)
}

// OpenFile is os.OpenFile, guarded.
func OpenFile(name string, flag int, perm os.FileMode) (*os.File, error) {
	if err := checkPath("os.OpenFile", name); err != nil {
		return nil, pathError("open", name, err)
	}
	return os.OpenFile(name, flag, perm)
}

// Create is os.Create, guarded.
func Create(name string) (*os.File, error) {
	if err := checkPath("os.Create", name); err != nil {
		return nil, pathError("open", name, err)
	}
	return os.Create(name)
}

// ReadFile is os.ReadFile, guarded.
func ReadFile(name string) ([]byte, error) {
	if err := checkPath("os.ReadFile", name); err != nil {
		return nil, pathError("open", name, err)
	}
	return os.ReadFile(name)
}

// WriteFile is os.WriteFile, guarded.
func WriteFile(name string, data []byte, perm os.FileMode) error {
	if err := checkPath("os.WriteFile", name); err != nil {
		return pathError("open", name, err)
	}
	return os.WriteFile(name, data, perm)
}

// ReadDir is os.ReadDir, guarded.
func ReadDir(name string) ([]os.DirEntry, error) {
	if err := checkPath("os.ReadDir", name); err != nil {
		return nil, pathError("open", name, err)
	}
	return os.ReadDir(name)
}

// DirFS is os.DirFS, guarded: the directory must be inside a root (the names an os.DirFS
// opens are already confined to it by fs.ValidPath). A refused directory gives a file system
// whose every Open returns the refusal.
func DirFS(dir string) fs.FS {
	if err := checkPath("os.DirFS", dir); err != nil {
		return refusedFS{err: err}
	}
	return os.DirFS(dir)
}

type refusedFS struct{ err error }

func (r refusedFS) Open(name string) (fs.File, error) { return nil, pathError("open", name, r.err) }

// Command is exec.Command, guarded.
func Command(name string, arg ...string) *exec.Cmd {
	cmd := exec.Command(name, arg...)
	if err := checkCommand(context.Background(), "exec.Command", name, arg); err != nil {
		cmd.Err = err
	}
	return cmd
}

// CommandContext is exec.CommandContext, guarded.
func CommandContext(ctx context.Context, name string, arg ...string) *exec.Cmd {
	cmd := exec.CommandContext(ctx, name, arg...)
	if err := checkCommand(ctx, "exec.CommandContext", name, arg); err != nil {
		cmd.Err = err
	}
	return cmd
}

// shells and the flag that makes each run its next argument as a script.
var shells = map[string]string{
	"sh": "c", "bash": "c", "dash": "c", "zsh": "c", "ksh": "c", "ash": "c", "mksh": "c",
	"cmd": "/c", "powershell": "-command", "pwsh": "-command",
}

// metacharacters that chain, substitute or redirect commands.
var metacharacters = []string{";", "&", "|", "`", "$(", "\n", "\r", ">", "<"}

// script is the script a shell invocation runs with -c (or cmd /c, powershell -Command),
// and whether there is one.
func script(name string, args []string) (string, bool) {
	base := strings.ToLower(filepath.Base(name))
	base = strings.TrimSuffix(base, ".exe")
	flag, ok := shells[base]
	if !ok {
		return "", false
	}
	for i, a := range args {
		la := strings.ToLower(a)
		var hit bool
		switch {
		case flag == "c": // a short-option cluster holding c: -c, -ec, -xc …
			hit = len(la) > 1 && la[0] == '-' && la[1] != '-' && strings.ContainsRune(la[1:], 'c')
		case flag == "/c":
			hit = la == "/c" || la == "/k"
		default:
			hit = la == "-c" || la == "-command"
		}
		if !hit {
			continue
		}
		rest := args[i+1:]
		if len(rest) > 0 && rest[0] == "--" {
			rest = rest[1:]
		}
		if flag == "c" {
			if len(rest) == 0 {
				return "", false
			}
			return rest[0], true
		}
		return strings.Join(rest, " "), true // cmd and powershell run the rest of the line
	}
	return "", false
}

func checkCommand(ctx context.Context, call, name string, args []string) error {
	p := load()
	if p.mode == Off {
		return nil
	}
	s, ok := script(name, args)
	if !ok {
		return nil
	}
	for _, m := range metacharacters {
		if strings.Contains(s, m) {
			b := &Blocked{Rule: ShellInjection, Detail: fmt.Sprintf("%s runs a script built at run time that holds %q: %q",
				name, m, s)}
			return violation(ctx, p.mode, call, b, attribute.String("process.command_line", name+" "+strings.Join(args, " ")))
		}
	}
	return nil
}
