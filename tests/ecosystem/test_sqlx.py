"""sqlx through the database/sql integration: apps/sqlx (unmodified) opens PostgreSQL (pgx's
stdlib driver) and SQLite (modernc) with sqlx.Connect, which calls sql.Open inside sqlx, and
uses Rebind, Get, Select and NamedExec. Built with toolweave, the driver keeps its registered
name, so sqlx's bind-variable style is the driver's own (a query written with ? reaches
PostgreSQL as $1 and succeeds), and every statement is a client span under the function's span
with db.system.name and the sanitized query text.
"""

from __future__ import annotations

import pytest

from ecosystem_support import build, modes, one, run
from toolweave.otlp.spantree import render


@pytest.fixture(scope="module", params=modes("sqlx"))
def traced(request, tw_env, tmp_path_factory, pg_dsn):
    binary = build(request.param, "sqlx", tw_env, tmp_path_factory.mktemp(f"sqlx-{request.param}"))
    proc, receiver = run(binary, "sqlxapp", env_extra={"PG_DSN": pg_dsn})
    assert proc.returncode == 0, proc.stderr
    return proc.stdout, receiver.spans()


def test_sqlx_keeps_the_drivers_bind_variables(traced):
    stdout, _ = traced
    # the driver names sqlx looks the style up by are kept: pgx is sqlx.DOLLAR (2), so the
    # query written with ? reached PostgreSQL as $1; sqlx does not know modernc's "sqlite"
    # (UNKNOWN, 0: ? stays ?), exactly as without toolweave
    assert stdout.splitlines() == ["sqlx_items pgx bind 2: one, 1 rows", "items sqlite bind 0: one, 1 rows"], stdout


@pytest.mark.parametrize("function, system, select", [
    ("postgres", "postgresql", "SELECT id, name FROM sqlx_items WHERE id = $1"),
    ("sqlite", "sqlite", "SELECT id, name FROM items WHERE id = ?"),
])
def test_every_statement_is_a_client_span_under_the_caller(traced, function, system, select):
    _, spans = traced
    tree = render(spans)
    root = one([s for s in spans if s.name == function and s.kind == "INTERNAL"], f"{function} span", tree)
    statements = [s for s in spans if s.trace_id == root.trace_id and s.kind == "CLIENT"
                  and "db.query.text" in s.attributes]
    texts = [s.attributes["db.query.text"] for s in statements]
    assert select in texts, tree
    assert any(t.endswith("WHERE name <> ?") for t in texts), texts          # the literal sanitized
    assert any(t.startswith("INSERT INTO") for t in texts), texts             # NamedExec's statement
    assert {s.attributes.get("db.system.name") for s in statements} == {system}, tree
