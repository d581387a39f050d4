// Command typefacts type-checks one Go package with go/types and prints the type facts
// toolweave's weaver asks about, as JSON.
//
// Input (JSON on stdin): the package's import path, language version, files, the export
// data of its imports (import path -> archive, as in a compile's -importcfg; importmap
// entries map a source import path to the package it denotes) and the interfaces the
// aspects ask about ("io.Reader", "error", "context.Context").
//
// Output (JSON on stdout), per file, byte offsets (not positions after //line directives):
//   - operands: for every method selection x.M, [start, end, type of x, receiver type of
//     M's declaration] (they differ for promoted methods and interface methods);
//   - types: for every receiver, parameter and result type expression of a function
//     declaration or literal (the element type of `...T`), [start, end, type, implements]
//     where implements has one '0'/'1' per requested interface, by the Go specification
//     (the method set of a value type excludes pointer-receiver methods).
//
// Type names print with full import paths (`*net/http.Client`), aliases resolved, type
// arguments dropped. Type errors do not stop it: facts of what did check are still printed,
// and the first errors are reported, so a package with a cgo file or a missing import still
// answers for the rest.
package main

import (
	"encoding/json"
	"fmt"
	"go/ast"
	"go/importer"
	"go/parser"
	"go/token"
	"go/types"
	"io"
	"os"
	"strings"
)

type request struct {
	Path       string            `json:"path"`
	Lang       string            `json:"lang"`
	Files      []string          `json:"files"`
	Exports    map[string]string `json:"exports"`
	ImportMap  map[string]string `json:"importmap"`
	Interfaces []string          `json:"interfaces"`
}

type fileFacts struct {
	Operands [][]any `json:"operands"`
	Types    [][]any `json:"types"`
}

type response struct {
	Files  map[string]*fileFacts `json:"files"`
	Errors []string              `json:"errors"`
}

const maxErrors = 5

func main() {
	var req request
	if err := json.NewDecoder(os.Stdin).Decode(&req); err != nil {
		fail(fmt.Errorf("reading the request: %w", err))
	}
	out, err := run(&req)
	if err != nil {
		fail(err)
	}
	if err := json.NewEncoder(os.Stdout).Encode(out); err != nil {
		fail(err)
	}
}

func fail(err error) {
	fmt.Fprintln(os.Stderr, "typefacts:", err)
	os.Exit(1)
}

// mappedImporter resolves import paths through the importmap, then the export data.
type mappedImporter struct {
	gc   types.Importer
	path map[string]string
}

func (m mappedImporter) Import(path string) (*types.Package, error) {
	if real, ok := m.path[path]; ok {
		path = real
	}
	return m.gc.Import(path)
}

func run(req *request) (*response, error) {
	fset := token.NewFileSet()
	files := make([]*ast.File, 0, len(req.Files))
	names := map[*ast.File]string{}
	res := &response{Files: map[string]*fileFacts{}}
	for _, name := range req.Files {
		f, err := parser.ParseFile(fset, name, nil, parser.SkipObjectResolution)
		if f == nil {
			return nil, err
		}
		if err != nil {
			res.note(err)
		}
		files = append(files, f)
		names[f] = name
	}
	lookup := func(path string) (io.ReadCloser, error) {
		file := req.Exports[path]
		if file == "" {
			return nil, fmt.Errorf("no export data for %s", path)
		}
		return os.Open(file)
	}
	imp := mappedImporter{importer.ForCompiler(fset, "gc", lookup), req.ImportMap}
	info := &types.Info{
		Types:      map[ast.Expr]types.TypeAndValue{},
		Selections: map[*ast.SelectorExpr]*types.Selection{},
	}
	conf := types.Config{Importer: imp, FakeImportC: true, GoVersion: req.Lang, Error: res.note}
	pkg, _ := conf.Check(req.Path, fset, files, info)
	ifaces := resolveInterfaces(req.Interfaces, pkg, imp)
	for _, f := range files {
		res.Files[names[f]] = collect(fset, f, info, ifaces)
	}
	return res, nil
}

func (r *response) note(err error) {
	if len(r.Errors) < maxErrors {
		r.Errors = append(r.Errors, err.Error())
	}
}

// resolveInterfaces finds each "[path.]Name" interface; nil where it cannot (then nothing
// is said to implement it).
func resolveInterfaces(names []string, self *types.Package, imp types.Importer) []*types.Interface {
	out := make([]*types.Interface, len(names))
	for i, name := range names {
		path, local := "", name
		if dot := strings.LastIndex(name, "."); dot >= 0 {
			path, local = name[:dot], name[dot+1:]
		}
		var scope *types.Scope
		switch {
		case path == "":
			scope = types.Universe
		case self != nil && path == self.Path():
			scope = self.Scope()
		default:
			p, err := imp.Import(path)
			if err != nil || p == nil {
				continue
			}
			scope = p.Scope()
		}
		if obj, ok := scope.Lookup(local).(*types.TypeName); ok {
			if iface, ok := obj.Type().Underlying().(*types.Interface); ok {
				out[i] = iface
			}
		}
	}
	return out
}

func collect(fset *token.FileSet, f *ast.File, info *types.Info, ifaces []*types.Interface) *fileFacts {
	facts := &fileFacts{Operands: [][]any{}, Types: [][]any{}}
	offset := func(p token.Pos) int { return fset.PositionFor(p, false).Offset }
	addFields := func(list *ast.FieldList) {
		if list == nil {
			return
		}
		for _, field := range list.List {
			expr := field.Type
			if e, ok := expr.(*ast.Ellipsis); ok {
				expr = e.Elt
			}
			tv, ok := info.Types[expr]
			if !ok || tv.Type == nil {
				continue
			}
			facts.Types = append(facts.Types, []any{offset(expr.Pos()), offset(expr.End()), typeName(tv.Type),
				implementsAll(tv.Type, ifaces)})
		}
	}
	ast.Inspect(f, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.FuncDecl:
			addFields(n.Recv)
			addFields(n.Type.Params)
			addFields(n.Type.Results)
		case *ast.FuncLit:
			addFields(n.Type.Params)
			addFields(n.Type.Results)
		case *ast.SelectorExpr:
			sel := info.Selections[n]
			if sel == nil || sel.Kind() != types.MethodVal {
				return true
			}
			recv := ""
			if sig, ok := sel.Obj().Type().(*types.Signature); ok && sig.Recv() != nil {
				recv = typeName(sig.Recv().Type())
			}
			facts.Operands = append(facts.Operands, []any{offset(n.X.Pos()), offset(n.X.End()), typeName(sel.Recv()), recv})
		}
		return true
	})
	return facts
}

func implementsAll(t types.Type, ifaces []*types.Interface) string {
	var b strings.Builder
	for _, iface := range ifaces {
		if iface != nil && types.Implements(t, iface) {
			b.WriteByte('1')
		} else {
			b.WriteByte('0')
		}
	}
	return b.String()
}

// typeName prints a type as the aspect language names it: full import paths, no type
// arguments, aliases resolved, the empty interface as "any".
func typeName(t types.Type) string {
	t = types.Unalias(t)
	switch t := t.(type) {
	case *types.Pointer:
		return "*" + typeName(t.Elem())
	case *types.Slice:
		return "[]" + typeName(t.Elem())
	case *types.Named:
		obj := t.Obj()
		if obj.Pkg() == nil {
			return obj.Name()
		}
		return obj.Pkg().Path() + "." + obj.Name()
	case *types.Interface:
		if t.Empty() {
			return "any"
		}
	}
	return types.TypeString(t, func(p *types.Package) string { return p.Path() })
}
