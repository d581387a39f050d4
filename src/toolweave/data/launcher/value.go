package main

import (
	"strconv"
	"strings"
)

// The plan's values are a subset of JSON, the subset Python's json.dumps(ensure_ascii=False)
// writes for them: arrays, strings, integers, null, true, false; decoded to the types
// encoding/json would give (int64 for integers), without its reflection and start-up cost.

// parseValues reads space-separated values to the end of s.
func parseValues(s string) ([]any, bool) {
	var out []any
	for {
		s = strings.TrimLeft(s, " \t")
		if s == "" {
			return out, true
		}
		v, rest, ok := parseValue(s)
		if !ok {
			return nil, false
		}
		out, s = append(out, v), rest
	}
}

// parseValue reads one value at the start of s (no leading space) and returns the rest.
func parseValue(s string) (any, string, bool) {
	switch {
	case s == "":
		return nil, s, false
	case s[0] == '"':
		text, rest, ok := parseString(s)
		return text, rest, ok
	case s[0] == '[':
		return parseArray(s[1:])
	case strings.HasPrefix(s, "null"):
		return nil, s[4:], true
	case strings.HasPrefix(s, "true"):
		return true, s[4:], true
	case strings.HasPrefix(s, "false"):
		return false, s[5:], true
	}
	end := 0
	for end < len(s) && (s[end] == '-' || s[end] >= '0' && s[end] <= '9') {
		end++
	}
	n, err := strconv.ParseInt(s[:end], 10, 64)
	return n, s[end:], err == nil
}

// parseString reads the string at the start of s (s[0] == '"') and returns the rest.
func parseString(s string) (string, string, bool) {
	// most strings of a plan have no escape: the text between the quotes is the value
	if end := strings.IndexAny(s[1:], "\"\\"); end >= 0 && s[1+end] == '"' {
		return s[1 : 1+end], s[2+end:], true
	}
	quoted, err := strconv.QuotedPrefix(s)
	if err != nil {
		return "", s, false
	}
	text, err := strconv.Unquote(quoted)
	return text, s[len(quoted):], err == nil
}

// onlyString: s is one string value and nothing else.
func onlyString(s string) (string, bool) {
	if !strings.HasPrefix(s, "\"") {
		return "", false
	}
	text, rest, ok := parseString(s)
	return text, ok && strings.TrimSpace(rest) == ""
}

// parseArray reads the elements after '[' up to the matching ']'.
func parseArray(s string) (any, string, bool) {
	out := []any{}
	s = strings.TrimLeft(s, " ")
	if strings.HasPrefix(s, "]") {
		return out, s[1:], true
	}
	for {
		v, rest, ok := parseValue(s)
		if !ok {
			return nil, s, false
		}
		out = append(out, v)
		s = strings.TrimLeft(rest, " ")
		switch {
		case strings.HasPrefix(s, ","):
			s = strings.TrimLeft(s[1:], " ")
		case strings.HasPrefix(s, "]"):
			return out, s[1:], true
		default:
			return nil, s, false
		}
	}
}
