package twsql

import "testing"

func TestSanitize(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{"SELECT 1", "SELECT ?"},
		{"SELECT * FROM users WHERE id = 42", "SELECT * FROM users WHERE id = ?"},
		{"SELECT * FROM t WHERE name = 'bob' AND age > 30", "SELECT * FROM t WHERE name = ? AND age > ?"},
		{"INSERT INTO t (a, b) VALUES ('it''s', -3.25)", "INSERT INTO t (a, b) VALUES (?, -?)"},
		{`SELECT 'a\'b' , c`, "SELECT ? , c"},
		{"SELECT 1.5e10, 2E-3, .5, 7., 0x1F, 0XAB", "SELECT ?, ?, ?, ?, ?, ?"},
		{"SELECT E'\\n', N'ünï', X'ABCD', b'0101'", "SELECT ?, ?, ?, ?"},
		{"SELECT t1.c2, table_3 FROM s1.t1", "SELECT t1.c2, table_3 FROM s1.t1"},
		{"WHERE a = $1 AND b = $12 AND c = ? AND d = :1 AND e = @p1 AND f = :name AND g = ?2", "WHERE a = $1 AND b = $12 AND c = ? AND d = :1 AND e = @p1 AND f = :name AND g = ?2"},
		{`SELECT "user"."id", "a""b" FROM "user" WHERE x = 'y'`, `SELECT "user"."id", "a""b" FROM "user" WHERE x = ?`},
		{"SELECT `order` FROM `t1` WHERE v = 5", "SELECT `order` FROM `t1` WHERE v = ?"},
		{"SELECT 1 -- trailing 'comment'\nFROM t", "SELECT ? -- trailing 'comment'\nFROM t"},
		{"SELECT /* it's 5 */ 5", "SELECT /* it's 5 */ ?"},
		{"SELECT /* unterminated", "SELECT /* unterminated"},
		{"SELECT $$body with 'quotes' and 1$$, $fn$x$fn$, 3", "SELECT ?, ?, ?"},
		{"SELECT $tag$never closed", "SELECT ?"},
		{"SELECT 'unterminated", "SELECT ?"},
		{"SELECT a::int, b::text FROM t WHERE c IS NULL AND d = TRUE", "SELECT a::int, b::text FROM t WHERE c IS NULL AND d = TRUE"},
		{"SELECT price*2-1 FROM t", "SELECT price*?-? FROM t"},
		{"SELECT data->>'key' FROM t WHERE arr[1] = 2", "SELECT data->>? FROM t WHERE arr[?] = ?"},
		{"SELECT café, ü1 FROM tàble WHERE x = 'ß'", "SELECT café, ü1 FROM tàble WHERE x = ?"},
		{"", ""},
		{"'", "?"},
		{"$", "$"},
		{"0x", "?"},
	} {
		if got := Sanitize(c.in); got != c.want {
			t.Errorf("Sanitize(%q)\n got %q\nwant %q", c.in, got, c.want)
		}
	}
}

func TestSanitizeDoubleQuotedStrings(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{`SELECT * FROM t WHERE email = "bob@example.com" AND n = 1`, `SELECT * FROM t WHERE email = ? AND n = ?`},
		{`SELECT "a\"b", 'c'`, `SELECT ?, ?`},
		{"SELECT `col` FROM `t`", "SELECT `col` FROM `t`"},
	} {
		if got := sanitize(c.in, true); got != c.want {
			t.Errorf("sanitize(%q, true)\n got %q\nwant %q", c.in, got, c.want)
		}
	}
}

// A statement with no literal is returned as it is, without a copy: the common case costs
// nothing per query.
func TestSanitizeWithoutLiteralsDoesNotAllocate(t *testing.T) {
	q := "SELECT name, price FROM items WHERE id = ? AND tag = $1 -- it's 'fine'"
	if got := Sanitize(q); got != q {
		t.Fatalf("Sanitize(%q) = %q", q, got)
	}
	if n := testing.AllocsPerRun(100, func() { _ = Sanitize(q) }); n != 0 {
		t.Errorf("Sanitize of a statement without literals allocates %v times", n)
	}
}

// Sanitize never panics and never makes a statement longer (every literal becomes one "?").
func FuzzSanitize(f *testing.F) {
	for _, s := range []string{"SELECT 'secret'", "x = 'a''b' + 'c\\'d'", "$$secret$$", "E'secret'", "0x1f.5e+", "$a$ $1 :1 @1 ?1"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, q string) {
		for _, dq := range []bool{false, true} {
			if out := sanitize(q, dq); len(out) > len(q) {
				t.Fatalf("sanitize(%q, %v) = %q is longer", q, dq, out)
			}
		}
	})
}

func BenchmarkSanitize(b *testing.B) {
	q := "SELECT u.id, u.name FROM users u JOIN orders o ON o.user_id = u.id WHERE u.email = 'bob@example.com' AND o.total > 100.50 AND o.created_at > $1 LIMIT 20"
	b.ReportAllocs()
	for b.Loop() {
		Sanitize(q)
	}
}

// The cost of the default (sanitized db.query.text) on a statement without literals, such
// as bench/apps/multi's: one scan, no allocation (bench/loadbench.py's toolweave-default).
func BenchmarkSanitizeWithoutLiterals(b *testing.B) {
	q := "SELECT name, price FROM items WHERE id = ?"
	b.ReportAllocs()
	for b.Loop() {
		Sanitize(q)
	}
}
