"""Instrumented calls without a context (aspect/contextless.py, driver/contextless.py): Go
sources parsed with tree-sitter -> findings; the list section; the once-per-module note."""

from __future__ import annotations

import io
import textwrap
from pathlib import Path

import pytest

from toolweave.aspect.contextless import INTEGRATIONS, Finding, scan_source, wanted
from toolweave.aspect.facts import PackageFacts
from toolweave.driver import contextless
from toolweave.driver.cache import Cache
from toolweave.driver.golist import Module, Package
from toolweave.config import Config

ALL = INTEGRATIONS
SQL_PKG = PackageFacts(import_path="example.com/app", name="app", imports=frozenset({"database/sql"}))
PLAIN_PKG = PackageFacts(import_path="example.com/app", name="app", imports=frozenset({"strings"}))


def go(text: str) -> bytes:
    return textwrap.dedent(text).lstrip("\n").encode()


def found(src: bytes, package: PackageFacts = SQL_PKG, integrations=ALL) -> list[str]:
    return [f"{f.line}: {f.describe()}" for f in scan_source("app.go", src, package, integrations)]


# (name, Go source, expected findings "LINE: call (integration: fix)")
FINDINGS = [
    ("sql-db-query", """
        package app

        import "database/sql"

        func list(db *sql.DB, q string) {
        	rows, _ := db.Query(q)
        	_ = rows
        }
     """, ["6: db.Query (database/sql: use QueryContext)"]),
    ("sql-through-a-field-of-another-files-struct", """
        package app

        func (s *Store) get(id int64) {
        	s.db.QueryRow(`SELECT name FROM items WHERE id = ?`, id).Scan()
        }
     """, ["4: s.db.QueryRow (database/sql: use QueryRowContext)"]),
    ("sql-exec-prepare-begin", """
        package app

        import "database/sql"

        func write(db *sql.DB, tx *sql.Tx, q string, args ...any) {
        	tx.Exec(q, args...)
        	db.Prepare(q)
        	db.Begin()
        	stmt.Exec()
        }
     """, ["6: tx.Exec (database/sql: use ExecContext)", "7: db.Prepare (database/sql: use PrepareContext)",
           "8: db.Begin (database/sql: use BeginTx)", "9: stmt.Exec (database/sql: use ExecContext)"]),
    ("sql-call-split-over-lines", """
        package app

        func count(s *Store) {
        	s.db.
        		Query("SELECT 1")
        }
     """, ["5: s.db.Query (database/sql: use QueryContext)"]),
    ("http-package-functions", """
        package app

        import (
        	"net/http"
        	"net/url"
        	"strings"
        )

        func call(u string) {
        	http.Get(u)
        	http.Head(u)
        	http.Post(u, "text/plain", strings.NewReader("x"))
        	http.PostForm(u, url.Values{})
        	http.NewRequest("GET", u, nil)
        }
     """, ["10: http.Get (net/http: use NewRequestWithContext and Client.Do)",
           "11: http.Head (net/http: use NewRequestWithContext and Client.Do)",
           "12: http.Post (net/http: use NewRequestWithContext and Client.Do)",
           "13: http.PostForm (net/http: use NewRequestWithContext and Client.Do)",
           "14: http.NewRequest (net/http: use NewRequestWithContext)"]),
    ("http-aliased-import", """
        package app

        import web "net/http"

        func call(u string) { web.Get(u) }
     """, ["5: web.Get (net/http: use NewRequestWithContext and Client.Do)"]),
    ("http-client-methods", """
        package app

        import "net/http"

        var shared = &http.Client{}

        func call(u string, given *http.Client) {
        	http.DefaultClient.Get(u)
        	c := &http.Client{Timeout: 1}
        	c.Head(u)
        	given.PostForm(u, nil)
        	shared.Get(u)
        	var plain http.Client
        	plain.Get(u)
        }
     """, ["8: http.DefaultClient.Get (net/http: use NewRequestWithContext and Client.Do)",
           "10: c.Head (net/http: use NewRequestWithContext and Client.Do)",
           "11: given.PostForm (net/http: use NewRequestWithContext and Client.Do)",
           "12: shared.Get (net/http: use NewRequestWithContext and Client.Do)",
           "14: plain.Get (net/http: use NewRequestWithContext and Client.Do)"]),
    ("slog-package-functions-and-inline-loggers", """
        package app

        import "log/slog"

        func log() {
        	slog.Info("a")
        	slog.Warn("b")
        	slog.Error("c", "k", 1)
        	slog.Debug("d")
        	slog.Default().Info("e")
        	slog.With("k", "v").Error("f")
        }
     """, ["6: slog.Info (log/slog: use InfoContext)", "7: slog.Warn (log/slog: use WarnContext)",
           "8: slog.Error (log/slog: use ErrorContext)", "9: slog.Debug (log/slog: use DebugContext)",
           "10: slog.Default().Info (log/slog: use InfoContext)",
           "11: slog.With(\"k\", \"v\").Error (log/slog: use ErrorContext)"]),
    ("weave-span-functions-without-a-context", """
        package app

        import "context"

        //weave:span
        func tick() error { return nil }

        //weave:span store.op:get
        func (s *Store) Get(id int64) {}

        func outer(ctx context.Context) {
        	//weave:span
        	f := func() {}
        	f()
        }
     """, ["6: func tick (//weave:span: take a ctx context.Context parameter)",
           "9: func Get (//weave:span: take a ctx context.Context parameter)",
           "13: func literal (//weave:span: take a ctx context.Context parameter)"]),
    ("every-kind-in-one-file-in-source-order", """
        package app

        import (
        	"log/slog"
        	"net/http"
        )

        //weave:span
        func handle(u string) {
        	slog.Info("x")
        	s.db.Exec("DELETE FROM t")
        	http.Get(u)
        }
     """, ["9: func handle (//weave:span: take a ctx context.Context parameter)",
           "10: slog.Info (log/slog: use InfoContext)", "11: s.db.Exec (database/sql: use ExecContext)",
           "12: http.Get (net/http: use NewRequestWithContext and Client.Do)"]),
]


