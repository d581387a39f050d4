// Command toolweave-toolexec is the drop-in driver's launcher: the go command runs it for
// every tool call of a build (-toolexec). It answers what needs no Python from a plan that
// toolweave wrote ahead (data, in the cache) and hands everything else to
// `toolweave toolexec`, which it execs with the same arguments:
//
//	tool -V=full      the tool's own line plus the plan's fingerprint, when the plan is fresh
//	compile           the tool as given when no aspect of the plan can match the package
//	                  (package gates and file prefilters, both data); else Python
//	link              Python (one per binary; it completes the importcfg)
//	anything else     the tool as given
//
// A plan is fresh when every file it was made from has the size and modification time it
// recorded (aspects, toolweave.yml or its absence, go.mod, toolweave's runtime module).
// Anything unexpected (no plan, a stale one, a file it cannot read) means Python decides:
// the launcher only ever skips work that Python would also skip.
package main

import (
	"bufio"
	"bytes"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"hash/fnv"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// commandFile, beside the launcher: the command that runs `toolweave toolexec`, as a JSON
// array of strings (written with the launcher into its cache directory).
const commandFile = "command.json"

const planFormat = "1"

const timingsFormat = 1 // driver/timings.py's FORMAT

// Environment shared with driver/launcher.py.
const (
	envPlan   = "TOOLWEAVE_LAUNCHER_PLAN" // Python writes the plan for this call's key here
	envNested = "TOOLWEAVE_NESTED_VERB"
	envTiming = "TOOLWEAVE_TIMINGS"
)

// keyEnv: variables that change which aspects a build loads, hence part of the plan's key.
// GOFLAGS and GOWORK: where the module graph comes from (the fingerprint has its versions).
var keyEnv = []string{"TOOLWEAVE_DISABLED_INTEGRATIONS", "TOOLWEAVE_TEST_BOOTSTRAP", "TOOLWEAVE_RUNTIME_SOURCE", envNested,
	"GOFLAGS", "GOWORK"}

var verbs = map[string]bool{"build": true, "install": true, "run": true, "test": true, "vet": true,
	"list": true, "get": true, "generate": true, "tool": true}

type input struct {
	Path  string `json:"path"`
	Size  int64  `json:"size"`  // -1: the file must not exist
	Mtime int64  `json:"mtime"` // nanoseconds
}

type aspect struct {
	Gate      any `json:"gate"`
	Prefilter any `json:"prefilter"`
}

type plan struct {
	Format      string   `json:"format"`
	Fingerprint string   `json:"fingerprint"`
	Inputs      []input  `json:"inputs"`
	Never       []string `json:"never"`     // import path prefixes never woven
	Runtime     string   `json:"runtime"`   // the runtime module's path
	Protected   []string `json:"protected"` // packages our runtime depends on
	ModulePath  string   `json:"module_path"`
	ModuleDir   string   `json:"module_dir"`
	Aspects     []aspect `json:"aspects"`
}

func main() {
	if len(os.Args) < 2 {
		fmt.Fprintln(os.Stderr, "toolweave-toolexec: usage: go build -toolexec <this program> …")
		os.Exit(2)
	}
	tool, args := os.Args[1], os.Args[2:]
	name := strings.TrimSuffix(filepath.Base(tool), ".exe")
	switch {
	case len(args) == 1 && args[0] == "-V=full":
		version(tool, args)
	case name == "compile":
		compile(tool, args)
	case name == "link":
		toPython("")
	}
	run(tool, args)
}

// run replaces this process with the tool: its output and exit status are the tool's. With
// TOOLWEAVE_TIMINGS=FILE it runs the tool as a child and records the call in FILE.
func run(tool string, args []string) {
	if path := os.Getenv(envTiming); path != "" {
		os.Exit(timed(path, tool, args))
	}
	err := syscall.Exec(tool, append([]string{tool}, args...), os.Environ())
	fmt.Fprintf(os.Stderr, "toolweave-toolexec: %s: %v\n", tool, err)
	os.Exit(1)
}

// toPython hands the call to `toolweave toolexec`, asking it to write the plan at planPath.
func toPython(planPath string) {
	var argv []string
	self, err := os.Executable()
	if err == nil {
		var data []byte
		if data, err = os.ReadFile(filepath.Join(filepath.Dir(self), commandFile)); err == nil {
			err = json.Unmarshal(data, &argv)
		}
	}
	if err != nil || len(argv) == 0 {
		fmt.Fprintf(os.Stderr, "toolweave-toolexec: cannot read %s beside the launcher (%v); run `toolweave env` again\n", commandFile, err)
		os.Exit(1)
	}
	exe, err := exec.LookPath(argv[0])
	if err != nil {
		fmt.Fprintf(os.Stderr, "toolweave-toolexec: cannot run toolweave (%v); reinstall it, then run `toolweave env` again\n", err)
		os.Exit(1)
	}
	env := os.Environ()
	if planPath != "" {
		env = append(env, envPlan+"="+planPath)
	}
	err = syscall.Exec(exe, append(argv, os.Args[1:]...), env)
	fmt.Fprintf(os.Stderr, "toolweave-toolexec: %s: %v\n", exe, err)
	os.Exit(1)
}

// timed runs the tool and appends a record in driver/timings.py's format (one write with
// O_APPEND, as Python's records): wall time from this process's start, the part before the
// tool started counted as toolweave's own.
func timed(path, tool string, args []string) int {
	started := processStart()
	before := time.Now().UnixNano()
	cmd := exec.Command(tool, args...)
	cmd.Stdin, cmd.Stdout, cmd.Stderr = os.Stdin, os.Stdout, os.Stderr
	code := 0
	if err := cmd.Run(); err != nil {
		code = 1
		if ee, ok := err.(*exec.ExitError); ok {
			code = ee.ExitCode()
		}
	}
	end := time.Now().UnixNano()
	rec, _ := json.Marshal(map[string]any{
		"v": timingsFormat, "kind": "tool", "build": fmt.Sprintf("go-%d", os.Getppid()),
		"tool": strings.TrimSuffix(filepath.Base(tool), ".exe"), "pkg": os.Getenv("TOOLEXEC_IMPORTPATH"),
		"start_ns": started, "wall_ns": end - started, "exit": code, "woven": false,
		"self_ns": before - started, "res_ns": 1, "driver": "launcher",
	})
	if f, err := os.OpenFile(path, os.O_WRONLY|os.O_APPEND|os.O_CREATE, 0o644); err == nil {
		f.Write(append(rec, '\n'))
		f.Close()
	}
	return code
}

// processStart: when this process started, in Unix nanoseconds, so the time before main
// counts as ours. From /proc/self/schedstat (nanoseconds on a CPU plus waiting for one: a
// process that has not slept has existed that long), else from the start time in
// /proc/self/stat (clock ticks: 10 ms steps); now when the system will not say.
func processStart() int64 {
	now := time.Now().UnixNano()
	if data, err := os.ReadFile("/proc/self/schedstat"); err == nil {
		if f := strings.Fields(string(data)); len(f) >= 2 {
			cpu, err1 := strconv.ParseInt(f[0], 10, 64)
			wait, err2 := strconv.ParseInt(f[1], 10, 64)
			if err1 == nil && err2 == nil && cpu > 0 {
				return now - cpu - wait
			}
		}
	}
	stat, err1 := os.ReadFile("/proc/self/stat")
	uptime, err2 := os.ReadFile("/proc/uptime")
	if err1 != nil || err2 != nil {
		return now
	}
	i := bytes.LastIndexByte(stat, ')')
	fields := strings.Fields(string(stat[i+1:]))
	up := strings.Fields(string(uptime))
	if len(fields) < 20 || len(up) == 0 {
		return now
	}
	ticks, err1 := strconv.ParseFloat(fields[19], 64)
	secs, err2 := strconv.ParseFloat(up[0], 64)
	if err1 != nil || err2 != nil {
		return now
	}
	age := secs - ticks/100 // USER_HZ is 100 on Linux
	if age < 0 {
		age = 0
	}
	return now - int64(age*1e9)
}

// ----------------------------------------------------------------------------- the plan

// load returns this build's plan when it is fresh; otherwise it hands the call to Python.
func load() *plan {
	path := planPath()
	if path == "" {
		toPython("")
	}
	data, err := os.ReadFile(path)
	if err != nil {
		toPython(path)
	}
	var p plan
	if json.Unmarshal(data, &p) != nil || p.Format != planFormat || !fresh(p.Inputs) {
		toPython(path)
	}
	return &p
}

func fresh(inputs []input) bool {
	for _, in := range inputs {
		st, err := os.Stat(in.Path)
		if in.Size < 0 {
			if err == nil {
				return false
			}
			continue
		}
		if err != nil || st.Size() != in.Size || st.ModTime().UnixNano() != in.Mtime {
			return false
		}
	}
	return true
}

// planPath: <cache>/launcher/plans/<key>.json, the key made of the build's module
// directory, verb, go command and the variables that select aspects; "" when the build has
// no module (Python decides everything then).
func planPath() string {
	self, err := os.Executable()
	if err != nil {
		return ""
	}
	cwd, verb, goExe, modFlags := parent()
	module := findModule(cwd)
	if module == "" {
		return ""
	}
	h := fnv.New128a() // the key is the launcher's alone: any stable hash will do
	parts := []string{planFormat, module, verb, goExe, modFlags}
	for _, k := range keyEnv {
		parts = append(parts, os.Getenv(k))
	}
	h.Write([]byte(strings.Join(parts, "\x00")))
	// self is <cache>/launcher/<build>/toolweave-toolexec
	root := filepath.Dir(filepath.Dir(self))
	return filepath.Join(root, "plans", hex.EncodeToString(h.Sum(nil))+".json")
}

// parent: the go command's directory, verb, executable and -mod/-modfile flags (Linux
// /proc; the go command is this process's parent).
func parent() (cwd, verb, goExe, modFlags string) {
	pid := os.Getppid()
	proc := fmt.Sprintf("/proc/%d", pid)
	cwd, _ = os.Readlink(proc + "/cwd")
	if cwd == "" {
		cwd, _ = os.Getwd()
	}
	goExe, _ = os.Readlink(proc + "/exe")
	verb = os.Getenv(envNested)
	var mod []string
	if data, err := os.ReadFile(proc + "/cmdline"); err == nil {
		args := strings.Split(strings.TrimSuffix(string(data), "\x00"), "\x00")
		for i, a := range args {
			if i > 0 && verbs[a] && verb == "" {
				verb = a
			}
			if strings.HasPrefix(a, "-mod") || strings.HasPrefix(a, "--mod") {
				mod = append(mod, a)
				if !strings.Contains(a, "=") && i+1 < len(args) {
					mod = append(mod, args[i+1])
				}
			}
		}
	}
	if verb == "" {
		verb = "build"
	}
	return cwd, verb, goExe, strings.Join(mod, "\x00")
}

func findModule(dir string) string {
	for dir != "" {
		if st, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil && !st.IsDir() {
			return dir
		}
		up := filepath.Dir(dir)
		if up == dir {
			return ""
		}
		dir = up
	}
	return ""
}

// ----------------------------------------------------------------------------- -V=full

func version(tool string, args []string) {
	p := load()
	cmd := exec.Command(tool, args...)
	cmd.Stderr = os.Stderr
	out, err := cmd.Output()
	if err != nil {
		os.Stdout.Write(out)
		if ee, ok := err.(*exec.ExitError); ok {
			os.Exit(ee.ExitCode())
		}
		os.Exit(1)
	}
	fmt.Println(withFingerprint(string(out), p.Fingerprint))
	os.Exit(0)
}

// withFingerprint mirrors driver/toolexec.py's with_fingerprint.
func withFingerprint(line, fp string) string {
	line = strings.TrimSpace(line)
	fields := strings.Fields(line)
	if len(fields) >= 3 && strings.Contains(fields[2], "devel") && strings.HasPrefix(fields[len(fields)-1], "buildID=") {
		return line + ".toolweave-" + fp
	}
	return line + " toolweave=" + fp
}

// ----------------------------------------------------------------------------- compile

type facts struct {
	importPath string
	name       string
	imports    map[string]bool
	moduleRel  string // "" outside the main module, "." for its root
	testMain   bool
	files      [][]byte
}

// compile returns (to run the tool as given) only when no aspect can match the package.
func compile(tool string, args []string) {
	first := len(args)
	for first > 0 && strings.HasSuffix(args[first-1], ".go") && !strings.HasPrefix(args[first-1], "-") {
		first--
	}
	files := args[first:]
	importPath, cfg, out := flag(args[:first], "-p"), flag(args[:first], "-importcfg"), flag(args[:first], "-o")
	if len(files) == 0 || cfg == "" || out == "" {
		return // Python would run it as given too
	}
	p := load()
	if len(p.Aspects) == 0 || !weavable(p, importPath) {
		return
	}
	f, ok := gather(p, importPath, cfg, out, files)
	if !ok {
		toPython("")
	}
	for _, a := range p.Aspects {
		if gate(a.Gate, f) == no {
			continue
		}
		for _, data := range f.files {
			if mayMatch(a.Prefilter, data) {
				toPython("")
			}
		}
	}
}

func flag(args []string, name string) string {
	found := ""
	for i := 0; i < len(args); i++ {
		a := args[i]
		if a == name && i+1 < len(args) {
			found = args[i+1]
			i++
		} else if strings.HasPrefix(a, name+"=") {
			found = a[len(name)+1:]
		}
	}
	return found
}

func weavable(p *plan, path string) bool {
	if path == p.Runtime || strings.HasPrefix(path, p.Runtime+"/") {
		return false
	}
	for _, n := range p.Never {
		if strings.HasPrefix(path, n) || path == strings.TrimSuffix(n, "/") {
			return false
		}
	}
	for _, q := range p.Protected {
		if q == path {
			return false
		}
	}
	return true
}

// packageName: the name in a Go file's package clause (driver/compile.py's _PACKAGE).
func packageName(src []byte) string {
	m := regexp.MustCompile(`(?m)^package[ \t]+([A-Za-z_]\w*)`).FindSubmatch(src)
	if m == nil {
		return ""
	}
	return string(m[1])
}

// gather reads the facts driver/compile.py's _facts reads, and the files.
func gather(p *plan, importPath, cfg, out string, files []string) (facts, bool) {
	f := facts{importPath: importPath, imports: map[string]bool{}}
	data, err := os.ReadFile(cfg)
	if err != nil {
		return f, false
	}
	sc := bufio.NewScanner(bytes.NewReader(data))
	sc.Buffer(make([]byte, 1<<16), 1<<24)
	for sc.Scan() {
		verb, rest, _ := strings.Cut(sc.Text(), " ")
		if verb == "packagefile" || verb == "importmap" {
			path, _, _ := strings.Cut(rest, "=")
			f.imports[strings.TrimSpace(path)] = true
		}
	}
	work := filepath.Dir(filepath.Dir(out))
	pkgDir := ""
	for _, file := range files {
		b, err := os.ReadFile(file)
		if err != nil {
			return f, false
		}
		f.files = append(f.files, b)
		if filepath.Base(file) == "_testmain.go" {
			f.testMain = true
		}
		if pkgDir == "" && !strings.HasPrefix(file, work+string(filepath.Separator)) {
			pkgDir = filepath.Dir(file)
		}
	}
	f.name = packageName(f.files[0])
	if p.ModuleDir != "" && pkgDir != "" && (pkgDir == p.ModuleDir || strings.HasPrefix(pkgDir, p.ModuleDir+string(filepath.Separator))) {
		rel, err := filepath.Rel(p.ModuleDir, pkgDir)
		if err == nil {
			f.moduleRel = filepath.ToSlash(rel)
		}
	}
	return f, true
}

// ----------------------------------------------------------------------------- gates

// Three-valued, like join points' package_may_match: no only when the package cannot match.
type tri int

const (
	no tri = iota
	maybe
	yes
)

func of(b bool) tri {
	if b {
		return yes
	}
	return no
}

// gate evaluates a package gate (aspect/packagegate.py): null (unknown), true, false,
// ["path", p], ["imports", p], ["name", n], ["glob", regexp], ["root", regexp|null],
// ["testmain", bool], ["all", [...]], ["any", [...]], ["not", g], ["may", g].
func gate(g any, f facts) tri {
	switch v := g.(type) {
	case nil:
		return maybe
	case bool:
		return of(v)
	case []any:
		if len(v) != 2 {
			return maybe
		}
		op, _ := v[0].(string)
		switch op {
		case "path":
			return of(v[1] == f.importPath)
		case "imports":
			s, _ := v[1].(string)
			return of(f.imports[s])
		case "name":
			return of(v[1] == f.name)
		case "testmain":
			return of(v[1] == f.testMain)
		case "glob":
			return of(matches(v[1], f.importPath))
		case "root":
			if f.moduleRel == "" {
				return no
			}
			return of(v[1] == nil || matches(v[1], f.moduleRel))
		case "may":
			if gate(v[1], f) == no {
				return no
			}
			return maybe
		case "not":
			switch gate(v[1], f) {
			case yes:
				return no
			case no:
				return yes
			}
			return maybe
		case "all", "any":
			parts, _ := v[1].([]any)
			all := op == "all"
			out := of(all)
			for _, part := range parts {
				r := gate(part, f)
				if all && r < out || !all && r > out {
					out = r
				}
			}
			return out
		}
	}
	return maybe
}

// compiled: the plan's patterns, each compiled once (aspects share a few globs).
var compiled = map[string]*regexp.Regexp{}

func matches(pattern any, s string) bool {
	text, ok := pattern.(string)
	if !ok {
		return true
	}
	re, seen := compiled[text]
	if !seen {
		re, _ = regexp.Compile(text)
		compiled[text] = re
	}
	return re == nil || re.MatchString(s) // a pattern Go cannot read: assume it matches
}

// mayMatch evaluates a file prefilter (toolweave/prefilter.py).
func mayMatch(pf any, data []byte) bool {
	switch v := pf.(type) {
	case bool:
		return v
	case []any:
		if len(v) != 2 {
			return true
		}
		op, _ := v[0].(string)
		switch op {
		case "has":
			s, _ := v[1].(string)
			return bytes.Contains(data, latin1(s))
		case "all", "any":
			parts, _ := v[1].([]any)
			for _, part := range parts {
				if mayMatch(part, data) != (op == "all") {
					return op != "all"
				}
			}
			return op == "all"
		}
	}
	return true
}

// latin1: a prefilter's needle is its bytes decoded as latin-1 (every rune < 256).
func latin1(s string) []byte {
	out := make([]byte, 0, len(s))
	for _, r := range s {
		out = append(out, byte(r))
	}
	return out
}
