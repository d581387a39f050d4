"""Timings without the go command: the flag's removal, the record file, the shell shim run on
a fake tool, the woven-package map, and the summary and table of a table of records
(tests/e2e/test_timings_e2e.py runs real builds)."""

from __future__ import annotations

import json
import os
import subprocess
from dataclasses import dataclass

import pytest

from toolweave.driver import progress, timings
from toolweave.driver.timings import (Session, append, read, render, split_args, summarise, tool_record,
                                      woven_from_record, woven_map)


# ---------------------------------------------------------------------------------------
# The flag


@pytest.mark.parametrize("verb, args, rest, value", [
    ("build", ["./..."], ["./..."], None),
    ("build", ["--timings", "./..."], ["./..."], ""),
    ("build", ["-timings", "-o", "app", "."], ["-o", "app", "."], ""),
    ("build", ["-o", "app", "--timings=t.json", "."], ["-o", "app", "."], "t.json"),
    ("build", ["-timings=a", "-v", "--timings=b"], ["-v"], "b"),          # the last one wins
    ("build", ["-o", "--timings", "."], ["-o", "--timings", "."], None),  # -o's value, not ours
    ("build", ["-tags", "x", "--timings"], ["-tags", "x"], ""),
    ("test", ["-run", "--timings", "./..."], ["-run", "--timings", "./..."], None),
    ("test", ["-json", "--timings", "./...", "-v"], ["-json", "./...", "-v"], ""),
    ("test", ["./...", "-args", "--timings"], ["./...", "-args", "--timings"], None),   # the test binary's
    ("run", [".", "--timings"], [".", "--timings"], None),                 # the program's
    ("build", ["--", "--timings"], ["--", "--timings"], None),
    ("build", ["--timingsx", "."], ["--timingsx", "."], None),            # not ours: go says so
])
def test_the_flag_is_taken_out_of_the_build_flags_only(verb, args, rest, value):
    assert split_args(verb, args) == (rest, value)


@pytest.mark.parametrize("verb", ["build", "install", "vet"])
def test_the_flag_after_the_packages_of_a_build_is_an_error_not_a_package(verb):
    with pytest.raises(ValueError, match="before the packages"):
        split_args(verb, ["./...", "--timings"])


def test_a_session_starts_only_when_asked(tmp_path, monkeypatch):
    monkeypatch.setenv("TOOLWEAVE_CACHE_DIR", str(tmp_path / "cache"))
    assert Session.start("build", ["."], {}) == (["."], None)
    args, s = Session.start("build", ["--timings=" + str(tmp_path / "f.jsonl"), "."], {})
    assert args == ["."] and s.path == str(tmp_path / "f.jsonl")
    (tmp_path / "env.jsonl").write_text('{"v":1,"kind":"tool","build":"older"}\n')
    args, s = Session.start("build", ["."], {"TOOLWEAVE_TIMINGS": str(tmp_path / "env.jsonl")})
    assert (tmp_path / "env.jsonl").read_text().count("\n") == 1        # the variable appends
    args, s = Session.start("build", ["-timings", "."], {})
    assert s.path.startswith(str(tmp_path / "cache" / "timings")) and os.path.exists(s.path)


def test_the_cache_keeps_the_newest_timings_files(tmp_path, monkeypatch):
    monkeypatch.setenv("TOOLWEAVE_CACHE_DIR", str(tmp_path))
    paths = []
    for i in range(timings.KEEP + 5):
        _, s = Session.start("build", ["--timings", "."], {})
        os.utime(s.path, ns=(i * 10**9, i * 10**9))
        paths.append(s.path)
    left = sorted(os.listdir(tmp_path / "timings"))
    assert len(left) == timings.KEEP and sorted(os.path.basename(p) for p in paths[-timings.KEEP:]) == left


# ---------------------------------------------------------------------------------------
# The file


def test_records_are_single_lines_under_4k_and_bad_lines_are_skipped(tmp_path):
    path = str(tmp_path / "t.jsonl")
    append(path, tool_record("b", "compile", "p" * 10000, 1, 2, 0, True))
    append(path, tool_record("b", "compile", "q", 1, 2, 0, False))
    with open(path, "ab") as f:
        f.write(b'{"v":1,"kind":"tool","bu')         # a writer killed mid-line
        f.write(b'\n{"v":99,"kind":"tool"}\n')        # a format we do not know
    lines = open(path, "rb").read().split(b"\n")
    assert all(len(line) < timings.MAX_LINE for line in lines)
    records = read(path)
    assert [r["pkg"][:1] for r in records] == ["p", "q"] and records[0]["pkg"].endswith("…")