@pytest.mark.parametrize("name,src,expected", FINDINGS, ids=[c[0] for c in FINDINGS])
def test_findings(name, src, expected):
    assert found(go(src)) == expected


# (name, Go source, package facts) that must give no finding
NOOP = [
    ("sql-context-variants", """
        package app

        import (
        	"context"
        	"database/sql"
        )

        func list(ctx context.Context, db *sql.DB, q string) {
        	db.QueryContext(ctx, q)
        	db.QueryRowContext(ctx, q)
        	db.ExecContext(ctx, q)
        	db.PrepareContext(ctx, q)
        	db.BeginTx(ctx, nil)
        	db.Ping()
        	db.Close()
        }
     """, SQL_PKG),
    ("a-package-without-database-sql-calling-query", """
        package app

        func list(s *Search, q string) { s.index.Query(q); s.Exec(q) }
     """, PLAIN_PKG),
    ("url-query-in-a-sql-package", """
        package app

        import "net/http"

        func handler(w http.ResponseWriter, r *http.Request) { _ = r.URL.Query().Get("id") }
     """, SQL_PKG),
    ("context-first-apis-of-other-libraries", """
        package app

        import "context"

        func pg(ctx context.Context, conn *pgx.Conn, r *Request) {
        	conn.Query(ctx, "SELECT 1")
        	conn.Exec(r.Context(), "DELETE FROM t")
        	conn.QueryRow(context.Background(), "SELECT 1")
        	conn.Begin(ctx)
        	conn.Prepare(ctx, "n", "SELECT 1")
        }
     """, SQL_PKG),
    ("a-package-qualifier-is-not-a-receiver", """
        package app

        import (
        	"database/sql"
        	q "example.com/querylib"
        )

        func open() { q.Query("x"); q.Exec("y"); sql.Open("sqlite", "") }
     """, SQL_PKG),
    ("http-with-context", """
        package app

        import (
        	"context"
        	"net/http"
        )

        func call(ctx context.Context, c *http.Client, u string) {
        	req, _ := http.NewRequestWithContext(ctx, "GET", u, nil)
        	c.Do(req)
        	http.DefaultClient.Do(req)
        }
     """, PLAIN_PKG),
    ("a-local-named-http-shadows-the-import", """
        package app

        import "net/http"

        type fake struct{}

        func (fake) Get(string) {}

        func call(u string) (*http.Request, error) {
        	http := fake{}
        	http.Get(u)
        	return nil, nil
        }
     """, PLAIN_PKG),
    ("a-client-method-on-something-else", """
        package app

        import "net/http"

        var _ http.Handler

        func call(u string, cache *Cache) {
        	c := myClient{}
        	c.Get(u)
        	cache.Get(u)
        }
     """, PLAIN_PKG),
    ("slog-with-context-and-other-loggers", """
        package app

        import (
        	"context"
        	"log/slog"
        )

        func log(ctx context.Context, logger *slog.Logger, zl *zap.Logger) {
        	slog.InfoContext(ctx, "a")
        	slog.Log(ctx, slog.LevelInfo, "b")
        	slog.LogAttrs(ctx, slog.LevelInfo, "c")
        	logger.Info("d")
        	zl.Error("e")
        	slog.Default().InfoContext(ctx, "f")
        }
     """, PLAIN_PKG),
    ("weave-span-functions-with-a-parent", """
        package app

        import (
        	stdctx "context"
        	"net/http"
        )

        //weave:span
        func withCtx(c stdctx.Context) {}

        //weave:span
        func (a *api) handle(w http.ResponseWriter, r *http.Request) {}

        //weave:span
        func unnamed(stdctx.Context, int) {}

        //weave:spanner
        func other() {}

        func plain() {}
     """, PLAIN_PKG),
    ("weave-ignore-prunes", """
        package app

        import "net/http"

        func call(u string) {
        	//weave:ignore
        	http.Get(u)
        }
     """, PLAIN_PKG),
    ("a-call-in-a-string-or-comment", """
        package app

        // db.Query("SELECT 1") would start a trace of its own
        const doc = `s.db.Exec("x") and http.Get(u) and slog.Info("y")`
     """, SQL_PKG),
]


