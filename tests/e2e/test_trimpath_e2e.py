"""Reproducible builds under -trimpath: the same module checked out at two paths gives
byte-identical binaries, and the second build, sharing the first one's GOCACHE, compiles
nothing woven again (woven files name their originals as the compiler does under -trimpath,
so their contents, and the compile actions' IDs, do not depend on the checkout's place)."""

from __future__ import annotations

import re

import pytest

from e2e_support import write_module

MODULE = {
    "go.mod": "module example.com/trimapp\n\ngo 1.22\n",
    "main.go": """
        package main

        import (
        	"fmt"
        	"net/http"
        )

        //weave:span
        func work(n int) int { return n * 2 }

        func main() {
        	http.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) { fmt.Fprint(w, work(21)) })
        	fmt.Println(work(21))
        }
    """,
}

#: a compile of a woven package in `go build -x` output (the main package and net/http)
WOVEN_COMPILE = re.compile(r"compile .*-p (main|net/http) ")


@pytest.mark.parametrize("where", ["flag"])     # GOFLAGS=-trimpath: tests/test_goargs.py, to keep CI's time
def test_two_checkouts_give_identical_binaries_and_share_the_build_cache(runner, tmp_path, where):
    """The front end (the drop-in driver's compiles are keyed by the go command on the
    original sources, and its woven files' absolute names are trimmed by the compiler: it
    was never affected; checked by hand, not here, to keep CI's time)."""
    mode = "frontend"
    # the session's GOCACHE: whatever the first build finds there, the second must find all
    first = write_module(tmp_path / "a" / "src", MODULE)
    second = write_module(tmp_path / "elsewhere" / "deeper" / "checkout", MODULE)
    env = {}
    args = ["-x", "-o", "app", "."]
    if where == "flag":
        args = ["-trimpath", *args]
    else:
        env["GOFLAGS"] = "-trimpath"
    runner.build(mode, "build", *args, cwd=first, env=env).check()
    again = runner.build(mode, "build", *args, cwd=second, env=env).check()
    assert not WOVEN_COMPILE.search(again.stderr), WOVEN_COMPILE.search(again.stderr).group(0)
    assert (first / "app").read_bytes() == (second / "app").read_bytes()
    assert runner.run([str(second / "app")], cwd=second).check().stdout.strip() == "42"
    if where == "flag":
        # without -trimpath the checkout's path is in the compile, as in plain go: the main
        # package compiles again (and shows that -x output names the compiles looked for)
        moved = runner.build(mode, "build", "-x", "-o", "app2", ".", cwd=second).check()
        assert WOVEN_COMPILE.search(moved.stderr), moved.stderr[-2000:]
