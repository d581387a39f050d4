"""The pgx integration end to end: apps/pgx (unmodified) queries a real PostgreSQL on loopback
through pgx.Connect, pgxpool.New and pgx.ConnectConfig with a tracer of its own, each from a
//weave:span function. Built with toolweave, every query is one client span (named after its
operation, db.query.text sanitized: literals become ?) under the function's span, the program's
own tracer still sees its queries, raw mode records the text as written, and without the
integration no query span appears.
"""

from __future__ import annotations

import pytest

from ecosystem_support import build, modes, one, run
from toolweave.otlp.spantree import render


@pytest.fixture(scope="module", params=modes("pgx"))
def binary(request, tw_env, tmp_path_factory):
    return build(request.param, "pgx", tw_env, tmp_path_factory.mktemp(f"pgx-{request.param}"), integration="pgx")


@pytest.fixture(scope="module")
def traced(binary, pg_dsn):
    proc, receiver = run(binary, "pgxapp", env_extra={"PG_DSN": pg_dsn})
    assert proc.returncode == 0, proc.stderr
    return proc, receiver.spans(), receiver.metrics()


def queries_under(spans, name):
    tree = render(spans)
    root = one([s for s in spans if s.name == name and s.kind == "INTERNAL"], f"{name} span", tree)
    return [s for s in spans if s.trace_id == root.trace_id and s.parent_span_id == root.span_id
            and s.kind == "CLIENT" and "db.query.text" in s.attributes]


def test_each_query_is_one_client_span_with_sanitized_text(traced):
    _, spans, _ = traced
    texts = [s.attributes["db.query.text"] for s in queries_under(spans, "conn")]
    assert texts == ["CREATE TABLE IF NOT EXISTS pgx_items (id int PRIMARY KEY, name text)",
                     "INSERT INTO pgx_items VALUES (?, ?) ON CONFLICT DO NOTHING",
                     "SELECT name FROM pgx_items WHERE id = $1"], render(spans)
    names = [s.name for s in queries_under(spans, "conn")]
    assert names == ["CREATE", "INSERT", "SELECT"], names
    pooled = queries_under(spans, "pool")
    assert [s.attributes["db.query.text"] for s in pooled] == ["SELECT count(*) FROM pgx_items WHERE name <> ?"]


def test_a_tracer_the_program_set_keeps_working(traced):
    proc, spans, _ = traced
    assert "own tracer saw 1 queries" in proc.stdout, proc.stdout
    assert [s.name for s in queries_under(spans, "ownTracer")] == ["SELECT"], render(spans)


def test_pools_report_their_statistics(traced):
    _, _, metrics = traced
    assert any(m.name.startswith("pgxpool.") for m in metrics), sorted({m.name for m in metrics})


def test_raw_query_text_is_the_statement_as_written(binary, pg_dsn):
    proc, receiver = run(binary, "pgxapp", env_extra={"PG_DSN": pg_dsn, "TOOLWEAVE_DB_QUERY_TEXT": "raw"})
    assert proc.returncode == 0, proc.stderr
    texts = {s.attributes.get("db.query.text") for s in receiver.spans()}
    assert "SELECT count(*) FROM pgx_items WHERE name <> 'secret'" in texts, texts


def test_without_the_integration_no_query_is_traced(tw_env, tmp_path, pg_dsn):
    binary = build("frontend", "pgx", tw_env, tmp_path, {"TOOLWEAVE_DISABLED_INTEGRATIONS": "pgx"})
    proc, receiver = run(binary, "pgxapp", env_extra={"PG_DSN": pg_dsn})
    assert proc.returncode == 0, proc.stderr
    assert [s for s in receiver.spans() if s.kind == "CLIENT"] == [], render(receiver.spans())
