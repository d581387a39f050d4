"""The built-in aspects, end to end: weave small programs (tests/runtime/apps), build them
against the Go runtime module with the real go command, run them against an OTLP receiver,
and check what arrives."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest

from runtime_support import APPS, go_run, new_module, run_env, weave_cli, weave_main_module
from toolweave.otlp import Receiver, spantree

MODULE = "example.com/woven"


@pytest.fixture(scope="module")
def binaries(go, tmp_path_factory) -> Path:
    """Every app woven into one temporary module and built; returns the directory of binaries."""
    root = new_module(tmp_path_factory.mktemp("woven") / "mod", MODULE)
    woven = {
        "spans": weave_cli([APPS / "spans/main.go"], ["bootstrap.yml", "runtimemetrics.yml", "weave-span.yml"]),
        "logs": weave_cli([APPS / "logs/main.go"], ["bootstrap.yml", "weave-span.yml", "weave-log.yml"]),
        "exits": weave_main_module(APPS / "exits/main.go", ["bootstrap.yml", "weave-span.yml"],
                                   f"{MODULE}/exits", MODULE),
        "exits-plain": (APPS / "exits/main.go").read_bytes(),  # what the woven one must match
    }
    for name, data in woven.items():
        (root / name).mkdir()
        (root / name / "main.go").write_bytes(data)
    go_run(go, ["build", "-o", str(root / "bin") + "/", "./..."], root)
    return root / "bin"


def run(binary: Path, receiver: Receiver, **env: str) -> subprocess.CompletedProcess:
    return subprocess.run([str(binary)], env=run_env(receiver, **env), capture_output=True, text=True, timeout=60)


# ------------------------------------------------------------------------------ weave-span

@pytest.fixture(scope="module")
def span_run(binaries):
    with Receiver() as r:
        proc = run(binaries / "spans", r)
        assert proc.returncode == 0, proc.stderr
        # Shutdown happened before exit: everything is there, no waiting needed.
        return r.spans(), r.metrics()


def test_span_names_and_scope(span_run):
    spans, _ = span_run
    assert sorted(s.name for s in spans) == sorted([
        "main", "fetch", "fetch", "inner-op", "inner-op", "inner-op", "ServeHTTP",
        "named-literal", "main.func2", "twoResults"])
    assert {s.scope for s in spans} == {"toolweave.dev/runtime"}
    assert {s.kind for s in spans} == {"INTERNAL"}


def test_span_resource_defaults_to_the_binary_name(span_run):
    spans, _ = span_run
    assert {s.resource["service.name"] for s in spans} == {"spans"}
    assert spans[0].resource["telemetry.distro.name"] == "toolweave"


def test_span_on_main_starts_after_bootstrap(span_run):
    # A span started before the SDK is installed is a no-op and would never arrive.
    spans, _ = span_run
    assert spantree.find(spans, "main").is_root


def test_span_parent_from_context_parameter(span_run):
    spans, _ = span_run
    fetches = [s for s in spans if s.name == "fetch"]
    inners = [s for s in spans if s.name == "inner-op"]
    for fetch in fetches:
        assert fetch.is_root  # its caller passed context.Background()
        assert [s for s in inners if s.parent_span_id == fetch.span_id], "callee must see the new ctx"


def test_span_parent_from_http_request(span_run):
    spans, _ = span_run
    handler = spantree.find(spans, "ServeHTTP")
    assert [s for s in spans if s.name == "inner-op" and s.parent_span_id == handler.span_id]


def test_span_directive_attributes(span_run):
    spans, _ = span_run
    for fetch in (s for s in spans if s.name == "fetch"):
        assert fetch.attributes == {"item.kind": "widget", "note": "two words"}
    assert all(s.attributes == {} for s in spans if s.name == "inner-op")  # span.name is no attribute


def test_span_returned_error(span_run):
    spans, _ = span_run
    failed = [s for s in spans if s.name == "fetch" and s.status_code == "ERROR"]
    ok = [s for s in spans if s.name == "fetch" and s.status_code == "UNSET"]
    assert len(failed) == 1 and len(ok) == 1
    assert failed[0].status_message == "no such item"
    assert [e.name for e in failed[0].events] == ["exception"]
    # unnamed (int, error) results are named by the weave and the error still reaches End
    two = spantree.find(spans, "twoResults")
    assert (two.status_code, two.status_message) == ("ERROR", "too big")


def test_runtimemetrics_exports_runtime_metrics(span_run):
    _, metrics = span_run
    assert any(m.name.startswith("go.") for m in metrics), [m.name for m in metrics]


def test_sdk_disabled(binaries):
    with Receiver() as r:
        proc = run(binaries / "spans", r, OTEL_SDK_DISABLED="true")
        assert proc.returncode == 0, proc.stderr
        assert sum(r.request_counts().values()) == 0


# ------------------------------------------------------------------------------- weave-log

@pytest.fixture(scope="module")
def log_run(binaries):
    with Receiver() as r:
        proc = run(binaries / "logs", r)
        assert proc.returncode == 0, proc.stderr
        records = [json.loads(line) for line in proc.stdout.splitlines()]
        return records, r.spans(), r.logs()


def test_log_records_at_entry_and_exit(log_run):
    records, *_ = log_run
    assert [(x["msg"], x["code.function.name"]) for x in records] == [
        ("enter", "lookup"), ("exit", "lookup"),
        ("enter", "lookup"), ("exit", "lookup"),
        ("enter", "main.func1"), ("exit", "main.func1"),
        ("enter", "greet"), ("exit", "greet"),
        ("enter", "serve"), ("exit", "serve")]
    assert all(x["level"] == "INFO" for x in records)


def test_log_listed_arguments_only(log_run):
    records, *_ = log_run
    first = records[0]
    assert (first["id"], first["team"]) == (7, "core")
    assert "token" not in first and "secret" not in json.dumps(records)


def test_log_bare_directive_logs_every_argument(log_run):
    records, *_ = log_run
    enter = next(x for x in records if x["msg"] == "enter" and x["code.function.name"] == "greet")
    assert {k: enter[k] for k in ("name", "times", "tags")} == {"name": "ada", "times": 2, "tags": ["x", "y"]}
    assert "ctx" not in enter


def test_log_bare_directive_skips_the_response_writer_and_the_request(log_run):
    records, *_ = log_run
    enter = next(x for x in records if x["msg"] == "enter" and x["code.function.name"] == "serve")
    assert enter["page"] == 3 and not {"w", "r"} & set(enter)


def test_log_exit_duration_and_error(log_run):
    records, *_ = log_run
    exits = [x for x in records if x["msg"] == "exit"]
    assert all(isinstance(x["duration"], int) and x["duration"] >= 0 for x in exits)
    assert "error" not in exits[0]
    assert exits[1]["error"] == "missing id"


def test_log_records_carry_the_span_context(log_run):
    records, spans, logs = log_run
    lookups = sorted((s for s in spans if s.name == "lookup"), key=lambda s: s.start_ns)
    assert len(lookups) == 2
    for span, (enter, exit_) in zip(lookups, [records[0:2], records[2:4]]):
        assert enter["span_id"] == exit_["span_id"] == span.span_id
        assert enter["trace_id"] == span.trace_id
    assert "span_id" not in records[4]  # the literal has no context
    # Every record is exported over OTLP too, the lookups' with their span's ids.
    assert [(x.body, x.attributes["code.function.name"]) for x in logs] == [
        (x["msg"], x["code.function.name"]) for x in records]
    for span, exported in zip(lookups, [logs[0:2], logs[2:4]]):
        assert {(x.trace_id, x.span_id) for x in exported} == {(span.trace_id, span.span_id)}
    assert {x.span_id for x in logs[4:]} == {""}


# ------------------------------------------------------------------------ bootstrap exits

@pytest.mark.parametrize("path, code, stderr", [
    ("exit", 3, ""),
    ("fatal", 1, "exits: main.go:19: fatal1\n"),
    ("fatalf", 1, "exits: main.go:21: fatal 2\n"),
    ("fatalln", 1, "exits: main.go:23: fatal 3\n"),
])
def test_exit_paths_flush(binaries, path, code, stderr):
    """os.Exit and log.Fatal* skip defers; woven, they flush first and then exit exactly as
    the plain program does (the log line keeps the user's file and line)."""
    with Receiver() as r:
        plain = run(binaries / "exits-plain", r, EXIT_PATH=path)
        woven = run(binaries / "exits", r, EXIT_PATH=path)
        assert (plain.returncode, plain.stderr) == (code, stderr)
        assert (woven.returncode, woven.stderr) == (code, stderr)
        assert [s.name for s in r.spans()] == ["work"]


def test_bootstrap_skips_test_mains():
    from toolweave.aspect import load_aspects
    from toolweave.aspect.facts import PackageFacts
    from toolweave.weave import Rewritten, weave_file
    from runtime_support import ASPECTS

    src = b"package main\n\nfunc main() {}\n"
    aspects = load_aspects([str(ASPECTS / "bootstrap.yml")])
    assert isinstance(weave_file("m.go", src, aspects, PackageFacts(name="main")), Rewritten)
    assert not isinstance(weave_file("m.go", src, aspects, PackageFacts(name="main", test_main=True)), Rewritten)
