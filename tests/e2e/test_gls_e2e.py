"""Goroutine-local context (data/aspects/gls.yml, runtime/gls), end to end on real OTLP output:
tests/e2e/apps/glschain built unmodified. Its HTTP handlers call code that passes no context
(database/sql, http.Get, slog, a //weave:span function without a context parameter); a pool
of workers started before any request runs context-less jobs for a handler; a handler starts
goroutines with go statements, one it waits for and one that outlives the request."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from e2e_support import otel_env
from toolweave.otlp.spantree import by_trace, find_all

APP = Path(__file__).parent / "apps" / "glschain"
MODES = ("frontend", "goflags")


def _run(runner, mode: str, tmp_path: Path, receiver, gls: str = "{inherit: true}"):
    module = tmp_path / "glschain"
    shutil.copytree(APP, module)
    (module / "toolweave.yml").write_text(f"gls: {gls}\n")
    runner.build(mode, "build", "-o", str(module / "app"), ".", cwd=module).check()
    run = runner.run([str(module / "app")], cwd=module, env=otel_env(receiver)).check()
    receiver.wait_for(lambda r: len(find_all(r.spans(), "process")) == 3 and len(find_all(r.spans(), "score")) == 3
                      and len(find_all(r.spans(), "straggle")) == 1)
    return run.stdout


def _fanout(spans):
    """The /fanout request's server span, and the spans of the goroutines its handler started."""
    [server] = find_all(spans, "GET /fanout/{id}", kind="SERVER")
    tallies = find_all(spans, "tally")
    assert len(tallies) == 2, tallies
    [stray] = find_all(spans, "stray")
    [straggle] = find_all(spans, "straggle")
    return server, tallies, stray, straggle


@pytest.mark.parametrize("mode", MODES)
def test_context_less_calls_join_their_handlers_trace(runner, mode, tmp_path, receiver):
    stdout = _run(runner, mode, tmp_path, receiver)
    spans = receiver.spans()
    servers = find_all(spans, "GET /work/{id}", kind="SERVER")
    assert len(servers) == 3 and len({s.trace_id for s in servers}) == 3
    traces = by_trace(spans)
    for server in servers:
        mine = traces[server.trace_id]
        names = {s.name for s in mine}
        # the handler's context-less calls: database/sql, net/http's client and the leaf
        # server it called, and the //weave:span function without a context parameter
        assert {"sql.conn.query", "score", "GET /leaf"} <= names, names
        children = [s for s in mine if s.parent_span_id == server.span_id]
        assert {s.name for s in children} >= {"sql.conn.query", "score"}
        assert any(s.kind == "CLIENT" and s.name.startswith("HTTP GET") for s in children), children
        leaf = next(s for s in mine if s.name == "GET /leaf")
        client = next(s for s in mine if s.span_id == leaf.parent_span_id)
        assert client.parent_span_id == server.span_id
        assert not any(s.name == "process" for s in mine)        # no worker span in a request's trace
    # slog without a context: the application's own JSON and the OTLP record carry the
    # handler's span
    logged = [json.loads(line) for line in stdout.splitlines() if line.startswith("{")]
    assert {(r["trace_id"], r["span_id"]) for r in logged} == {(s.trace_id, s.span_id) for s in servers}
    receiver.wait_for(lambda r: len([x for x in r.logs() if x.body == "looked up"]) == 3)
    records = [x for x in receiver.logs() if x.body == "looked up"]
    assert {(x.trace_id, x.span_id) for x in records} == {(s.trace_id, s.span_id) for s in servers}
    # gls: {inherit: true}: the goroutines the handler started and waited for join its span
    # (and their own context-less queries sit under them); the one a dependency started
    # while a go statement evaluated its arguments, and the one that ran after the request
    # ended, are roots of their own
    server, tallies, stray, straggle = _fanout(spans)
    for tally in tallies:
        assert tally.trace_id == server.trace_id and tally.parent_span_id == server.span_id
        query = [s for s in spans if s.parent_span_id == tally.span_id]
        assert [s.name for s in query] == ["sql.conn.query"]
    assert stray.is_root and stray.trace_id != server.trace_id
    assert straggle.is_root and straggle.trace_id != server.trace_id


@pytest.mark.parametrize("mode", MODES)
def test_long_lived_workers_never_attach_to_a_requests_trace(runner, mode, tmp_path, receiver):
    _run(runner, mode, tmp_path, receiver)
    spans = receiver.spans()
    enqueues = find_all(spans, "GET /enqueue/{id}", kind="SERVER")
    request_traces = {s.trace_id for s in enqueues} | {s.trace_id for s in find_all(spans, "GET /work/{id}")}
    processes = find_all(spans, "process")
    assert len(enqueues) == 3 and len(processes) == 3
    for p in processes:
        assert p.is_root and p.trace_id not in request_traces, p
        # the job's own context-less query sits under the job's span
        queries = [s for s in spans if s.trace_id == p.trace_id and s.name == "sql.conn.query"]
        assert queries and all(q.parent_span_id == p.span_id for q in queries)
    assert len({p.trace_id for p in processes}) == 3


