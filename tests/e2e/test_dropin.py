"""The drop-in driver, `go build -toolexec 'toolweave toolexec'`, where it differs from the
front end: the go command's build cache shared with plain builds, concurrency, a module file
that does not require our runtime, and a changed aspect. (The behaviour both drivers share is
tested in every mode by test_frontend.py.)"""

from __future__ import annotations

import json
import re
import subprocess
import sys
import textwrap

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
    runner.build("toolexec", "build", "-o", str(module / "app"), ".", cwd=module).check()
    env = {"OTEL_SDK_DISABLED": "true"}
    assert runner.run([str(module / "app")], cwd=module, env=env).check().stdout.startswith("first 2 <nil>")
    (module / "extra.yml").write_text(textwrap.dedent(aspect.replace("GREETING", "second")).lstrip())
    runner.build("toolexec", "build", "-o", str(module / "app"), ".", cwd=module).check()
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
        )

        func main() {
        	ctx := context.Background()
        	fmt.Println(p0.F(ctx) + p1.F(ctx) + p2.F(ctx) + p3.F(ctx) + p4.F(ctx) + p5.F(ctx))
        }
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
    table = subprocess.run([sys.executable, "-m", "toolweave.driver.timings", str(records)], capture_output=True,
                           text=True, check=True).stdout
    assert re.search(r"^\s+compile\s+\d+\s+7\s", table, re.M), table
