"""The go-redis integration end to end: apps/goredis (unmodified) runs SET, GET and a
two-command pipeline through every kind of client (plain, cluster, ring, failover through a
Sentinel, universal) against real Redis servers on loopback (redisserver.py), each from its own
//weave:span function, and once more through a client it instruments itself with redisotel.
Built with toolweave, each function's trace must hold exactly one client span per command
(db.system redis), the pipeline one span, under the function's span; no command text by default,
the command with TOOLWEAVE_DB_QUERY_TEXT=raw; connection-pool metrics; and a program built
without the integration gets only the spans it makes itself.
"""

from __future__ import annotations

import pytest

from ecosystem_support import build, modes, one, run
from toolweave.otlp.spantree import render

KINDS = ("plain", "cluster", "ring", "failover", "universal", "instrumented")


@pytest.fixture(scope="module", params=modes("goredis"))
def binary(request, tw_env, tmp_path_factory):
    return build(request.param, "goredis", tw_env, tmp_path_factory.mktemp(f"goredis-{request.param}"),
                 integration="goredis")


@pytest.fixture(scope="module")
def traced(binary, redis_servers):
    proc, receiver = run(binary, "goredisapp", env_extra=redis_servers.env())
    assert proc.returncode == 0 and proc.stdout == "ok\n", proc.stderr
    return receiver.spans(), receiver.metrics()


def commands_under(spans, root):
    return [s for s in spans if s.trace_id == root.trace_id and s.parent_span_id == root.span_id
            and s.kind == "CLIENT"]


@pytest.mark.parametrize("kind", KINDS)
def test_every_client_kind_traces_each_command_once_under_the_callers_span(traced, kind):
    spans, _ = traced
    tree = render(spans)
    root = one([s for s in spans if s.name == kind and s.kind == "INTERNAL"], f"{kind} span", tree)
    commands = commands_under(spans, root)
    names = sorted(s.name for s in commands)
    assert names == ["get", "redis.pipeline incr", "set"], f"{kind}: {names}\n{tree}"
    for s in commands:
        assert s.attributes.get("db.system") == "redis", s.attributes
        assert "db.statement" not in s.attributes, s.attributes     # sanitized (default): no command text


def test_pool_metrics_are_recorded(traced):
    _, metrics = traced
    names = {m.name for m in metrics}
    assert "db.client.connections.usage" in names or "db.client.connections.create_time" in names, names


def test_raw_query_text_records_the_command(binary, redis_servers):
    proc, receiver = run(binary, "goredisapp", env_extra={**redis_servers.env(), "TOOLWEAVE_DB_QUERY_TEXT": "raw"})
    assert proc.returncode == 0, proc.stderr
    statements = {s.attributes.get("db.statement") for s in receiver.spans() if s.name == "set"}
    assert "set plain v" in statements, statements


def test_without_the_integration_only_the_programs_own_hook_traces(tw_env, tmp_path, redis_servers):
    binary = build("frontend", "goredis", tw_env, tmp_path, {"TOOLWEAVE_DISABLED_INTEGRATIONS": "goredis"})
    proc, receiver = run(binary, "goredisapp", env_extra=redis_servers.env())
    assert proc.returncode == 0, proc.stderr
    spans = receiver.spans()
    traced_kinds = {s.name for s in spans if s.kind == "INTERNAL" and commands_under(spans, s)}
    assert traced_kinds == {"instrumented"}, render(spans)


@pytest.mark.parametrize("app, has_glue", [("goredis", True), ("grpc", False)])
def test_only_programs_that_require_go_redis_get_its_glue_module(tw_env, app, has_glue):
    """`toolweave env` requires toolweave.dev/runtime/libs/goredis (and so go-redis and
    redisotel) in the generated module file only for a module that requires go-redis: a
    program without it resolves and raises nothing for it."""
    import buildmodes
    from ecosystem_support import APPS

    fields = buildmodes._goflags_fields(buildmodes.dropin_env(APPS / app, tw_env)["GOFLAGS"])
    (modfile,) = [f.split("=", 1)[1] for f in fields if f.startswith("-modfile=")]
    with open(modfile, encoding="utf-8") as f:
        text = f.read()
    assert ("toolweave.dev/runtime/libs/goredis" in text) == has_glue, text
    assert ("github.com/redis/go-redis/extra/redisotel/v9" in text) == has_glue, text
