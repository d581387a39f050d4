"""The gorm integration end to end: apps/gorm (unmodified) opens an in-memory SQLite database
with gorm.Open (the pure-Go glebarez dialector, which opens its database/sql pool with sql.Open
inside its own package) and, from a //weave:span function, migrates, creates, reads, updates,
counts and deletes through gorm, then queries the same pool directly. Built with toolweave,
every gorm statement is one client span (otelgorm's gorm.Create, gorm.Query, ...) under the
function's span, with db.system, the table and the statement sanitized; the pool used directly
keeps its database/sql span; no statement has two; and no ClickHouse, MySQL or PostgreSQL
driver is linked.
"""

from __future__ import annotations

import shutil
import subprocess

import pytest

import buildmodes
from ecosystem_support import APPS, build, modes, one, run
from toolweave.otlp.spantree import render

OPERATIONS = {"gorm.Create", "gorm.Query", "gorm.Update", "gorm.Delete", "gorm.Row", "gorm.Raw"}


@pytest.fixture(scope="module", params=modes("gorm"))
def binary(request, tw_env, tmp_path_factory):
    return build(request.param, "gorm", tw_env, tmp_path_factory.mktemp(f"gorm-{request.param}"), integration="gorm")


@pytest.fixture(scope="module")
def traced(binary):
    proc, receiver = run(binary, "gormapp")
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout == "uno 1 1\n", proc.stdout
    return receiver.spans()


def test_every_gorm_statement_is_one_client_span_under_the_caller(traced):
    tree = render(traced)
    root = one([s for s in traced if s.name == "work" and s.kind == "INTERNAL"], "work span", tree)
    statements = [s for s in traced if s.trace_id == root.trace_id and s.name in OPERATIONS]
    assert {s.name for s in statements} >= {"gorm.Create", "gorm.Query", "gorm.Update", "gorm.Delete"}, tree
    assert all(s.kind == "CLIENT" and s.parent_span_id == root.span_id for s in statements), tree
    assert all(s.attributes.get("db.system") == "sqlite" for s in statements), tree
    tables = {s.attributes.get("db.sql.table") for s in statements if s.name != "gorm.Raw"}
    assert "items" in tables, tree
    texts = [s.attributes["db.statement"] for s in statements]
    insert = one([t for t in texts if t.startswith("INSERT INTO")], "INSERT statement", tree)
    assert "one" not in insert and "?" in insert, insert                      # the values gorm wrote in, sanitized
    count = one([t for t in texts if t.startswith("SELECT count(*) FROM `items`")], "count statement", tree)
    assert "secret" not in count and count.endswith("<> ?"), count


def test_one_owner_per_statement(traced):
    """Under a gorm span there is no database/sql span (gorm owns its statements); the pool
    used directly has its own sql.conn.query span, under the function's span. (The
    transactions gorm wraps writes in keep their sql.conn.begin_tx and sql.tx.commit spans:
    gorm traces no begin or commit.)"""
    tree = render(traced)
    root = one([s for s in traced if s.name == "work"], "work span", tree)
    gorm_ids = {s.span_id for s in traced if s.name in OPERATIONS}
    assert not [s for s in traced if s.parent_span_id in gorm_ids], tree
    sql = [s for s in traced if s.trace_id == root.trace_id and s.name.startswith("sql.")
           and s.attributes.get("db.query.text") == "SELECT ?"]
    assert one(sql, "sql span of the direct query", tree).parent_span_id == root.span_id


def test_no_database_driver_the_program_did_not_use_is_linked(binary):
    """By the binary's symbols (the drop-in driver's additions are not in its module build
    information, which the go command writes from the program's own module graph)."""
    symbols = subprocess.run(["go", "tool", "nm", str(binary)], capture_output=True, text=True, check=True).stdout
    linked = lambda path: f" {path}." in symbols or f" {path}/" in symbols  # noqa: E731
    assert linked("github.com/uptrace/opentelemetry-go-extra/otelgorm")
    for driver in ("github.com/ClickHouse/clickhouse-go/v2", "github.com/go-sql-driver/mysql", "github.com/jackc/pgx/v5",
                   "gorm.io/driver/mysql", "gorm.io/driver/postgres", "gorm.io/plugin/opentelemetry"):
        assert not linked(driver), driver


def test_raw_and_off_query_text(binary):
    for mode, check in (("raw", lambda t: "'one'" in t or '"one"' in t), ("off", lambda t: t == "")):
        proc, receiver = run(binary, "gormapp", env_extra={"TOOLWEAVE_DB_QUERY_TEXT": mode})
        assert proc.returncode == 0, proc.stderr
        inserts = [s.attributes.get("db.statement", "") for s in receiver.spans() if s.name == "gorm.Create"]
        assert inserts and all(check(t) for t in inserts), (mode, inserts)


def test_disabled_by_name(tw_env, tmp_path):
    binary = build("frontend", "gorm", tw_env, tmp_path, {"TOOLWEAVE_DISABLED_INTEGRATIONS": "gorm"})
    proc, receiver = run(binary, "gormapp")
    assert proc.returncode == 0, proc.stderr
    spans = receiver.spans()
    assert not [s for s in spans if s.name in OPERATIONS], render(spans)
    # database/sql still traces the pool, gorm's statements included, when gorm's integration is off
    assert [s for s in spans if s.name.startswith("sql.") and "INSERT INTO" in s.attributes.get("db.query.text", "")]


def test_one_switch_in_toolweave_yml(tw_env, tmp_path):
    """`database: {query-text: off}` in toolweave.yml is compiled in as the program's default for
    every database integration (gorm's db.statement, database/sql's db.query.text);
    TOOLWEAVE_DB_QUERY_TEXT still decides at run time."""
    src = tmp_path / "src"
    shutil.copytree(APPS / "gorm", src)
    (src / "toolweave.yml").write_text("database:\n  query-text: off\n")
    proc = buildmodes.go("frontend", "build", ["-o", str(tmp_path / "gormapp"), "."], src, tw_env)
    assert proc.returncode == 0, proc.stderr
    for env, recorded in (({}, False), ({"TOOLWEAVE_DB_QUERY_TEXT": "raw"}, True)):
        proc, receiver = run(tmp_path / "gormapp", "gormapp", env_extra=env)
        assert proc.returncode == 0, proc.stderr
        spans = receiver.spans()
        texts = [s.attributes.get("db.statement", "") for s in spans if s.name in OPERATIONS]
        texts += [s.attributes.get("db.query.text", "") for s in spans if s.name.startswith("sql.")]
        assert any(texts) == recorded, (env, texts)
