"""The progress line's rules, without a terminal (tests/e2e/test_progress.py runs real builds
on a pseudo-terminal)."""

from __future__ import annotations

import sys

import pytest

from toolweave.driver import progress
from toolweave.driver.goargs import parse
from toolweave.driver.progress import Line, _go_fields, _go_phase, _with_toolexec

GO = "/usr/local/go/bin/go"


@pytest.mark.parametrize("value, fields", [
    ("", []),
    ("tool", ["tool"]),
    ("  a   b ", ["a", "b"]),
    ('"my tool" -x', ["my tool", "-x"]),
    ("'a b'c d", ["a b", "c", "d"]),      # as cmd/internal/quoted.Split: a quote ends a field
    ("--tag=x*", ["--tag=x*"]),
    ('x "y', None),
])
def test_toolexec_values_split_as_go_splits_them(value, fields):
    assert _go_fields(value) == fields


@pytest.mark.parametrize("verb, args, goflags, stdout_is_terminal, shown", [
    ("build", ["./..."], "", False, True),
    ("build", ["./..."], "", True, True),            # go build writes nothing to stdout
    ("install", ["."], "", True, True),
    ("vet", ["./..."], "", True, True),
    ("test", ["./..."], "", False, True),
    ("test", ["./..."], "", True, False),            # test output shares the terminal
    ("build", ["-json", "."], "", True, False),
    ("build", ["-json", "."], "", False, True),
    ("run", ["."], "", False, False),                # the program keeps go's stderr
    ("build", ["-x", "."], "", False, False),        # -x prints command lines
    ("build", ["-n", "."], "", False, False),
    ("build", ["-debug-actiongraph=g.json", "."], "", False, False),
    ("build", ["."], "-mod=mod -x", False, False),
    ("build", ["."], "-toolexec=mytool", False, False),   # ours would override it
    ("build", ["-toolexec", "mytool", "."], "", False, True),   # chained
])
def test_go_phase_only_where_nothing_else_changes(monkeypatch, verb, args, goflags, stdout_is_terminal, shown):
    monkeypatch.setattr(progress, "_stdout_shares_terminal", lambda: stdout_is_terminal)
    assert _go_phase(verb, [GO, verb, *args], goflags) is shown


@pytest.mark.parametrize("args, expected", [
    (["-o", "app", "."], ["-toolexec=SHIM", "-o", "app", "."]),
    (["-C", "dir", "-toolexec", "t a", "."], ["-C", "dir", "-toolexec=SHIM", "."]),
    (["-C=dir", "--toolexec=t", "-o", "x", "."], ["-C=dir", "-toolexec=SHIM", "-o", "x", "."]),
])
def test_the_shim_replaces_the_toolexec_and_keeps_c_first(args, expected):
    argv = [GO, "build", *args]
    assert _with_toolexec(argv, parse("build", args), "SHIM") == [GO, "build", *expected]


def test_the_line_is_cleared_before_other_output_and_redrawn_after_a_whole_line(capfd):
    with Line(True) as line:
        line.show("toolweave: weaving package 1 of 2")
        print("toolweave: warning: x", file=sys.stderr)
        line.passthrough(b"# pkg\npartial")       # go's output, not ending a line
        line.show("toolweave: weaving package 2 of 2")   # not drawn: the cursor is not ours
        line.passthrough(b" end\n")
    err = capfd.readouterr().err
    assert err == ("\rtoolweave: weaving package 1 of 2\x1b[K\r\x1b[Ktoolweave: warning: x\n"
                   "\rtoolweave: weaving package 1 of 2\x1b[K\r\x1b[K# pkg\npartial end\n"
                   "\rtoolweave: weaving package 2 of 2\x1b[K\r\x1b[K")
    assert not isinstance(sys.stderr, progress._Stderr)


def test_a_disabled_line_writes_nothing(capfd):
    with Line(False) as line:
        line.show("anything")
        line.passthrough(b"")
    assert capfd.readouterr().err == ""


def test_progress_is_off_with_toolweave_progress_0_or_a_dumb_terminal(monkeypatch):
    monkeypatch.setattr(progress.os, "isatty", lambda fd: True)
    monkeypatch.delenv("TOOLWEAVE_PROGRESS", raising=False)
    monkeypatch.setenv("TERM", "xterm")
    assert progress.wanted()
    monkeypatch.setenv("TOOLWEAVE_PROGRESS", "0")
    assert not progress.wanted()
    monkeypatch.setenv("TOOLWEAVE_PROGRESS", "1")
    monkeypatch.setenv("TERM", "dumb")
    assert not progress.wanted()
