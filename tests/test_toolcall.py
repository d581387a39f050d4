"""Reading and rewriting tool calls for the drop-in driver (driver/toolcall.py, toolexec.py):
tables of the go command's real argument shapes (cmd/go/internal/work/gc.go)."""

from __future__ import annotations

import pytest

from toolweave.driver.toolcall import Compile, importcfg_imports, is_version_probe, link_importcfg, tool_name
from toolweave.driver.toolexec import with_fingerprint

COMPILE = ["-o", "/w/b001/_pkg_.a", "-trimpath", "/w/b001=>", "-p", "example.com/app", "-lang=go1.26",
           "-complete", "-buildid", "aa/aa", "-goversion", "go1.26.8", "-c=2", "-nolocalimports",
           "-importcfg", "/w/b001/importcfg", "-pack", "/src/app/main.go", "/src/app/util.go"]


@pytest.mark.parametrize("path, name", [
    ("/usr/local/go/pkg/tool/linux_amd64/compile", "compile"),
    ("C:\\go\\pkg\\tool\\windows_amd64\\link.exe".replace("\\", "/"), "link"),
    ("asm", "asm"),
])
def test_tool_name(path, name):
    assert tool_name(path) == name


@pytest.mark.parametrize("args, probe", [(["-V=full"], True), (["-V=full", "x"], False), (["-V"], False), ([], False)])
def test_version_probe(args, probe):
    assert is_version_probe(args) is probe


@pytest.mark.parametrize("flag, value", [
    ("-p", "example.com/app"), ("-lang", "go1.26"), ("-complete", ""), ("-importcfg", "/w/b001/importcfg"),
    ("-o", "/w/b001/_pkg_.a"), ("-c", "2"), ("-std", None), ("-pack", ""),
])
def test_compile_flags(flag, value):
    assert Compile.parse(COMPILE).flag(flag) == value


def test_compile_files_are_the_trailing_go_arguments():
    assert Compile.parse(COMPILE).files == ("/src/app/main.go", "/src/app/util.go")
    assert Compile.parse(["-o", "x.a", "-p", "p"]).files == ()


def test_compile_with_changes_swaps_files_and_flags_in_place():
    call = Compile.parse(COMPILE)
    out = call.with_changes({"/src/app/main.go": "/w/b001/toolweave/main.go"},
                            {"-complete": None, "-importcfg": "/w/b001/toolweave/importcfg", "-lang": "go1.21"})
    assert "-complete" not in out
    assert out[out.index("-importcfg=/w/b001/toolweave/importcfg") - 1] == "-nolocalimports"
    assert "-lang=go1.21" in out and "-lang=go1.26" not in out
    assert out[-2:] == ["/w/b001/toolweave/main.go", "/src/app/util.go"]
    assert out[:4] == COMPILE[:4]                 # everything else untouched, in its place


def test_compile_without_changes_is_the_same_call():
    call = Compile.parse(COMPILE)
    assert call.with_changes({}, {}) == COMPILE


@pytest.mark.parametrize("args, cfg", [
    (["-o", "a.out", "-importcfg", "/w/b001/importcfg.link", "-buildmode=exe", "/w/b001/_pkg_.a"],
     "/w/b001/importcfg.link"),
    (["-importcfg=/x/cfg", "main.a"], "/x/cfg"),
    (["main.a"], None),
])
def test_link_importcfg(args, cfg):
    assert link_importcfg(args) == cfg


def test_importcfg_imports():
    lines = ["# import config", "packagefile fmt=/c/fmt.a", "importmap old/x=vendor/old/x",
             "packagefile vendor/old/x=/c/x.a", "modinfo \"…\""]
    assert importcfg_imports(lines) == {"fmt", "old/x", "vendor/old/x"}


@pytest.mark.parametrize("line, out", [
    ("compile version go1.26.8\n", "compile version go1.26.8 toolweave=f00d"),
    ("link version go1.27.3 X:nocoverageredesign\n", "link version go1.27.3 X:nocoverageredesign toolweave=f00d"),
    ("compile version devel go1.28-abc123 buildID=x/y/z\n",
     "compile version devel go1.28-abc123 buildID=x/y/z.toolweave-f00d"),
])
def test_version_line_carries_the_fingerprint(line, out):
    assert with_fingerprint(line, "f00d") == out
