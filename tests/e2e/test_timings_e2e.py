"""`toolweave go … --timings[=FILE]` and TOOLWEAVE_TIMINGS: every tool run of a real build is
recorded (tool, package, wall time, woven or not) with toolweave's own phases, a table is
printed on stderr after the build, `--timings` never reaches the go command, go's own output
is unchanged, and the timing shim shares the build cache of a build without it.

The first build uses a fresh GOCACHE so that compiles really happen (the standard library
and OpenTelemetry included: a cold build).
"""

from __future__ import annotations

import json
import re

import pytest

from e2e_support import write_module

MODULE = {
    "go.mod": """
        module example.com/timings

        go 1.22
    """,
    "main.go": """
        package main

        import (
            "fmt"

            "example.com/timings/lib"
            "example.com/timings/util"
        )

        func main() { fmt.Println(lib.Greet(util.Name())) }
    """,
    "lib/lib.go": """
        package lib

        import "context"

        //weave:span
        func greet(ctx context.Context, name string) string { return "hello " + name }

        func Greet(name string) string { return greet(context.Background(), name) }
    """,
    "util/util.go": """
        package util

        import "net/http"

        // Name uses net/http, so the plan holds it (and the nethttp integration weaves it).
        func Name() string { return http.StatusText(http.StatusOK)[:0] + "timings" }
    """,
    "broken/broken.go": """
        package broken

        func F() int { return "not an int" }
    """,
}
QUIET = {"OTEL_SDK_DISABLED": "true"}
NOT_GO_FLAG = "flag provided but not defined"


def records(path, kind=None) -> list[dict]:
    with open(path) as f:
        out = [json.loads(line) for line in f]
    return [r for r in out if kind is None or r["kind"] == kind]


def table_counts(stderr: str) -> dict[str, int]:
    """{tool: runs} from the printed table."""
    head = stderr.index("    tool ")
    rows = stderr[head:].splitlines()[1:]
    out = {}
    for row in rows:
        m = re.match(r"    (\S+) +(\d+) +(\d+) +(\d+) +[\d.]+ s +[\d.]+ s$", row)
        if not m:
            break
        out[m.group(1)] = int(m.group(2))
    return out


@pytest.fixture(scope="module")
def module(tmp_path_factory):
    return write_module(tmp_path_factory.mktemp("timings") / "m", MODULE)


@pytest.fixture(scope="module")
def env(runner, tmp_path_factory):
    gocache = tmp_path_factory.mktemp("gocache")
    return {**runner.env, **QUIET, "GOCACHE": str(gocache)}


@pytest.fixture(scope="module")
def cold(runner, module, env):
    path = module.parent / "cold.jsonl"
    result = runner.toolweave("go", "build", "-o", "app", "--timings=" + str(path), ".", cwd=module, env=env,
                              timeout=1800)
    return result, path


def test_a_cold_build_records_every_compile_with_woven_right(runner, module, cold):
    result, path = cold
    result.check()
    assert result.stdout == ""                          # go build's stdout, unchanged
    assert NOT_GO_FLAG not in result.stderr and "timings" not in result.stderr.split("toolweave: timings")[0]
    assert runner.run([str(module / "app")], cwd=module, env=QUIET).check().stdout == "hello timings\n"
    tools = records(path, "tool")
    compiles = {r["pkg"]: r for r in tools if r["tool"] == "compile"}
    assert compiles["example.com/timings/lib"]["woven"] is True            # //weave:span
    assert compiles["example.com/timings/util"]["woven"] is False
    assert compiles["example.com/timings"]["woven"] is True                # bootstrap weaves main
    assert compiles["net/http"]["woven"] is True                           # GOROOT, in the plan, woven
    assert compiles["fmt"]["woven"] is False
    assert compiles["toolweave.dev/runtime/bootstrap"]["woven"] is False   # never woven
    assert len(compiles) > 300 and all(r["exit"] == 0 and r["wall_ns"] > 0 for r in tools)
    assert {r["tool"] for r in tools} >= {"compile", "asm", "link"}
    [link] = [r for r in tools if r["tool"] == "link"]
    assert link["pkg"] == "example.com/timings"
    assert len({r["build"] for r in records(path)}) == 1
    phases = [r["phase"] for r in records(path, "phase")]
    assert phases[:1] == ["replay check"] and {"planning", "weaving", "module setup", "go command"} <= set(phases)
    [build] = records(path, "build")
    assert (build["verb"], build["path"], build["exit"]) == ("build", "full", 0)
    counts = table_counts(result.stderr)
    assert counts["compile"] == len(compiles) and counts["link"] == 1
    assert "slowest packages" in result.stderr and f"records: {path}" in result.stderr


