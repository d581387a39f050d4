"""Context-less instrumented calls, end to end: `toolweave list` names them, and the first
build of a module says so in one line on stderr, later builds do not."""

from __future__ import annotations

from e2e_support import write_module

APP = {
    "go.mod": """
        module example.com/ctxless

        go 1.22
    """,
    "main.go": """
        package main

        import (
        	"log/slog"
        	"net/http"

        	"example.com/ctxless/store"
        )

        func main() {
        	s, err := store.Open()
        	if err != nil {
        		slog.Error("open", "err", err)
        		return
        	}
        	slog.Info("items", "n", s.Count())
        	if resp, err := http.Get("http://127.0.0.1:1/"); err == nil {
        		resp.Body.Close()
        	}
        }
    """,
    "store/store.go": """
        package store

        import "database/sql"

        // Store keeps items in a database.
        type Store struct{ db *sql.DB }

        // Open opens a database through a driver nobody registered: the build is what matters.
        func Open() (*Store, error) {
        	db, err := sql.Open("none", "")
        	return &Store{db: db}, err
        }
    """,
    # the calls go through the field of a struct declared in the other file
    "store/count.go": """
        package store

        import "context"

        // Count counts the items, without the caller's context.
        func (s *Store) Count() int {
        	var n int
        	s.db.QueryRow("SELECT COUNT(*) FROM items").Scan(&n)
        	return n
        }

        // CountContext counts the items within ctx.
        func (s *Store) CountContext(ctx context.Context) int {
        	var n int
        	s.db.QueryRowContext(ctx, "SELECT COUNT(*) FROM items").Scan(&n)
        	return n
        }
    """,
}

SECTION = """\
Calls without a context: 4 (their spans start traces of their own; pass the request's ctx, e.g. QueryContext, or set gls: true in toolweave.yml)
  example.com/ctxless/store (1)
    store/count.go:8: s.db.QueryRow (database/sql: use QueryRowContext)
  example.com/ctxless (3)
    main.go:13: slog.Error (log/slog: use ErrorContext)
    main.go:16: slog.Info (log/slog: use InfoContext)
    main.go:17: http.Get (net/http: use NewRequestWithContext and Client.Do)
"""

NOTE = ('toolweave: note: 4 instrumented calls in module example.com/ctxless pass no context.Context, so their '
        'spans start traces of their own; run "toolweave list" to see them (gls: true in toolweave.yml joins them '
        "to their goroutine's span)")


def test_list_names_the_calls_and_the_first_build_says_so_once(runner, tmp_path):
    module = write_module(tmp_path / "ctxless", APP)
    listing = runner.toolweave("list", "./...", cwd=module).check().stdout
    assert SECTION in listing, listing

    first = runner.toolweave("go", "build", "-o", str(module / "app"), ".", cwd=module).check()
    assert first.stderr.count("toolweave: note:") == 1 and NOTE in first.stderr, first.stderr
    assert first.stdout == "" and (module / "app").exists()

    # Another command line plans and builds again (no replay): the module has had its note.
    again = runner.toolweave("go", "build", "-o", str(module / "app2"), ".", cwd=module).check()
    assert "toolweave: note:" not in again.stderr, again.stderr
    assert (module / "app2").exists()
    # and so does a replayed build
    replayed = runner.toolweave("go", "build", "-o", str(module / "app2"), ".", cwd=module).check()
    assert "toolweave: note:" not in replayed.stderr


def test_disabled_integrations_are_not_listed(runner, tmp_path):
    module = write_module(tmp_path / "ctxless", APP)
    env = {"TOOLWEAVE_DISABLED_INTEGRATIONS": "slog,nethttp"}
    listing = runner.toolweave("list", "./...", cwd=module, env=env).check().stdout
    assert "Calls without a context: 1 (" in listing
    assert "store/count.go:8: s.db.QueryRow (database/sql: use QueryRowContext)" in listing
    assert "slog.Info" not in listing and "http.Get" not in listing


def test_with_goroutine_local_context_the_calls_join_their_goroutine_and_no_note(runner, tmp_path):
    module = write_module(tmp_path / "ctxless", {**APP, "toolweave.yml": "gls: true\n"})
    listing = runner.toolweave("list", "./...", cwd=module).check().stdout
    assert "Calls without a context: 4 (they join the span of the goroutine they run on" in listing, listing
    assert "store/count.go:8: s.db.QueryRow (database/sql: use QueryRowContext)" in listing
    built = runner.toolweave("go", "build", "-o", str(module / "app"), ".", cwd=module).check()
    assert "toolweave: note:" not in built.stderr, built.stderr
