"""The zap and logrus integrations end to end: apps/zap and apps/logrus (unmodified) log from a
//weave:span function through the library's standard logger or production logger (JSON on
stderr) and a logger of their own (JSON on stdout), twice with a context (zap: a context field,
logrus: WithContext) and once without. Built with toolweave: the program's own lines logged
with a context carry trace_id and span_id of the function's span (and, for zap, no context
field), the one without carries none; every entry is also exactly one OTLP log record,
correlated where it had a context; without the integration, the output is the program's alone.
"""

from __future__ import annotations

import json

import pytest

from ecosystem_support import build, modes, one, run
from toolweave.otlp.spantree import render

LIBRARIES = ("zap", "logrus")
CASES = [(lib, mode) for lib in LIBRARIES for mode in modes(lib)]
MESSAGES = ["custom", "handled", "no context"]


def json_lines(text: str) -> list[dict]:
    return [json.loads(line) for line in text.splitlines() if line.startswith("{")]


@pytest.fixture(scope="module", params=CASES, ids=[f"{lib}-{mode}" for lib, mode in CASES])
def logged(request, tw_env, tmp_path_factory):
    lib, mode = request.param
    binary = build(mode, lib, tw_env, tmp_path_factory.mktemp(f"{lib}-{mode}"), integration=lib)
    proc, receiver = run(binary, f"{lib}app")
    assert proc.returncode == 0, proc.stderr
    spans = receiver.spans()
    span = one([s for s in spans if s.name == "handle"], "handle span", render(spans))
    return proc, span, receiver.logs()


def test_the_programs_own_lines_carry_the_span_ids(logged):
    proc, span, _ = logged
    lines = {line["msg"]: line for line in json_lines(proc.stderr) + json_lines(proc.stdout)}
    assert sorted(lines) == MESSAGES, lines
    for msg in ("handled", "custom"):
        assert (lines[msg].get("trace_id"), lines[msg].get("span_id")) == (span.trace_id, span.span_id), lines[msg]
        assert "ctx" not in lines[msg]
    assert lines["handled"]["user"] == "gopher"
    assert "trace_id" not in lines["no context"]


def test_every_entry_is_one_otlp_record_correlated_where_it_had_a_context(logged):
    _, span, logs = logged
    assert sorted(r.body for r in logs) == MESSAGES, [r.body for r in logs]
    by_body = {r.body: r for r in logs}
    for body in ("handled", "custom"):
        assert (by_body[body].trace_id, by_body[body].span_id) == (span.trace_id, span.span_id)
    assert not by_body["no context"].trace_id
    assert by_body["handled"].attributes.get("user") == "gopher"


@pytest.mark.parametrize("lib", LIBRARIES)
def test_without_the_integration_the_output_is_the_programs_alone(tw_env, tmp_path, lib):
    binary = build("frontend", lib, tw_env, tmp_path, {"TOOLWEAVE_DISABLED_INTEGRATIONS": lib})
    proc, receiver = run(binary, f"{lib}app")
    assert proc.returncode == 0, proc.stderr
    assert receiver.logs() == []
    assert all("trace_id" not in line for line in json_lines(proc.stderr) + json_lines(proc.stdout))
