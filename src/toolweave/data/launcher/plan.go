package main

import (
	"hash/fnv"
	"os"
	"path/filepath"
	"strconv"
	"strings"
)

// planHeader opens every plan; another header (another format) means Python rewrites it.
const planHeader = "toolweave-plan 2"

// A plan (driver/launcher.py's write_plan) is text, one fact per line, each a keyword and
// values in a subset of JSON (value.go):
//
//	toolweave-plan 2
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
	inputs      []input
	never       []string
	protected   []string
	gates       []gated
}

type input struct {
	path        string
	size, mtime int64
}

type gated struct {
	gate, prefilter any
}

// keyEnv: variables that change which aspects a build loads, hence part of the plan's key.
// GOFLAGS and GOWORK: where the module graph comes from (the fingerprint has its versions).
var keyEnv = []string{"TOOLWEAVE_DISABLED_INTEGRATIONS", "TOOLWEAVE_TEST_BOOTSTRAP", "TOOLWEAVE_RUNTIME_SOURCE", envNested,
	"GOFLAGS", "GOWORK"}

var verbs = map[string]bool{"build": true, "install": true, "run": true, "test": true, "vet": true,
	"list": true, "get": true, "generate": true, "tool": true}

// load returns this build's plan when it is fresh; otherwise it hands the call to Python.
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
	if !ok || !fresh(p.inputs) {
		toPython(path)
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
		var line string
		line, text, _ = strings.Cut(text, "\n")
		keyword, rest, _ := strings.Cut(line, " ")
		v, ok := parseValues(rest)
		if !ok {
			return nil, false
		}
		switch {
		case keyword == "fingerprint" && len(v) == 1:
			p.fingerprint, ok = v[0].(string)
		case keyword == "runtime" && len(v) == 1:
			p.runtime, ok = v[0].(string)
		case keyword == "module" && len(v) == 2:
			p.modulePath, _ = v[0].(string)
			p.moduleDir, ok = v[1].(string)
		case keyword == "input" && len(v) == 3:
			in := input{}
			in.size, _ = v[0].(int64)
			in.mtime, _ = v[1].(int64)
			in.path, ok = v[2].(string)
			p.inputs = append(p.inputs, in)
		case keyword == "never" && len(v) == 1:
			var s string
			s, ok = v[0].(string)
			p.never = append(p.never, s)
		case keyword == "protected" && len(v) == 1:
			var s string
			s, ok = v[0].(string)
			p.protected = append(p.protected, s)
		case keyword == "gate" && len(v) == 2:
			p.gates = append(p.gates, gated{v[0], v[1]})
		case keyword == "" && len(v) == 0: // a blank line
		default:
			ok = false // a fact this launcher does not know: let Python decide
		}
		if !ok {
			return nil, false
		}
	}
	return p, p.fingerprint != ""
}

func fresh(inputs []input) bool {
	for _, in := range inputs {
		st, err := os.Stat(in.path)
		if in.size < 0 {
			if err == nil {
				return false
			}
			continue
		}
		if err != nil || st.Size() != in.size || st.ModTime().UnixNano() != in.mtime {
			return false
		}
	}
	return true
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
