package main

import (
	"hash/fnv"
	"os"
	"path/filepath"
	"strconv"
	"strings"
)

// planHeader opens every plan; another header (another format) means Python rewrites it.
const planHeader = "toolweave-plan 3"

// A plan (driver/launcher.py's write_plan) is text, one fact per line, each a keyword and
// values in a subset of JSON (value.go):
//
//	toolweave-plan 3
//	fingerprint "…"
//	runtime "toolweave.dev/runtime"          the runtime module: never woven
//	module "example.com/app" "/abs/dir"      the main module's path and directory
//	input SIZE MTIME "/abs/path"             a file it was made from (SIZE -1: must not exist)
//	never "prefix/"                          import path prefixes never woven
//	protected "path"                         packages the runtime depends on
//	gate GATE PREFILTER                      aspects sharing a package gate, their prefilters any-of'd
type plan struct {
	fingerprint string
	runtime     string
	modulePath  string
	moduleDir   string
	inputs      []string // the values of the input lines, read when checked (fresh)
	never       []string
	protected   []string
	gates       []gated
}

type gated struct {
	gate, prefilter any
}

// keyEnv: variables that change which aspects a build loads, hence part of the plan's key.
// GOFLAGS and GOWORK: where the module graph comes from (the fingerprint has its versions).
var keyEnv = []string{"TOOLWEAVE_DISABLED_INTEGRATIONS", "TOOLWEAVE_TEST_BOOTSTRAP", "TOOLWEAVE_RUNTIME_SOURCE", envNested,
	"TOOLWEAVE_GLS", "TOOLWEAVE_SECURITY", "TOOLWEAVE_ERROR_CAPTURE", "GOFLAGS", "GOWORK"}

var verbs = map[string]bool{"build": true, "install": true, "run": true, "test": true, "vet": true,
	"list": true, "get": true, "generate": true, "tool": true}

// load returns this build's plan when it is fresh; otherwise it hands the call to Python.
//
// Its inputs are checked once per go command, not once per call: the first call that finds
// them unchanged writes <plan>.seen with the go command's process id and start time, and the
// other calls of that command read it instead of a stat per input (a hundred, the largest
// cost of a call after the process's own start). The go command fixes a build's toolchain
// identity, fingerprint included, at its start from the -V=full probes, so an edit made while
// it runs was never going to reach that build's archives anyway.
func load(tool string) *plan {
	path := planPath(tool)
	if path == "" {
		toPython("")
	}
	data, err := os.ReadFile(path)
	if err != nil {
		toPython(path)
	}
	p, ok := parsePlan(string(data))
	if !ok {
		toPython(path)
	}
	command := goCommand()
	seen := path + ".seen"
	if command == "" || readString(seen) != command {
		if !fresh(p.inputs) {
			toPython(path)
		}
		if command != "" {
			writeAtomic(seen, command)
		}
	}
	return p
}

func parsePlan(text string) (*plan, bool) {
	header, text, _ := strings.Cut(text, "\n")
	if header != planHeader {
		return nil, false
	}
	p := &plan{}
	for text != "" {
		var line, s string
		line, text, _ = strings.Cut(text, "\n")
		keyword, rest, _ := strings.Cut(line, " ")
		ok := true
		switch keyword {
		case "input":
			p.inputs = append(p.inputs, rest)
		case "never":
			s, ok = onlyString(rest)
			p.never = append(p.never, s)
		case "protected":
			s, ok = onlyString(rest)
			p.protected = append(p.protected, s)
		case "fingerprint":
			p.fingerprint, ok = onlyString(rest)
		case "runtime":
			p.runtime, ok = onlyString(rest)
		case "module", "gate":
			var v []any
			v, ok = parseValues(rest)
			if ok && len(v) == 2 && keyword == "module" {
				p.modulePath, _ = v[0].(string)
				p.moduleDir, ok = v[1].(string)
			} else if ok && len(v) == 2 {
				p.gates = append(p.gates, gated{v[0], needles(v[1])})
			} else {
				ok = false
			}
		case "":
			ok = rest == "" // a blank line
		default:
			ok = false // a fact this launcher does not know: let Python decide
		}
		if !ok {
			return nil, false
		}
	}
	return p, p.fingerprint != ""
}

