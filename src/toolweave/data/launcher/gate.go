package main

import (
	"bytes"
	"regexp"
)

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

// gate evaluates a package gate (toolweave/packagegate.py): null (unknown), true, false,
// ["path", p], ["imports", p], ["name", n], ["glob", regexp], ["root", regexp|null],
// ["testmain", bool], ["all", [...]], ["any", [...]], ["not", g], ["may", g]. all and any
// stop at the first part that settles them (Python writes the cheap parts first); the facts
// a part needs are read when it is evaluated.
func gate(g any, f *facts) tri {
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
			return of(f.imported(s))
		case "name":
			return of(v[1] == f.packageName())
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
			settled := of(!all) // all: the first no; any: the first yes
			out := of(all)
			for _, part := range parts {
				r := gate(part, f)
				if r == settled {
					return r
				}
				if r == maybe {
					out = maybe
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

// mayMatch evaluates a file prefilter (toolweave/prefilter.py): true, false,
// ["has", needle], ["all", [...]], ["any", [...]].
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
