"""The drop-in driver, `go build -toolexec 'toolweave toolexec'`, where it differs from the
front end: the go command's build cache shared with plain builds, concurrency, a module file
that does not require our runtime, and a changed aspect. (The behaviour both drivers share is
tested in every mode by test_frontend.py.)"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import textwrap
from pathlib import Path

import buildmodes
from e2e_support import otel_env, write_module
from test_frontend import SPANS


def _compiled(go_x_output: str) -> list[str]:
    """Import paths compiled, from `-x` output (`…/compile -o … -p path …`)."""
    return [m.group(1) for line in go_x_output.splitlines() if "/compile " in line
            for m in [re.search(r" -p (\S+)", line)] if m]


def test_plain_and_woven_builds_share_one_build_cache_without_mixing(runner, tmp_path, receiver):
    module = write_module(tmp_path / "spans", SPANS)
    run = lambda binary: runner.run([str(binary)], cwd=module, env=otel_env(receiver)).check()  # noqa: E731
    runner.go("build", "-o", str(tmp_path / "plain"), ".", cwd=module).check()
    runner.build("toolexec", "build", "-o", str(tmp_path / "woven"), ".", cwd=module).check()
    again = runner.go("build", "-x", "-o", str(tmp_path / "plain-again"), ".", cwd=module).check()
    assert _compiled(again.stderr) == []           # the plain archives are still there, untouched

    run(tmp_path / "plain")
    run(tmp_path / "plain-again")
    assert sum(receiver.request_counts().values()) == 0     # no SDK in either plain binary
    run(tmp_path / "woven")
    receiver.wait_for(lambda r: {s.name for s in r.spans()} >= {"work", "step-one"})

    noop = runner.build("toolexec", "build", "-x", "-o", str(tmp_path / "woven"), ".", cwd=module).check()
    assert _compiled(noop.stderr) == []            # a no-op rebuild weaves and compiles nothing


def test_an_aspect_edit_is_never_served_from_the_cache(runner, tmp_path):
    """The compiler's identity carries the aspects' fingerprint: after an edit the woven
    code is the new one (every package recompiles: the go command keys compiles by tool)."""
    aspect = """
        aspects:
          - id: hello
            join-point:
              all-of:
                - package-filter: {root: true}
                - function-body: {function: [{name: step}]}
            advice:
              - prepend-statements:
                  template: fmt.Print("GREETING ")
                  imports: {fmt: fmt}
    """
    files = {**SPANS, "toolweave.yml": "aspects: [extra.yml]\n", "extra.yml": aspect.replace("GREETING", "first")}
    module = write_module(tmp_path / "aspects", files)
    # GOFLAGS mode: the launcher answers -V=full from its plan, which the edit makes stale
    runner.build("goflags", "build", "-o", str(module / "app"), ".", cwd=module).check()
    env = {"OTEL_SDK_DISABLED": "true"}
    assert runner.run([str(module / "app")], cwd=module, env=env).check().stdout.startswith("first 2 <nil>")
    (module / "extra.yml").write_text(textwrap.dedent(aspect.replace("GREETING", "second")).lstrip())
    runner.build("goflags", "build", "-o", str(module / "app"), ".", cwd=module).check()
    assert runner.run([str(module / "app")], cwd=module, env=env).check().stdout.startswith("second 2 <nil>")


MANY = {
    "go.mod": "module example.com/many\n\ngo 1.22\n",
    "main.go": """
        package main

        import (
        	"context"
        	"fmt"

        	"example.com/many/p0"
        	"example.com/many/p1"
        	"example.com/many/p2"
        	"example.com/many/p3"
        	"example.com/many/p4"
        	"example.com/many/p5"
        	"example.com/many/util"
        )

        func main() {
        	ctx := context.Background()
        	fmt.Println(p0.F(ctx) + p1.F(ctx) + p2.F(ctx) + p3.F(ctx) + p4.F(ctx) + p5.F(ctx) + util.Zero())
        }
    """,
    "util/util.go": """
        package util

        // Zero is matched by no aspect: the launcher compiles it without Python.
        func Zero() int { return 0 }
    """,
    **{f"p{i}/p.go": f"""
        package p{i}

        import "context"

        //weave:span
        func F(ctx context.Context) int {{ return {i} }}
    """ for i in range(6)},
}


def test_parallel_compiles_and_concurrent_builds(runner, tmp_path, receiver):
    module = write_module(tmp_path / "many", MANY)
    argv, env = buildmodes.argv_and_env("toolexec", "build", ["-p", "2", "-o", "OUT", "."], module, runner.env)
    procs = [subprocess.Popen([a.replace("OUT", str(tmp_path / f"app{i}")) for a in argv], cwd=module, env=env,
                              stderr=subprocess.PIPE, text=True) for i in range(2)]
    for p in procs:
        _, err = p.communicate(timeout=900)
        assert p.returncode == 0, err
    for i in range(2):
        assert runner.run([str(tmp_path / f"app{i}")], cwd=module, env=otel_env(receiver)).check().stdout == "15\n"
    receiver.wait_for(lambda r: len([s for s in r.spans() if s.name == "F"]) == 12)


def test_a_main_module_under_an_instrumentation_library_path_is_woven(runner, tmp_path, receiver):
    """Packages under gRPC's or OpenTelemetry's paths are never woven, but a main module that
    lives there (gRPC's examples are their own module, google.golang.org/grpc/examples) is the
    user's program: woven by both drivers like any other."""
    files = {**SPANS, "go.mod": "module google.golang.org/grpc/examples/spans\n\ngo 1.22\n"}
    module = write_module(tmp_path / "examples", files)
    for mode in ("frontend", "goflags"):
        runner.build(mode, "build", "-o", str(tmp_path / mode), ".", cwd=module).check()
        receiver.clear()
        runner.run([str(tmp_path / mode)], cwd=module, env=otel_env(receiver)).check()
        receiver.wait_for(lambda r: {s.name for s in r.spans()} >= {"work", "step-one"})


def test_a_module_file_without_our_runtime_is_one_line(runner, tmp_path):
    module = write_module(tmp_path / "spans", SPANS)
    toolexec = "-toolexec=" + " ".join(buildmodes.toolexec_command())
    res = runner.go("build", toolexec, "-o", str(tmp_path / "app"), ".", cwd=module)
    assert res.returncode != 0
    ours = [line for line in res.stderr.splitlines() if line.startswith("toolweave:")]
    assert len(ours) == 1 and "toolweave env" in ours[0] and "toolweave pin" in ours[0], res.stderr


def test_timings_under_the_drop_in_driver(runner, tmp_path):
    module = write_module(tmp_path / "many", MANY)
    records = tmp_path / "timings.jsonl"
    res = runner.build("goflags", "build", "-o", str(tmp_path / "app"), ".", cwd=module,
                       env={"TOOLWEAVE_TIMINGS": str(records)}).check()
    assert res.stderr == ""                         # the driver records, it prints nothing
    tools = [json.loads(line) for line in records.read_text().splitlines()]
    compiles = {r["pkg"]: r for r in tools if r["tool"] == "compile"}
    # the module's packages were compiled (a fresh module), each woven, each timed
    assert {f"example.com/many/p{i}" for i in range(6)} | {"example.com/many"} <= set(compiles)
    assert all(compiles[f"example.com/many/p{i}"]["woven"] for i in range(6))
    assert all(0 < r["self_ns"] <= r["wall_ns"] for r in tools)
    assert [r["woven"] for r in tools if r["tool"] == "link"] == [True]
    # GOFLAGS from `toolweave env` name the launcher: Python runs only where an aspect may
    # match (and for the link); the rest the launcher compiles itself
    assert {compiles[f"example.com/many/p{i}"]["driver"] for i in range(6)} == {"python"}
    assert compiles["example.com/many/util"]["driver"] == "launcher"
    assert not compiles["example.com/many/util"]["woven"]
    assert {r["driver"] for r in tools if r["tool"] not in ("compile", "link")} <= {"launcher"}
    table = subprocess.run([sys.executable, "-m", "toolweave.driver.timings", str(records)], capture_output=True,
                           text=True, check=True).stdout
    assert re.search(r"^\s+compile\s+\d+\s+7\s", table, re.M), table


def test_env_names_the_launcher_unless_told_not_to(runner, tmp_path):
    """`toolweave env` builds the launcher once (into the cache, with `command` beside it
    naming the Python driver it hands calls to, by absolute path); TOOLWEAVE_LAUNCHER=0 names
    Python itself."""
    module = write_module(tmp_path / "spans", SPANS)
    fields = buildmodes._goflags_fields(buildmodes.dropin_env(module, runner.env)["GOFLAGS"])
    (toolexec,) = [f.split("=", 1)[1] for f in fields if f.startswith("-toolexec=")]
    launcher = Path(toolexec)
    assert launcher.name == "toolweave-toolexec" and os.access(launcher, os.X_OK)
    assert launcher.parent.parent == Path(runner.env["TOOLWEAVE_CACHE_DIR"]) / "launcher"
    beside = (Path(toolexec).parent / "command").read_text().split("\0")
    assert beside == buildmodes.toolexec_command() and os.path.isabs(beside[0])
    again = buildmodes._goflags_fields(buildmodes.dropin_env(module, runner.env)["GOFLAGS"])
    assert again == fields                          # built once: the same path
    python = buildmodes._goflags_fields(buildmodes.dropin_env(module, {**runner.env, "TOOLWEAVE_LAUNCHER": "0"})["GOFLAGS"])
    assert "-toolexec=" + " ".join(buildmodes.toolexec_command()) in python


def _fingerprint(driver: list[str], module, env) -> str:
    """The fingerprint a driver adds to the compiler's -V=full line, asked as the go command asks."""
    tooldir = subprocess.run(["go", "env", "GOTOOLDIR"], env=env, capture_output=True, text=True).stdout.strip()
    # the driver reads its build from its parent process: a shell in the module stands for go
    proc = subprocess.run(["sh", "-c", '"$@"; exit $?', "sh", *driver, f"{tooldir}/compile", "-V=full"], cwd=module,
                          env=env, capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr
    (line,) = proc.stdout.splitlines()
    assert line.startswith("compile version go")
    return line.rsplit("toolweave=", 1)[1]


def test_the_fingerprint_follows_what_woven_code_links(runner, tmp_path):
    """Woven archives depend on packages the go command does not see them import (our runtime,
    OpenTelemetry): the fingerprint carries where the build resolves those, so an archive woven
    against one runtime copy is never linked with another (the linker refuses the mismatch).
    The launcher answers what Python answers, from the plan Python wrote."""
    module = write_module(tmp_path / "spans", SPANS)
    variables = buildmodes.dropin_env(module, runner.env)
    env = {**runner.env, **variables}
    (launcher,) = [f.split("=", 1)[1] for f in buildmodes._goflags_fields(variables["GOFLAGS"])
                   if f.startswith("-toolexec=")]
    python = buildmodes.toolexec_command()
    first = _fingerprint(python, module, env)
    assert _fingerprint(python, module, env) == first
    assert _fingerprint([launcher], module, env) == first        # no plan yet: Python writes it
    assert _fingerprint([launcher], module, env) == first        # from the plan
    (module / "go.mod").write_text((module / "go.mod").read_text() + "// a comment\n")
    assert _fingerprint([launcher], module, env) == first        # the same versions
    other = {**runner.env, "TOOLWEAVE_CACHE_DIR": str(tmp_path / "other-cache")}
    other.update(buildmodes.dropin_env(module, other))
    assert _fingerprint(python, module, other) != first          # another runtime copy
