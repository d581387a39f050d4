package main

import (
	"bytes"
	"strings"
	"unicode/utf8"
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
// ["path", p], ["imports", p], ["name", n], ["glob", glob], ["root", glob|null],
// ["testmain", bool], ["all", [...]], ["any", [...]], ["not", g], ["may", g]; glob and root
// take a package glob (globMatch). all and any
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

func matches(pattern any, s string) bool {
	glob, ok := pattern.(string)
	return !ok || globMatch(glob, s)
}

// globMatch: whether s matches a package glob as toolweave/packagegate.py's glob_regex reads
// it: `*` any run of characters but '/', `**/` any number of leading segments (none
// included), `**` any characters, `?` one character but '/', `[set]` / `[!set]` (or `[^set]`)
// one character in (not in) the set, with ranges; anything else stands for itself. Written
// by hand: the regexp package would cost every call its initialisation and compiles.
func globMatch(pattern, s string) bool {
	for pattern != "" {
		switch {
		case strings.HasPrefix(pattern, "**/"):
			rest := pattern[3:]
			if globMatch(rest, s) {
				return true
			}
			for i := 0; i < len(s); i++ {
				if s[i] == '/' && globMatch(rest, s[i+1:]) {
					return true
				}
			}
			return false
		case strings.HasPrefix(pattern, "**"):
			for i := 0; i <= len(s); i++ {
				if globMatch(pattern[2:], s[i:]) {
					return true
				}
			}
			return false
		case pattern[0] == '*':
			for i := 0; ; i++ {
				if globMatch(pattern[1:], s[i:]) {
					return true
				}
				if i == len(s) || s[i] == '/' {
					return false
				}
			}
		}
		r, n := utf8.DecodeRuneInString(s)
		if s == "" {
			return false
		}
		switch pattern[0] {
		case '?':
			if r == '/' {
				return false
			}
			pattern = pattern[1:]
		case '[':
			end := strings.IndexByte(pattern[1:], ']')
			if end < 0 || !inSet(pattern[1:1+end], r) {
				return false
			}
			pattern = pattern[2+end:]
		default:
			p, m := utf8.DecodeRuneInString(pattern)
			if p != r {
				return false
			}
			pattern = pattern[m:]
		}
		s = s[n:]
	}
	return s == ""
}

// inSet: whether r is in a glob's set (the text between '[' and ']').
func inSet(set string, r rune) bool {
	negated := strings.HasPrefix(set, "!") || strings.HasPrefix(set, "^")
	if negated {
		set = set[1:]
	}
	in := false
	for set != "" {
		lo, n := utf8.DecodeRuneInString(set)
		set = set[n:]
		hi := lo
		if len(set) >= 2 && set[0] == '-' {
			hi, n = utf8.DecodeRuneInString(set[1:])
			set = set[1+n:]
		}
		if lo <= r && r <= hi {
			in = true
		}
	}
	return in != negated
}

// mayMatch evaluates a file prefilter (toolweave/prefilter.py): true, false,
// ["has", needle], ["all", [...]], ["any", [...]]; needles as needles() left them.
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
			needle, _ := v[1].([]byte)
			return bytes.Contains(data, needle)
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

// needles turns the strings of a prefilter's ["has", s] into the bytes to look for, once
// per plan instead of once per file, and returns the prefilter.
func needles(pf any) any {
	if v, ok := pf.([]any); ok && len(v) == 2 {
		switch v[0] {
		case "has":
			s, _ := v[1].(string)
			v[1] = latin1(s)
		case "all", "any":
			parts, _ := v[1].([]any)
			for _, part := range parts {
				needles(part)
			}
		}
	}
	return pf
}

// latin1: a prefilter's needle is its bytes decoded as latin-1 (every rune < 256).
func latin1(s string) []byte {
	out := make([]byte, 0, len(s))
	for _, r := range s {
		out = append(out, byte(r))
	}
	return out
}
