"""The opt-in security aspects and error capture (data/optional/security-*.yml,
error-capture.yml; runtime packages guard and capture), end to end on real OTLP output:
tests/e2e/apps/guarded built unmodified. It reads files named by its clients, runs a shell
command built from a client's input, and returns sentinel, typed and wrapped errors; the only
configuration is toolweave.yml."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from e2e_support import otel_env

APP = Path(__file__).parent / "apps" / "guarded"

CONFIG = """\
security:
  mode: enforce
  roots: [reports]
errors:
  capture: true
"""

#: What each request answers, per run-time mode. The literal pipeline is the developer's own
#: (all its arguments are literals), so it runs in every mode.
ANSWERS = {
    "enforce": [
        "pipeline: LITERAL",
        "/read?name=q1.txt 200 revenue 10",
        "/read?name=../../outside/secret.txt 403 refused: open ../outside/secret.txt: permission denied by toolweave's security aspects (path-traversal:",
        "/read?name=escape/secret.txt 403 refused: open reports/escape/secret.txt: permission denied by toolweave's security aspects (path-traversal:",
        "/grep?q=revenue 200 1",
        "/grep?q=x%3Btouch+pwned 403 refused: permission denied by toolweave's security aspects (shell-injection:",
        "/check?name=sentinel 200 eq=true is=true as=false msg=no such report",
        "/check?name=typed 200 eq=false is=false as=true msg=report typed is unreadable",
        "/check?name=wrapped 200 eq=false is=true as=false msg=lookup wrapped: no such report",
        "pwned exists: false",
    ],
    "report": [
        "pipeline: LITERAL",
        "/read?name=q1.txt 200 revenue 10",
        "/read?name=../../outside/secret.txt 200 top secret",
        "/read?name=escape/secret.txt 200 top secret",
        "/grep?q=revenue 200 1",
        "/grep?q=x%3Btouch+pwned 200 0",   # the injected command ran (grep -c x read nothing)
        "/check?name=sentinel 200 eq=true is=true as=false msg=no such report",
        "/check?name=typed 200 eq=false is=false as=true msg=report typed is unreadable",
        "/check?name=wrapped 200 eq=false is=true as=false msg=lookup wrapped: no such report",
        "pwned exists: true",
    ],
}


@pytest.fixture(scope="module")
def built(runner, tmp_path_factory) -> Path:
    """The app built once with toolweave.yml's security section, beside a directory outside
    its roots and a link that leads there."""
    base = tmp_path_factory.mktemp("guarded")
    module = base / "guarded"
    shutil.copytree(APP, module)
    (module / "toolweave.yml").write_text(CONFIG)
    (module / "reports").mkdir()
    (module / "reports" / "q1.txt").write_text("revenue 10\n")
    (base / "outside").mkdir()
    (base / "outside" / "secret.txt").write_text("top secret\n")
    os.symlink(base / "outside", module / "reports" / "escape")
    runner.build("frontend", "build", "-o", str(module / "app"), ".", cwd=module).check()
    return module


def _run(runner, module: Path, receiver, mode: str):
    (module / "pwned").unlink(missing_ok=True)
    extra = {"TOOLWEAVE_SECURITY": mode} if mode != "enforce" else {}
    run = runner.run([str(module / "app")], cwd=module, env=otel_env(receiver, **extra)).check()
    lines = run.stdout.splitlines()
    assert len(lines) == len(ANSWERS[mode]), run.stdout
    for line, want in zip(lines, ANSWERS[mode]):
        assert line.startswith(want), (line, want)
    receiver.wait_for(lambda r: len(_events(r.spans(), "toolweave.security.violation")) == 3
                      and len(_events(r.spans(), "exception")) == 3 and len(_security_logs(r)) == 3)
    return receiver.spans()


def _events(spans, name):
    return [(s, e) for s in spans for e in s.events if e.name == name]


def _security_logs(receiver):
    return [r for r in receiver.logs() if isinstance(r.body, str) and r.body.startswith("toolweave security:")]


@pytest.mark.parametrize("mode", ["enforce", "report"])
def test_traversal_and_injection_are_refused_or_reported(runner, built, receiver, mode):
    spans = _run(runner, built, receiver, mode)
    action = "blocked" if mode == "enforce" else "reported"
    violations = _events(spans, "toolweave.security.violation")
    rules = sorted((e.attributes["security.rule"], e.attributes["code.function.name"]) for _, e in violations)
    assert rules == [("path-traversal", "os.ReadFile")] * 2 + [("shell-injection", "exec.CommandContext")]
    assert {e.attributes["security.action"] for _, e in violations} == {action}
    for span, event in violations:
        if event.attributes["security.rule"] == "shell-injection":
            # CommandContext has the request's context: the event is on its server span
            assert span.kind == "SERVER" and span.attributes.get("url.path") == "/grep", span
            assert "touch pwned" in event.attributes["process.command_line"]
        else:
            # os.ReadFile has none, and this build has no goroutine-local context: a span of its own
            assert span.name == "toolweave.security" and span.is_root
            assert event.attributes["file.path"] in ("../outside/secret.txt", "reports/escape/secret.txt")
    logs = _security_logs(receiver)
    assert sorted(r.body for r in logs) == [f"toolweave security: {action} exec.CommandContext"] + \
        [f"toolweave security: {action} os.ReadFile"] * 2
    by_id = {s.span_id: s for s, _ in violations}
    assert all(r.span_id in by_id and r.severity_text == "WARN" for r in logs), logs
    assert all(r.attributes["security.action"] == action and r.attributes["security.rule"] in
               ("path-traversal", "shell-injection") and r.attributes["code.function.name"] in r.body for r in logs), logs


def test_returned_errors_are_recorded_and_unchanged(runner, built, receiver):
    spans = _run(runner, built, receiver, "enforce")
    exceptions = _events(spans, "exception")
    messages = sorted(e.attributes["exception.message"] for _, e in exceptions)
    assert messages == ["lookup wrapped: no such report", "no such report", "report typed is unreadable"]
    for span, event in exceptions:
        # lookup takes the request's context: each is on its request's server span
        assert span.kind == "SERVER" and span.attributes.get("url.path") == "/check"
        assert event.attributes["code.function.name"] == "lookup"
        assert "main.lookup" in event.attributes["exception.stacktrace"]
    types = sorted(e.attributes["exception.type"] for _, e in exceptions)
    assert types == ["*errors.errorString", "*fmt.wrapError", "*main.ReportError"]


@pytest.mark.full_matrix
def test_the_drop_in_driver_weaves_them_when_the_environment_asks(runner, built, tmp_path, receiver):
    """TOOLWEAVE_SECURITY at build time, through `go build` with toolweave's GOFLAGS: the
    first build (unset: toolweave.yml says off) leaves the file calls alone; the second
    (enforce) must not reuse the first one's plan or archives, since the variable changes which
    aspects load."""
    module = tmp_path / "guarded"
    shutil.copytree(built, module, symlinks=True, ignore=shutil.ignore_patterns("app", "toolweave.yml"))
    (module / "toolweave.yml").write_text("security:\n  mode: off\n  roots: [reports]\n")
    os.symlink(built.parent / "outside", tmp_path / "outside")
    secret = "/read?name=../../outside/secret.txt"
    answers = {}
    for env in ({}, {"TOOLWEAVE_SECURITY": "enforce"}):
        runner.build("goflags", "build", "-o", str(module / "app"), ".", cwd=module, env=env).check()
        run = runner.run([str(module / "app")], cwd=module, env=otel_env(receiver)).check()
        answers[bool(env)] = next(line for line in run.stdout.splitlines() if line.startswith(secret))
    assert answers[False] == f"{secret} 200 top secret"
    assert answers[True].startswith(f"{secret} 403 refused: open ../outside/secret.txt: permission denied by toolweave")