def _append_many(path: str, writer: int, n: int) -> None:
    for i in range(n):
        append(path, tool_record(f"w{writer}", "compile", f"example.com/pkg/{i}/" + "x" * 1500, i, i, 0, None))


def test_concurrent_writers_never_interleave(tmp_path):
    path = str(tmp_path / "t.jsonl")
    pids = []
    for w in range(6):
        pid = os.fork()
        if pid == 0:
            try:
                _append_many(path, w, 200)
            finally:
                os._exit(0)
        pids.append(pid)
    for pid in pids:
        os.waitpid(pid, 0)
    records = read(path)
    assert len(records) == 1200 == len(open(path, "rb").read().split(b"\n")) - 1
    assert sorted({r["build"] for r in records}) == [f"w{i}" for i in range(6)]


# ---------------------------------------------------------------------------------------
# The shim, on a fake tool


FAKE_TOOL = """#!/bin/sh
echo "tool: $*"
echo "to stderr" >&2
case "$1" in -V=full) echo "compile version go1.26 full";; esac
exit "${FAKE_EXIT:-0}"
"""


@pytest.fixture
def fake(tmp_path):
    tool_dir = tmp_path / "pkg" / "tool"
    tool_dir.mkdir(parents=True)
    for name in ("compile", "link", "asm"):
        (tool_dir / name).write_text(FAKE_TOOL)
        (tool_dir / name).chmod(0o755)
    return tool_dir


def _session(tmp_path, woven=None, bases=()):
    s = Session("build", str(tmp_path / "t.jsonl"), "tw-test", woven=woven, woven_bases=set(bases))
    open(s.path, "wb").close()
    return s


def _shim(tmp_path, session, events=None, chained=None) -> list[str]:
    shim_dir = tmp_path / "shim"
    shim_dir.mkdir(exist_ok=True)
    value = progress._shim(str(shim_dir), events, chained, session)
    return value.split(" ", 1)


def _run(shim, *args, env=None):
    return subprocess.run([*shim, *args], capture_output=True, text=True,
                          env={**os.environ, "TOOLEXEC_IMPORTPATH": "", **(env or {})})


def test_the_shim_times_the_tool_and_is_otherwise_invisible(tmp_path, fake):
    s = _session(tmp_path, woven={"example.com/m/lib"})
    shim = _shim(tmp_path, s)
    probe = _run(shim, str(fake / "compile"), "-V=full")
    assert probe.stdout == "tool: -V=full\ncompile version go1.26 full\n" and read(s.path) == []
    run = _run(shim, str(fake / "compile"), "-o", "x.a", env={"TOOLEXEC_IMPORTPATH": "example.com/m/lib",
                                                               "FAKE_EXIT": "3"})
    assert (run.returncode, run.stdout, run.stderr) == (3, "tool: -o x.a\n", "to stderr\n")
    _run(shim, str(fake / "link"), env={"TOOLEXEC_IMPORTPATH": "example.com/m"})
    [compile, link] = read(s.path)
    assert compile["tool"] == "compile" and compile["pkg"] == "example.com/m/lib" and compile["exit"] == 3
    assert compile["woven"] is True and link["woven"] is False and link["tool"] == "link"
    assert compile["build"] == "tw-test" and compile["res_ns"] == 1 and compile["self_ns"] == 0
    assert 0 < compile["wall_ns"] < 5 * 10**9 and abs(compile["start_ns"] / 1e9 - __import__("time").time()) < 60


def test_the_shim_marks_test_variants_of_a_base_path_and_unknown_as_null(tmp_path, fake):
    s = _session(tmp_path, woven=set(), bases={"example.com/m/lib"})
    shim = _shim(tmp_path, s)
    for pkg in ("example.com/m/lib", "example.com/m/lib [example.com/m/lib.test]", "example.com/m/lib_test",
                'odd"path'):
        _run(shim, str(fake / "compile"), env={"TOOLEXEC_IMPORTPATH": pkg})
    assert [(r["pkg"], r["woven"]) for r in read(s.path)] == [
        ("example.com/m/lib", True), ("example.com/m/lib [example.com/m/lib.test]", True),
        ("example.com/m/lib_test", False), ("?", False)]
    s2 = _session(tmp_path / "shim", woven=None)
    _run(_shim(tmp_path, s2), str(fake / "asm"), env={"TOOLEXEC_IMPORTPATH": "runtime"})
    assert read(s2.path)[0]["woven"] is None and read(s2.path)[0]["tool"] == "asm"


