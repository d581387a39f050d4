package main

import (
	"encoding/json"
	"os"
	"testing"
)

// TestGatesAndPrefiltersAgreeWithPython reads cases that tests/aspect/test_packagegate.py
// computed with Python's evaluators (TOOLWEAVE_GATE_CASES names the file), the gate and the
// prefilter of each as the plan writes them, and checks that the launcher reads and answers
// them the same.
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
		Gate      string `json:"gate"`
		Prefilter string `json:"prefilter"`
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
		values, ok := parseValues(c.Gate + " " + c.Prefilter)
		if !ok || len(values) != 2 {
			t.Fatalf("case %d: cannot read %s %s", i, c.Gate, c.Prefilter)
		}
		f := known(c.Facts.ImportPath, c.Facts.Name, c.Facts.Imports, c.Facts.ModuleRel, c.Facts.TestMain)
		want := maybe
		if c.Gated != nil {
			want = of(*c.Gated)
		}
		if got := gate(values[0], f); got != want {
			t.Errorf("case %d: gate %s on %s: got %d, want %d", i, c.Gate, c.Facts.ImportPath, got, want)
		}
		if got := mayMatch(needles(values[1]), latin1(c.File)); got != c.Filtered {
			t.Errorf("case %d: prefilter %s: got %v, want %v", i, c.Prefilter, got, c.Filtered)
		}
	}
	t.Logf("%d cases agree", len(cases))
}

// TestValues: the subset of JSON the plan is written in.
func TestValues(t *testing.T) {
	for _, c := range []struct {
		text string
		want string // re-encoded with encoding/json; "" when text must be refused
	}{
		{`null true false`, `[null,true,false]`},
		{`-1 1764751234000000000`, `[-1,1764751234000000000]`},
		{`"a \"b\" \\ \u00e9 é \n"`, `["a \"b\" \\ é é \n"]`},
		{`["all", [["path", "net/http"], null, ["glob", "^[^/]*\\.[^/]*$"]]]`,
			`[["all",[["path","net/http"],null,["glob","^[^/]*\\.[^/]*$"]]]]`},
		{`[]`, `[[]]`},
		{``, `null`},
		{`[1,`, ``}, {`"open`, ``}, {`nope`, ``}, {`[1 2]`, ``},
	} {
		got, ok := parseValues(c.text)
		if c.want == "" {
			if ok {
				t.Errorf("%q: read as %v, want refused", c.text, got)
			}
			continue
		}
		enc, _ := json.Marshal(got)
		if !ok || string(enc) != c.want {
			t.Errorf("%q: got %s (ok %v), want %s", c.text, enc, ok, c.want)
		}
	}
}
