package main

import (
	"os"
	"path/filepath"
	"testing"
)

// The same table as tests/test_dropin_module.py: a package is the main module's when no
// go.mod (a nested module) and no vendor/ lies between it and the module's directory.
func TestModuleRel(t *testing.T) {
	tmp := t.TempDir()
	root := filepath.Join(tmp, "app")
	for _, name := range []string{"go.mod", "cmd/app/main.go", "spawner/go.mod", "spawner/inner/x.go",
		"vendor/github.com/x/y/y.go", "vendored/z.go", "../elsewhere/e.go"} {
		path := filepath.Join(root, name)
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, nil, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	for pkg, want := range map[string]string{
		".": ".", "cmd/app": "cmd/app", "spawner": "", "spawner/inner": "",
		"vendor/github.com/x/y": "", "vendored": "vendored", "../elsewhere": "",
	} {
		if got := moduleRel(root, filepath.Clean(filepath.Join(root, pkg))); got != want {
			t.Errorf("moduleRel(%q) = %q, want %q", pkg, got, want)
		}
	}
}