def test_without_goroutine_local_context_the_calls_start_their_own_traces(runner, tmp_path, receiver):
    _run(runner, "frontend", tmp_path, receiver, gls="false")
    spans = receiver.spans()
    for span in find_all(spans, "score") + find_all(spans, "tally"):
        assert span.is_root


def test_go_statements_hand_nothing_on_unless_asked(runner, tmp_path, receiver):
    """gls: true without inherit: the handler's own context-less calls join it, the
    goroutines it starts do not."""
    _run(runner, "goflags", tmp_path, receiver, gls="true")
    spans = receiver.spans()
    server, tallies, stray, straggle = _fanout(spans)
    assert all(t.is_root for t in tallies) and stray.is_root and straggle.is_root
    assert all(not s.is_root for s in find_all(spans, "score"))


def test_an_unsupported_go_release_fails_the_build_naming_it(runner, tmp_path):
    """go1.25.5 (fetched by the go command): gls.yml supports 1.26 and 1.27 only; the build
    stops before anything is compiled, with one line naming the release, never a link error."""
    module = tmp_path / "old"
    module.mkdir()
    (module / "go.mod").write_text("module example.com/old\n\ngo 1.22\n")
    (module / "toolweave.yml").write_text("gls: true\n")
    (module / "main.go").write_text('package main\n\nfunc main() { println("hi") }\n')
    result = runner.build("frontend", "build", "-o", str(module / "app"), ".", cwd=module,
                          env={"GOTOOLCHAIN": "go1.25.5"})
    assert result.returncode != 0
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert lines == ["toolweave: gls.yml weaves into package runtime of Go 1.26 to 1.27 only; this build uses "
                     "go1.25.5: build with a supported release, or turn it off (gls: false in toolweave.yml, or "
                     "TOOLWEAVE_GLS=0)"], result.stderr
    assert not (module / "app").exists()


def test_a_million_goroutines_leave_nothing_behind(runner, tmp_path, receiver):
    """tests/e2e/apps/glsload: 1,000,000 goroutines each start and end a span, one in ten exits
    with a span it never ended. The state stays bounded (RSS and live heap after 100,000 and
    at the end), and goroutines started afterwards, on the recycled goroutine structs, never
    find a parent: goexit1 cleared the field."""
    module = tmp_path / "glsload"
    shutil.copytree(Path(__file__).parent / "apps" / "glsload", module)
    (module / "toolweave.yml").write_text("gls: true\n")
    runner.build("frontend", "build", "-o", str(module / "app"), ".", cwd=module).check()
    run = runner.run([str(module / "app"), "goroutines"], cwd=module, env=dict(receiver.env()), timeout=600).check()
    figures = json.loads(next(line for line in run.stdout.splitlines() if line.startswith("{")))
    assert figures["goroutines"] == 1_000_000
    assert figures["fresh_with_parent"] == 0, figures
    assert figures["heap_mb_end"] - figures["heap_mb_100k"] < 8, figures
    assert figures["rss_mb_end"] - figures["rss_mb_100k"] < 32, figures


GO_TEST = {
    "go.mod": "module example.com/glstest\n\ngo 1.22\n",
    "toolweave.yml": "gls: true\ntest-bootstrap: true\n",
    "work.go": """
        package glstest

        // outer and inner take no context: inner joins outer through the goroutine.

        //weave:span
        func outer() int { return inner() + 1 }

        //weave:span
        func inner() int { return 41 }
    """,
    "work_test.go": """
        package glstest

        import "testing"

        func TestChain(t *testing.T) {
        	if outer() != 42 {
        		t.Fatal("wrong answer")
        	}
        }
    """,
}


def test_go_test_binaries_carry_goroutine_local_context(runner, tmp_path, receiver):
    from e2e_support import write_module

    module = write_module(tmp_path / "glstest", GO_TEST)
    runner.toolweave("go", "test", ".", cwd=module, env=otel_env(receiver)).check()
    receiver.wait_for(lambda r: {s.name for s in r.spans()} >= {"outer", "inner"})
    spans = receiver.spans()
    outer = find_all(spans, "outer")[0]
    inner = find_all(spans, "inner")[0]
    assert inner.trace_id == outer.trace_id and inner.parent_span_id == outer.span_id
