package main

import (
	"encoding/json"
	"os"
	"testing"
)

// TestGatesAndPrefiltersAgreeWithPython reads cases that tests/aspect/test_packagegate.py
// computed with Python's evaluators (TOOLWEAVE_GATE_CASES names the file) and checks that
// the launcher answers the same.
func TestGatesAndPrefiltersAgreeWithPython(t *testing.T) {
	path := os.Getenv("TOOLWEAVE_GATE_CASES")
	if path == "" {
		t.Skip("run from tests/aspect/test_packagegate.py")
	}
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var cases []struct {
		Gate      any    `json:"gate"`
		Prefilter any    `json:"prefilter"`
		File      string `json:"file"`
		Facts     struct {
			ImportPath string   `json:"import_path"`
			Name       string   `json:"name"`
			Imports    []string `json:"imports"`
			ModuleRel  string   `json:"module_rel"`
			TestMain   bool     `json:"test_main"`
		} `json:"facts"`
		Gated    *bool `json:"gated"` // Python's evaluate: true, false or null
		Filtered bool  `json:"filtered"`
	}
	if err := json.Unmarshal(data, &cases); err != nil {
		t.Fatal(err)
	}
	for i, c := range cases {
		f := facts{importPath: c.Facts.ImportPath, name: c.Facts.Name, imports: map[string]bool{},
			moduleRel: c.Facts.ModuleRel, testMain: c.Facts.TestMain}
		for _, imp := range c.Facts.Imports {
			f.imports[imp] = true
		}
		want := maybe
		if c.Gated != nil {
			want = of(*c.Gated)
		}
		if got := gate(c.Gate, f); got != want {
			t.Errorf("case %d: gate %v on %s: got %d, want %d", i, c.Gate, c.Facts.ImportPath, got, want)
		}
		if got := mayMatch(c.Prefilter, latin1(c.File)); got != c.Filtered {
			t.Errorf("case %d: prefilter %v: got %v, want %v", i, c.Prefilter, got, c.Filtered)
		}
	}
	t.Logf("%d cases agree", len(cases))
}