@pytest.mark.parametrize("name,src,package", NOOP, ids=[c[0] for c in NOOP])
def test_noop(name, src, package):
    assert found(go(src), package) == []


def test_disabled_integrations_find_nothing():
    src = go(FINDINGS[-1][1])
    assert found(src, integrations=frozenset()) == []
    assert [line.split(" (")[1].split(":")[0] for line in found(src, integrations={"nethttp", "slog"})] == [
        "log/slog", "net/http"]


def test_the_byte_test_decides_without_parsing():
    plain = go("""
        package app

        import "strings"

        func f() string { return strings.ToUpper("x") }
    """)
    assert wanted(plain, SQL_PKG, ALL) == frozenset()
    sql_call = go("package app\n\nfunc f() { s.db.Query(q) }\n")
    assert wanted(sql_call, SQL_PKG, ALL) == {"databasesql"}
    assert wanted(sql_call, PLAIN_PKG, ALL) == frozenset()       # the package does not import it
    # imports unknown: the file's own bytes decide
    assert wanted(sql_call, PackageFacts(), ALL) == frozenset()
    assert wanted(b'import "database/sql"\n' + sql_call, PackageFacts(), ALL) == {"databasesql"}


# -- driver/contextless.py: the list section and the note ----------------------------------------


def finding(n: int) -> Finding:
    return Finding(f"/m/pkg/f{n}.go", n, "db.Query", "databasesql", "use QueryContext")


def test_listing_groups_by_package_and_cuts_at_the_limit():
    found_ = [contextless.PackageFindings("example.com/m", "/m", "example.com/m/a", (finding(1), finding(2))),
              contextless.PackageFindings("example.com/m", "/m", "example.com/m/b", (finding(3), finding(4)))]
    assert contextless.listing(found_, "/m", limit=3) == [
        contextless.HEADING.format(n=4),
        "  example.com/m/a (2)",
        "    pkg/f1.go:1: db.Query (database/sql: use QueryContext)",
        "    pkg/f2.go:2: db.Query (database/sql: use QueryContext)",
        "  example.com/m/b (2)",
        "    pkg/f3.go:3: db.Query (database/sql: use QueryContext)",
        "  … and 1 more",
    ]
    assert contextless.listing([], "/m") == [contextless.HEADING.format(n=0)]


def _module(root: Path, files: dict[str, str], imports=("database/sql",)) -> list[Package]:
    for name, text in files.items():
        (root / name).write_bytes(go(text))
    mod = Module("example.com/m", str(root), "", True, "1.22", "")
    std = Package("database/sql", "sql", "/goroot/src/database/sql", ("/goroot/src/database/sql/sql.go",),
                  frozenset(), True, None, "")
    return [std, Package("example.com/m", "m", str(root), tuple(str(root / n) for n in files),
                         frozenset(imports), False, mod, "")]


def _config(*disabled: str, gls: bool = False) -> Config:
    return Config(frozenset(disabled), (), gls=gls)


def _read(path: str) -> bytes:
    return Path(path).read_bytes()


def test_the_note_is_printed_once_per_module(tmp_path):
    root = tmp_path / "m"
    root.mkdir()
    packages = _module(root, {"store.go": """
        package m

        func (s *Store) n() { s.db.QueryRow("SELECT COUNT(*) FROM t").Scan(); s.db.Exec("VACUUM") }
    """})
    cache = Cache(str(tmp_path / "cache"))
    out = io.StringIO()
    no_gls = _config()
    first = contextless.note_once(packages, no_gls, cache, _read, out)
    assert first == [contextless.note("example.com/m", 2)] and out.getvalue() == first[0] + "\n"
    assert "toolweave: note: 2 instrumented calls in module example.com/m pass no context.Context" in first[0]
    assert contextless.note_once(packages, no_gls, cache, _read, out) == []
    assert contextless.note_once(packages, no_gls, Cache(str(tmp_path / "other")), _read, out) == first
    # with goroutine-local context the calls join their goroutine's span: no note
    assert contextless.note_once(packages, _config(gls=True), Cache(str(tmp_path / "third")), _read, out) == []


def test_no_note_without_findings_and_for_a_disabled_integration(tmp_path):
    root = tmp_path / "m"
    root.mkdir()
    packages = _module(root, {"store.go": "package m\n\nfunc (s *Store) n() { s.db.Exec(\"VACUUM\") }\n"})
    cache = Cache(str(tmp_path / "cache"))
    assert contextless.note_once(packages, _config("databasesql"), cache, _read, io.StringIO()) == []
    # nothing remembered: once the integration is on, the note comes
    assert len(contextless.note_once(packages, _config(), cache, _read, io.StringIO())) == 1