def test_the_timing_shim_shares_the_build_cache(runner, module, env, cold):
    """Everything the timed build compiled is a cache hit for the same build without it
    (`go build -x` under another replay key: planned again, nothing compiled)."""
    cold[0].check()
    again = runner.toolweave("go", "build", "-x", "-o", "app", ".", cwd=module, env=env).check()
    compiled = re.findall(r"/compile -o \S+ .*?-p (\S+) ", again.stderr)
    assert compiled == [], compiled


def test_a_rebuild_with_timings_compiles_nothing_and_replays(runner, module, env, cold):
    cold[0].check()
    for name in ("again", "replayed"):
        path = module.parent / f"{name}.jsonl"
        result = runner.toolweave("go", "build", "-o", "app", "--timings=" + str(path), ".", cwd=module,
                                  env=env).check()
        assert [r for r in records(path, "tool") if r["tool"] == "compile"] == []
        assert "compile" not in table_counts(result.stderr)
    # the second one at least replays: --timings is not part of the replay key (the first may
    # plan again if toolweave's own files changed since the cold build)
    [build] = records(path, "build")
    assert build["path"] == "replay" and "replayed: nothing changed" in result.stderr
    assert [r["phase"] for r in records(path, "phase")] == ["replay check", "go command"]


def test_go_run_output_is_unchanged_and_the_table_comes_after(runner, module, env, cold):
    cold[0].check()
    plain = runner.toolweave("go", "run", ".", cwd=module, env=env).check()
    timed = runner.toolweave("go", "run", "-timings", ".", cwd=module, env=env).check()
    assert timed.stdout == plain.stdout == "hello timings\n"
    assert timed.stderr.startswith(plain.stderr + "toolweave: timings of go run ")
    m = re.search(r"^  records: (\S+\.jsonl)$", timed.stderr, re.M)      # plain --timings: under the cache
    assert m and m.group(1).startswith(env["TOOLWEAVE_CACHE_DIR"])
    assert records(m.group(1), "build")[0]["verb"] == "run"


def test_a_failing_compile_keeps_go_errors_and_exit_status(runner, module, env, tmp_path):
    path = tmp_path / "broken.jsonl"
    plain = runner.toolweave("go", "build", "./broken", cwd=module, env=env)
    timed = runner.toolweave("go", "build", "--timings=" + str(path), "./broken", cwd=module, env=env)
    assert plain.returncode == timed.returncode == 1
    assert "# example.com/timings/broken" in plain.stderr and NOT_GO_FLAG not in timed.stderr
    assert timed.stderr.startswith(plain.stderr + "toolweave: timings of go build (")
    assert re.search(r"^toolweave: timings of go build \(.*, exit 1, ", timed.stderr, re.M)   # replayed: same key
    [compile] = [r for r in records(path, "tool") if r["tool"] == "compile"]
    assert compile["pkg"] == "example.com/timings/broken" and compile["exit"] != 0
    assert re.search(r"^    compile +1 +0 +1 ", timed.stderr, re.M)


def test_the_variable_appends_builds_to_one_file(runner, module, env, tmp_path):
    path = tmp_path / "env.jsonl"
    for out in ("app1", "app2"):
        result = runner.toolweave("go", "build", "-o", out, ".", cwd=module,
                                  env={**env, "TOOLWEAVE_TIMINGS": str(path)}).check()
        assert "toolweave: timings of go build" in result.stderr
    builds = records(path, "build")
    assert len(builds) == 2 and builds[0]["build"] != builds[1]["build"]


def test_timings_after_the_packages_is_an_error_not_a_package(runner, module, env):
    result = runner.toolweave("go", "build", ".", "--timings", cwd=module, env=env)
    assert result.returncode == 2 and "--timings goes before the packages" in result.stderr