def test_the_shim_counts_for_the_progress_line_and_chains_a_toolexec(tmp_path, fake):
    s = _session(tmp_path, woven=set())
    events = str(tmp_path / "events")
    chained = tmp_path / "user toolexec.sh"
    chained.write_text('#!/bin/sh\necho "user toolexec: $1" >&2\nexec "$@"\n')
    chained.chmod(0o755)
    shim = _shim(tmp_path, s, events=events, chained=f"'{chained}'")
    run = _run(shim, str(fake / "compile"), "-p", "x", env={"TOOLEXEC_IMPORTPATH": "x"})
    assert run.returncode == 0 and run.stderr.startswith(f"user toolexec: {fake / 'compile'}\n")
    assert open(events).read() == "c x\n" and read(s.path)[0]["pkg"] == "x"


def test_without_date_nanoseconds_the_shim_times_to_the_second(tmp_path, fake):
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    (bin_dir / "date").write_text('#!/bin/sh\ncase "$1" in +%s%N) echo 1700000000N;; *) echo 1700000000;; esac\n')
    (bin_dir / "date").chmod(0o755)
    s = _session(tmp_path, woven=set())
    _run(_shim(tmp_path, s), str(fake / "compile"), env={"PATH": f"{bin_dir}:{os.environ['PATH']}"})
    [r] = read(s.path)
    assert (r["start_ns"], r["wall_ns"], r["res_ns"]) == (1700000000 * 10**9, 0, 10**9)
    assert "timed to the second" in render(summarise(read(s.path)))


# ---------------------------------------------------------------------------------------
# Woven packages


@dataclass
class Pkg:
    import_path: str
    name: str
    dir: str
    go_files: tuple
    for_test: str = ""


@dataclass
class WF:
    path: str
    data: bytes = b"package main\n"
    generated: bool = False


def test_woven_packages_are_the_packages_of_woven_files_generated_ones_included():
    packages = [
        Pkg("net/http", "http", "/go/src/net/http", ("/go/src/net/http/server.go",)),
        Pkg("example.com/m/util", "util", "/m/util", ("/m/util/u.go",)),
        Pkg("example.com/m", "main", "/m", ("/m/main.go",)),
        Pkg("example.com/m [example.com/m.test]", "main", "/m", ("/m/main.go", "/m/main_test.go"), "example.com/m"),
        Pkg("example.com/m/t", "t", "/m/t", ("/m/t/t.go", "/m/t/t_test.go"), "example.com/m/t"),
        Pkg("example.com/m/t_test [example.com/m/t.test]", "t_test", "/m/t", ("/m/t/x_test.go",), "example.com/m/t"),
    ]
    woven = [WF("/go/src/net/http/server.go"), WF("/m/zz_toolweave_links.go", generated=True),
             WF("/m/t/zz_toolweave_testmain_test.go", b"// Code generated\n\npackage t\n", generated=True)]
    assert woven_map(packages, woven) == {
        "net/http": ["/go/src/net/http/server.go"],
        "example.com/m": ["/m/zz_toolweave_links.go"],
        "example.com/m [example.com/m.test]": ["/m/zz_toolweave_links.go"],
        "example.com/m/t": ["/m/t/zz_toolweave_testmain_test.go"],
    }


def test_a_replayed_or_patched_record_gives_the_woven_packages_as_they_stand():
    record = {
        "stats": {"/m/a.go": [1], "/m/b.go": [1], "/m/c.go": [1]},
        "timings": {"woven": {"net/http": ["/go/src/net/http/server.go"], "example.com/m/a": ["/m/a.go"],
                              "example.com/m/b": ["/m/b.go"]}},
        "patch": {"woven": {"/m/a.go": {}, "/m/c.go": {}},      # b.go no longer woven, c.go newly
                  "files": {"/m/c.go": 0}, "facts": [{"facts": {"import_path": "example.com/m/c"}}]},
    }
    assert woven_from_record(record) == ({"net/http", "example.com/m/a"}, {"example.com/m/c"})
    assert woven_from_record({"stats": {}}) is None


# ---------------------------------------------------------------------------------------
# Summary and table


def _tool(tool, pkg, ms, woven=False, exit=0, build="b1", self_ms=0):
    return tool_record(build, tool, pkg, 0, ms * 10**6, exit, woven, self_ms * 10**6)


