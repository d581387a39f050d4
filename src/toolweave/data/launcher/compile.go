package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"syscall"
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
	var prefilters []any // of the gates that may let the package through
	for _, g := range p.gates {
		if gate(g.gate, f) != no {
			prefilters = append(prefilters, g.prefilter)
		}
	}
	if len(prefilters) == 0 {
		return
	}
	var buf []byte // one buffer for every file: a page of memory costs as much as reading it
	for i, path := range f.paths {
		data := f.first
		if i > 0 || data == nil {
			var err error
			if buf, err = readFile(path, buf); err != nil {
				toPython("")
			}
			data = buf
		}
		for _, pf := range prefilters {
			if mayMatch(pf, data) {
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

// weavable mirrors driver/plan.py's weavable_path.
func weavable(p *plan, path string) bool {
	if path == p.runtime || strings.HasPrefix(path, p.runtime+"/") {
		return false
	}
	for _, q := range p.protected {
		if q == path {
			return false
		}
	}
	if p.modulePath != "" && (path == p.modulePath || strings.HasPrefix(path, p.modulePath+"/")) {
		return true // the main module, even under an instrumentation library's path
	}
	for _, n := range p.never {
		if strings.HasPrefix(path, n) || path == strings.TrimSuffix(n, "/") {
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
	imports string // the importcfg after a newline; "" until read
	first   []byte // the first file; nil until read
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
	if p.moduleDir != "" && pkgDir != "" {
		f.moduleRel = moduleRel(p.moduleDir, pkgDir)
	}
	return f
}

// moduleRel is pkgDir relative to the main module's directory, "" when the package is not the
// main module's: outside its tree, under vendor/, or in a module nested in it (a go.mod between
// them). As driver/compile.py's _module_rel.
func moduleRel(moduleDir, pkgDir string) string {
	if pkgDir == moduleDir {
		return "."
	}
	if !strings.HasPrefix(pkgDir, moduleDir+string(filepath.Separator)) {
		return ""
	}
	rel, err := filepath.Rel(moduleDir, pkgDir)
	if err != nil {
		return ""
	}
	rel = filepath.ToSlash(rel)
	if rel == "vendor" || strings.HasPrefix(rel, "vendor/") {
		return ""
	}
	for d := pkgDir; d != moduleDir && len(d) > len(moduleDir); d = filepath.Dir(d) {
		if _, err := os.Stat(filepath.Join(d, "go.mod")); err == nil {
			return ""
		}
	}
	return rel
}

// known: facts given whole (gate_test.go).
func known(importPath, name string, imports []string, moduleRel string, testMain bool) *facts {
	f := &facts{importPath: importPath, moduleRel: moduleRel, testMain: testMain, name: &name, imports: "\n"}
	for _, imp := range imports {
		f.imports += "packagefile " + imp + "=/dev/null\n"
	}
	return f
}

// imported: the importcfg has a packagefile or importmap line for path.
func (f *facts) imported(path string) bool {
	if f.imports == "" {
		data, err := os.ReadFile(f.cfg)
		if err != nil {
			toPython("")
		}
		f.imports = "\n" + string(data)
	}
	return strings.Contains(f.imports, "\npackagefile "+path+"=") || strings.Contains(f.imports, "\nimportmap "+path+"=")
}

func (f *facts) packageName() string {
	if f.name == nil {
		name := ""
		if len(f.paths) > 0 {
			data, err := readFile(f.paths[0], nil)
			if err != nil {
				toPython("")
			}
			f.first, name = data, packageClause(data)
		}
		f.name = &name
	}
	return *f.name
}

// readFile reads a file into buf (grown when too small) and returns its contents.
func readFile(path string, buf []byte) ([]byte, error) {
	fd, err := syscall.Open(path, syscall.O_RDONLY|syscall.O_CLOEXEC, 0)
	if err != nil {
		return nil, err
	}
	defer syscall.Close(fd)
	var st syscall.Stat_t
	if err := syscall.Fstat(fd, &st); err != nil {
		return nil, err
	}
	size := int(st.Size)
	if cap(buf) < size+1 {
		buf = make([]byte, 0, size+size/4+512)
	}
	buf = buf[:0]
	for {
		n, err := syscall.Read(fd, buf[len(buf):cap(buf)])
		if err == syscall.EINTR {
			continue
		}
		if err != nil {
			return nil, err
		}
		buf = buf[:len(buf)+n]
		if n == 0 || size > 0 && len(buf) >= size {
			return buf, nil // the end, or all the size it had: no read to find the end
		}
		if len(buf) == cap(buf) {
			buf = append(buf, 0)[:len(buf)]
		}
	}
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
