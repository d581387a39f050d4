package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
)

// compile returns (to run the tool as given) only when no aspect can match the package.
func compile(tool string, args []string) {
	first := len(args)
	for first > 0 && strings.HasSuffix(args[first-1], ".go") && !strings.HasPrefix(args[first-1], "-") {
		first--
	}
	paths := args[first:]
	importPath, cfg, out := flag(args[:first], "-p"), flag(args[:first], "-importcfg"), flag(args[:first], "-o")
	if len(paths) == 0 || cfg == "" || out == "" {
		return // Python would run it as given too
	}
	p := load(tool)
	if len(p.gates) == 0 || !weavable(p, importPath) {
		return
	}
	f := newFacts(p, importPath, cfg, out, paths)
	for _, g := range p.gates {
		if gate(g.gate, f) == no {
			continue
		}
		for _, data := range f.sources() {
			if mayMatch(g.prefilter, data) {
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
	if path == p.runtime || strings.HasPrefix(path, p.runtime+"/") {
		return false
	}
	for _, n := range p.never {
		if strings.HasPrefix(path, n) || path == strings.TrimSuffix(n, "/") {
			return false
		}
	}
	for _, q := range p.protected {
		if q == path {
			return false
		}
	}
	return true
}

// facts: what driver/compile.py's _facts knows of a compile. The import path, the place in
// the main module and whether it is a test main come from the arguments; the imports (the
// importcfg), the files and the package name are read on first use, and a file that cannot
// be read hands the call to Python.
type facts struct {
	importPath string
	moduleRel  string // "" outside the main module, "." for its root
	testMain   bool

	cfg     string
	paths   []string
	imports map[string]bool // nil until read
	files   [][]byte        // nil until read
	name    *string
}

func newFacts(p *plan, importPath, cfg, out string, paths []string) *facts {
	f := &facts{importPath: importPath, cfg: cfg, paths: paths}
	work := filepath.Dir(filepath.Dir(out)) + string(filepath.Separator)
	pkgDir := ""
	for _, path := range paths {
		if filepath.Base(path) == "_testmain.go" {
			f.testMain = true
		}
		if pkgDir == "" && !strings.HasPrefix(path, work) {
			pkgDir = filepath.Dir(path)
		}
	}
	if p.moduleDir != "" && pkgDir != "" && (pkgDir == p.moduleDir || strings.HasPrefix(pkgDir, p.moduleDir+string(filepath.Separator))) {
		if rel, err := filepath.Rel(p.moduleDir, pkgDir); err == nil {
			f.moduleRel = filepath.ToSlash(rel)
		}
	}
	return f
}

// known: facts given whole (gate_test.go).
func known(importPath, name string, imports []string, moduleRel string, testMain bool) *facts {
	f := &facts{importPath: importPath, moduleRel: moduleRel, testMain: testMain, name: &name,
		imports: map[string]bool{}, files: [][]byte{}}
	for _, imp := range imports {
		f.imports[imp] = true
	}
	return f
}

func (f *facts) imported(path string) bool {
	if f.imports == nil {
		data, err := os.ReadFile(f.cfg)
		if err != nil {
			toPython("")
		}
		f.imports = map[string]bool{}
		for _, line := range strings.Split(string(data), "\n") {
			verb, rest, _ := strings.Cut(line, " ")
			if verb == "packagefile" || verb == "importmap" {
				p, _, _ := strings.Cut(rest, "=")
				f.imports[strings.TrimSpace(p)] = true
			}
		}
	}
	return f.imports[path]
}

func (f *facts) sources() [][]byte {
	if f.files == nil {
		f.files = make([][]byte, 0, len(f.paths))
		for _, path := range f.paths {
			data, err := os.ReadFile(path)
			if err != nil {
				toPython("")
			}
			f.files = append(f.files, data)
		}
	}
	return f.files
}

func (f *facts) packageName() string {
	if f.name == nil {
		name := ""
		if files := f.sources(); len(files) > 0 {
			name = packageClause(files[0])
		}
		f.name = &name
	}
	return *f.name
}

// packageClause: the name in a Go file's package clause, as driver/compile.py's _PACKAGE
// reads it: the first line that starts with `package`, blanks, an identifier.
func packageClause(src []byte) string {
	for len(src) > 0 {
		var line []byte
		line, src, _ = bytes.Cut(src, []byte("\n"))
		rest, ok := bytes.CutPrefix(line, []byte("package"))
		if !ok || len(rest) == 0 || rest[0] != ' ' && rest[0] != '\t' {
			continue
		}
		rest = bytes.TrimLeft(rest, " \t")
		end := 0
		for end < len(rest) && (rest[end] == '_' || rest[end] >= 'a' && rest[end] <= 'z' || rest[end] >= 'A' && rest[end] <= 'Z' ||
			end > 0 && rest[end] >= '0' && rest[end] <= '9') {
			end++
		}
		if end > 0 {
			return string(rest[:end])
		}
	}
	return ""
}