RECORDS = [
    _tool("compile", "net/http", 4000, woven=True),
    _tool("compile", "runtime", 3000),
    _tool("asm", "runtime", 200),
    _tool("asm", "runtime", 100),
    _tool("compile", "example.com/m", 300, woven=True),
    _tool("link", "example.com/m", 1500, woven=True),
    _tool("compile", "example.com/m/broken", 50, exit=1),
    *(_tool("compile", f"example.com/dep{i}", 10 + i) for i in range(12)),
    _tool("compile", "other", 99999, build="b0"),               # another build in the same file
    {"v": 1, "kind": "phase", "build": "b1", "phase": "go command", "start_ns": 0, "wall_ns": 9 * 10**9},
    {"v": 1, "kind": "phase", "build": "b1", "phase": "planning", "start_ns": 0, "wall_ns": 400 * 10**6},
    {"v": 1, "kind": "phase", "build": "b1", "phase": "weaving", "start_ns": 0, "wall_ns": 200 * 10**6},
    {"v": 1, "kind": "build", "build": "b1", "verb": "build", "path": "full", "exit": 1, "start_ns": 0,
     "wall_ns": 10 * 10**9},
]


def test_the_summary_of_one_build():
    s = summarise(RECORDS, "b1")
    tools = {t.tool: (t.runs, t.woven, t.failed, t.total_ns // 10**6, t.max_ns // 10**6) for t in s.tools}
    assert tools == {"compile": (16, 2, 1, 4000 + 3000 + 300 + 50 + sum(10 + i for i in range(12)), 4000),
                     "asm": (2, 0, 0, 300, 200), "link": (1, 1, 0, 1500, 1500)}
    assert [t.tool for t in s.tools] == ["compile", "link", "asm"]          # most total time first
    assert [(p.pkg, p.total_ns // 10**6, p.tools, p.woven) for p in s.packages[:4]] == [
        ("net/http", 4000, ("compile",), True), ("runtime", 3300, ("compile", "asm"), False),
        ("example.com/m", 1800, ("compile", "link"), True), ("example.com/m/broken", 50, ("compile",), False)]
    assert len(s.packages) == timings.TOP
    assert [name for name, _ in s.phases] == ["planning", "weaving", "go command"]   # in pipeline order
    assert (s.verb, s.path, s.exit, s.wall_ns) == ("build", "full", 1, 10 * 10**9)
    assert summarise(RECORDS).tools[0].max_ns == 99999 * 10**6              # None: every record


def test_the_table():
    text = render(summarise(RECORDS, "b1"), "/tmp/t.jsonl")
    lines = text.splitlines()
    assert lines[0] == "toolweave: timings of go build (planned and woven, exit 1, 10.0 s)"
    assert lines[1] == "  slowest packages (time of their tool runs; 19 runs in all):"
    assert lines[2] == "    4.00 s  net/http  [compile]  woven"
    assert lines[3] == "    3.30 s  runtime  [compile+asm]"
    header = lines.index("    tool     runs  woven  failed   total     max")
    assert lines[header + 1:header + 4] == [
        "    compile    16      2       1  7.54 s  4.00 s",
        "    link        1      1       0  1.50 s  1.50 s",
        "    asm         2      0       0  0.30 s  0.20 s",
    ]
    assert "    planning    0.40 s" in lines and "    go command  9.00 s" in lines
    assert lines[-1] == "  records: /tmp/t.jsonl" and "toolweave" not in lines[header]


def test_the_table_of_a_build_that_compiled_nothing_and_of_a_driver_that_counts_itself():
    nothing = [{"v": 1, "kind": "build", "build": "b", "verb": "install", "path": "replay", "exit": 0,
                "start_ns": 0, "wall_ns": 5 * 10**8}]
    assert render(summarise(nothing, "b")).splitlines() == [
        "toolweave: timings of go install (replayed: nothing changed, exit 0, 0.50 s)",
        "  the go command did not run"]
    nothing.append({"v": 1, "kind": "phase", "build": "b", "phase": "go command", "start_ns": 0, "wall_ns": 10**8})
    assert render(summarise(nothing, "b")).splitlines()[1] == \
        "  no tool ran: every package came from the go build cache"
    own = render(summarise([_tool("compile", "p", 1000, self_ms=250)]))
    assert "toolweave" in own.splitlines()[3] and own.splitlines()[4].endswith("0.25 s")


def test_the_module_prints_the_last_build_of_a_file(tmp_path, capsys):
    path = str(tmp_path / "t.jsonl")
    for r in RECORDS:
        append(path, r)
    assert timings.main([path]) == 0
    assert capsys.readouterr().out.startswith("toolweave: timings of go build (planned and woven, exit 1")
    assert timings.main([path, "all"]) == 0 and "other" in capsys.readouterr().out
    assert json.loads(open(path).readline())["kind"] == "tool"
