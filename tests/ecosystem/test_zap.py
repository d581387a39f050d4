"""The zap integration end to end: apps/zap (unmodified) logs from a //weave:span function
through a zap.NewProduction logger (JSON on stderr) and a zap.New logger (JSON on stdout),
twice with a context field and once without. Built with toolweave: the program's own lines
logged with a context carry trace_id and span_id of the function's span (and no context
field), the one without carries none, and every entry is also an OTLP log record, correlated
where it had a context; without the integration, the output is the program's alone.
"""

from __future__ import annotations

import json

import pytest

from ecosystem_support import MODES, build, one, run
from toolweave.otlp.spantree import render


def json_lines(text: str) -> list[dict]:
    return [json.loads(line) for line in text.splitlines() if line.startswith("{")]


@pytest.fixture(scope="module", params=MODES)
def traced(request, tw_env, tmp_path_factory):
    binary = build(request.param, "zap", tw_env, tmp_path_factory.mktemp(f"zap-{request.param}"), integration="zap")
    proc, receiver = run(binary, "zapapp")
    assert proc.returncode == 0, proc.stderr
    return proc, receiver.spans(), receiver.logs()


def test_the_programs_own_lines_carry_the_span_ids(traced):
    proc, spans, _ = traced
    span = one([s for s in spans if s.name == "handle"], "handle span", render(spans))
    lines = {line["msg"]: line for line in json_lines(proc.stderr) + json_lines(proc.stdout)}
    assert set(lines) == {"handled", "custom", "no context"}, lines
    for msg in ("handled", "custom"):
        assert (lines[msg].get("trace_id"), lines[msg].get("span_id")) == (span.trace_id, span.span_id), lines[msg]
        assert "ctx" not in lines[msg]
    assert lines["handled"]["user"] == "gopher"
    assert "trace_id" not in lines["no context"]


def test_every_entry_is_an_otlp_record_correlated_where_it_had_a_context(traced):
    _, spans, logs = traced
    span = one([s for s in spans if s.name == "handle"], "handle span", render(spans))
    bodies = sorted(r.body for r in logs)
    assert bodies == ["custom", "handled", "no context"], bodies      # one record each
    by_body = {r.body: r for r in logs}
    for body in ("handled", "custom"):
        assert (by_body[body].trace_id, by_body[body].span_id) == (span.trace_id, span.span_id)
    assert not by_body["no context"].trace_id
    assert by_body["handled"].attributes.get("user") == "gopher"


def test_without_the_integration_the_output_is_the_programs_alone(tw_env, tmp_path):
    binary = build("frontend", "zap", tw_env, tmp_path, {"TOOLWEAVE_DISABLED_INTEGRATIONS": "zap"})
    proc, receiver = run(binary, "zapapp")
    assert proc.returncode == 0, proc.stderr
    assert receiver.logs() == []
    assert all("trace_id" not in line for line in json_lines(proc.stderr) + json_lines(proc.stdout))