// fresh: every input line (SIZE MTIME "path"; SIZE -1: must not exist) still holds.
func fresh(inputs []string) bool {
	for _, line := range inputs {
		v, ok := parseValues(line)
		if !ok || len(v) != 3 {
			return false
		}
		size, _ := v[0].(int64)
		mtime, _ := v[1].(int64)
		path, _ := v[2].(string)
		st, err := os.Stat(path)
		if size < 0 {
			if err == nil {
				return false
			}
			continue
		}
		if err != nil || st.Size() != size || st.ModTime().UnixNano() != mtime {
			return false
		}
	}
	return true
}

// goCommand identifies the go command that runs this call: its process id and start time;
// "" when unknown.
func goCommand() string {
	pid := strconv.Itoa(os.Getppid())
	if start := startTime(pid); start != "" {
		return pid + " " + start
	}
	return ""
}

// startTime: a process's start time in clock ticks since boot (field 22 of /proc/PID/stat,
// counted after the parenthesised command name, which may hold spaces); "" when unknown.
func startTime(pid string) string {
	stat := readString("/proc/" + pid + "/stat")
	i := strings.LastIndexByte(stat, ')')
	if i < 0 {
		return ""
	}
	if fields := strings.Fields(stat[i+1:]); len(fields) >= 20 {
		return fields[19]
	}
	return ""
}

func readString(path string) string {
	data, err := os.ReadFile(path)
	if err != nil {
		return ""
	}
	return string(data)
}

// writeAtomic writes a file readers see whole or not at all; failing to is no error (the
// next call checks the inputs again).
func writeAtomic(path, text string) {
	tmp := path + "." + strconv.Itoa(os.Getpid())
	if os.WriteFile(tmp, []byte(text), 0o644) != nil || os.Rename(tmp, path) != nil {
		os.Remove(tmp)
	}
}

// planPath: <cache>/launcher/plans/<key>, the key made of the build's module directory,
// verb, toolchain (the tool's directory), -mod/-modfile flags and the variables that select
// aspects; "" when the build has no module (Python decides everything then).
func planPath(tool string) string {
	self, err := os.Executable()
	if err != nil {
		return ""
	}
	cwd, verb, modFlags := parent()
	module := findModule(cwd)
	if module == "" {
		return ""
	}
	h := fnv.New128a() // the key is the launcher's alone: any stable hash will do
	parts := []string{planHeader, module, verb, filepath.Dir(tool), modFlags}
	for _, k := range keyEnv {
		parts = append(parts, os.Getenv(k))
	}
	h.Write([]byte(strings.Join(parts, "\x00")))
	// self is <cache>/launcher/<build>/toolweave-toolexec
	root := filepath.Dir(filepath.Dir(self))
	return filepath.Join(root, "plans", hexString(h.Sum(nil))+".plan")
}

// parent: the go command's directory, verb and -mod/-modfile flags (Linux /proc; the go
// command is this process's parent; it runs tools in the package's directory, not its own).
func parent() (cwd, verb, modFlags string) {
	proc := "/proc/" + strconv.Itoa(os.Getppid())
	cwd, _ = os.Readlink(proc + "/cwd")
	if cwd == "" {
		cwd, _ = os.Getwd()
	}
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
	return cwd, verb, strings.Join(mod, "\x00")
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

func hexString(b []byte) string {
	out := make([]byte, 0, 2*len(b))
	for _, c := range b {
		out = append(out, "0123456789abcdef"[c>>4], "0123456789abcdef"[c&15])
	}
	return string(out)
}
