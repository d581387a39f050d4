"""How a `go <verb> …` command line splits into build flags, packages and what the program or
test binary gets: a flag that takes a value must never leave its value to be read as a package."""

from __future__ import annotations

import pytest

from toolweave.driver.goargs import parse

CASES = [
    # (verb, args, packages, rest)
    ("build", ["-o", "app", "-tags", "a,b", "./..."], ("./...",), ()),
    ("build", ["-o=app", "-race", "."], (".",), ()),
    ("run", [".", "-flag", "x"], (".",), ("-flag", "x")),
    ("run", ["main.go", "util.go", "arg"], ("main.go", "util.go"), ("arg",)),
    ("test", ["-run", "^$", "-bench", ".", "-benchmem", "-count", "3", "./pkg"], ("./pkg",), ()),
    ("test", ["-memprofile", "m.out", "-memprofilerate", "1", "-blockprofilerate", "1", "."], (".",), ()),
    ("test", ["-mutexprofilefraction", "5", "-fuzzminimizetime", "10s", "-benchtime", "100x"], (), ()),
    ("test", [".", "-v", "-args", "x"], (".",), ("-v", "-args", "x")),
    ("test", ["-json", "-short", "./a", "./b"], ("./a", "./b"), ()),
]


@pytest.mark.parametrize("verb,args,packages,rest", CASES)
def test_split(verb, args, packages, rest):
    cmd = parse(verb, args)
    assert cmd.packages == packages
    assert cmd.rest == rest


def test_list_flags_keep_what_changes_the_build_and_drop_the_rest():
    cmd = parse("test", ["-tags", "x", "-o", "t.test", "-memprofilerate", "1", "-race", "."])
    assert cmd.list_flags() == ["-tags=x", "-race"]
    assert cmd.flag("-o") == "t.test"


@pytest.mark.parametrize("args, goflags, trims", [
    (["-trimpath", "."], "", True),
    (["-trimpath=true", "."], "", True),
    (["-trimpath=false", "."], "-trimpath", False),     # the command line wins over GOFLAGS
    (["."], "-trimpath", True),
    (["."], "-mod=mod -trimpath=false", False),
    (["."], "-race -trimpath", True),
    (["."], "", False),
])
def test_a_build_trims_paths_by_flag_or_goflags(args, goflags, trims):
    """The front end names woven files as the compiler will when the build trims paths
    (tests/e2e/test_trimpath_e2e.py builds it end to end)."""
    from toolweave.driver.frontend import _trimpath

    assert _trimpath(parse("build", args), {"GOFLAGS": goflags}) == trims
