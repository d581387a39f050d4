package twsql

import "strings"

// Sanitize replaces the literal values in a SQL statement by "?", for db.query.text:
//
//   - string literals: '…' (a doubled quote or a backslash escape stays inside the literal),
//     with an optional prefix letter as in E'…', N'…', X'…', B'…', and PostgreSQL dollar
//     quoting $$…$$ / $tag$…$tag$;
//   - numbers: 42, 3.14, .5, 1e-3, 0x1F (not digits inside names such as t1 or
//     placeholders such as $1, :1, @p1).
//
// Everything else stays as written: keywords, names (also "quoted" and `quoted` ones),
// placeholders, comments, TRUE/FALSE/NULL. An unterminated literal is replaced up to the
// end. It errs on the side of hiding: treating backslash as an escape (MySQL) can only make
// a PostgreSQL literal ending in a backslash swallow more of the statement, never show a
// value.
//
// Sanitize follows standard SQL, where "…" is a name. Open and OpenDB use it for every
// system except MySQL and unknown ones, where "…" is taken for a string literal too.
func Sanitize(query string) string { return sanitize(query, false) }

// SanitizeDoubleQuoted is Sanitize where "…" is a string literal too (MySQL's default mode,
// and the statements gorm's SQLite dialector writes its values into).
func SanitizeDoubleQuoted(query string) string { return sanitize(query, true) }

// sanitize is Sanitize; with dqString, "…" is a string literal (MySQL's default mode).
func sanitize(query string, dqString bool) string {
	w := rewriter{src: query}
	n := len(query)
	for i := 0; i < n; {
		c := query[i]
		switch {
		case c == '\'' || (c == '"' && dqString):
			i = skipQuoted(query, i, c, true)
			w.literal()
		case c == '"' || c == '`':
			j := skipQuoted(query, i, c, false)
			w.keep(i, j)
			i = j
		case c == '-' && i+1 < n && query[i+1] == '-':
			j := strings.IndexByte(query[i:], '\n')
			if j < 0 {
				j = n - i
			}
			w.keep(i, i+j)
			i += j
		case c == '/' && i+1 < n && query[i+1] == '*':
			j := strings.Index(query[i+2:], "*/")
			end := n
			if j >= 0 {
				end = i + 2 + j + 2
			}
			w.keep(i, end)
			i = end
		case c == '$' && !identByte(prev(query, i)):
			if end, ok := dollarQuoted(query, i); ok {
				w.literal()
				i = end
				break
			}
			// A placeholder such as $1: copy the $ and its digits.
			j := i + 1
			for j < n && isDigit(query[j]) {
				j++
			}
			w.keep(i, j)
			i = j
		case isLetter(c) || c == '_' || c >= 0x80:
			j := i
			for j < n && identByte(query[j]) {
				j++
			}
			// E'…', N'…', X'…', B'…', U&'…' count as one string literal.
			if j == i+1 && j < n && query[j] == '\'' && strings.ContainsRune("eEnNxXbB", rune(c)) {
				i = skipQuoted(query, j, '\'', true)
				w.literal()
				break
			}
			w.keep(i, j)
			i = j
		case (c == ':' || c == '@' || c == '?') && i+1 < n && isDigit(query[i+1]):
			// Numbered placeholders :1, @1 and ?1 keep their number.
			j := i + 1
			for j < n && isDigit(query[j]) {
				j++
			}
			w.keep(i, j)
			i = j
		case isDigit(c) || (c == '.' && i+1 < n && isDigit(query[i+1]) && !identByte(prev(query, i))):
			i = skipNumber(query, i)
			w.literal()
		default:
			w.keep(i, i+1)
			i++
		}
	}
	return w.String()
}

// rewriter builds the sanitized text lazily: until the first literal it only advances
// over the query, so a statement with no literal (the usual case, where values are passed
// as arguments) is returned as it is, with no allocation.
type rewriter struct {
	src      string
	kept     int // while nothing is replaced, the output is src[:kept]
	replaced bool
	b        strings.Builder
}

// keep appends src[i:j], which starts where the output ends.
func (w *rewriter) keep(i, j int) {
	if !w.replaced {
		w.kept = j
		return
	}
	w.b.WriteString(w.src[i:j])
}

// literal appends the "?" that stands for a literal.
func (w *rewriter) literal() {
	if !w.replaced {
		w.replaced = true
		w.b.Grow(len(w.src))
		w.b.WriteString(w.src[:w.kept])
	}
	w.b.WriteByte('?')
}

func (w *rewriter) String() string {
	if !w.replaced {
		return w.src[:w.kept]
	}
	return w.b.String()
}

// skipQuoted returns the index after the quoted text that starts at i with quote q: a
// doubled quote continues it and, if backslash is set, so does a backslash escape. An
// unterminated text runs to the end.
func skipQuoted(s string, i int, q byte, backslash bool) int {
	for j := i + 1; j < len(s); j++ {
		switch s[j] {
		case '\\':
			if backslash {
				j++
			}
		case q:
			if j+1 < len(s) && s[j+1] == q {
				j++
				continue
			}
			return j + 1
		}
	}
	return len(s)
}

// dollarQuoted recognises a PostgreSQL dollar-quoted string $tag$…$tag$ (the tag may be
// empty, and does not start with a digit) at i and returns the index after it.
func dollarQuoted(s string, i int) (int, bool) {
	j := i + 1
	if j < len(s) && isDigit(s[j]) {
		return 0, false
	}
	for j < len(s) && identByte(s[j]) && s[j] != '$' {
		j++
	}
	if j >= len(s) || s[j] != '$' {
		return 0, false
	}
	tag := s[i : j+1]
	if k := strings.Index(s[j+1:], tag); k >= 0 {
		return j + 1 + k + len(tag), true
	}
	return len(s), true
}

// skipNumber returns the index after the numeric literal at i: hexadecimal 0x…, or digits
// with an optional fraction and exponent.
func skipNumber(s string, i int) int {
	n := len(s)
	if s[i] == '0' && i+1 < n && (s[i+1] == 'x' || s[i+1] == 'X') {
		j := i + 2
		for j < n && isHex(s[j]) {
			j++
		}
		return j
	}
	j := i
	for j < n && isDigit(s[j]) {
		j++
	}
	if j < n && s[j] == '.' {
		j++
		for j < n && isDigit(s[j]) {
			j++
		}
	}
	if j < n && (s[j] == 'e' || s[j] == 'E') {
		k := j + 1
		if k < n && (s[k] == '+' || s[k] == '-') {
			k++
		}
		if k < n && isDigit(s[k]) {
			for k < n && isDigit(s[k]) {
				k++
			}
			j = k
		}
	}
	return j
}

func prev(s string, i int) byte {
	if i == 0 {
		return ' '
	}
	return s[i-1]
}

func isDigit(c byte) bool  { return '0' <= c && c <= '9' }
func isLetter(c byte) bool { return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' }
func isHex(c byte) bool    { return isDigit(c) || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F' }

// identByte is a byte that continues a name (or a placeholder such as $1 or :name).
func identByte(c byte) bool { return isLetter(c) || isDigit(c) || c == '_' || c == '$' || c >= 0x80 }
