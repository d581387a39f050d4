"""Line directives: reading existing ones, writing the ones a splice needs."""

import pytest

from toolweave.engine import EditBuffer, Gen, Orig, SourceFile, splice
from toolweave.engine.lineinfo import directive_for, scan_directives

SRC = b"package p\n\nfunc f() {\n\tx := 1\n\t_ = x\n}\n"


def woven(edits, data=SRC, path="/src/p.go"):
    source = SourceFile.parse(path, data)
    buf = EditBuffer()
    for e in edits:
        buf.add(*e)
    return splice(source, buf.pieces(len(data))).decode()


def test_no_edit_is_byte_identical():
    assert woven([]) == SRC.decode()


BODY = SRC.index(b"{") + 1
X = SRC.index(b"x :=")

SPLICES = [
    ("multi-line insertion: //line before injected code and after it",
     [(BODY, BODY, [Gen("\n\tprintln(1)\n\tprintln(2)\n")])],
     "package p\n\nfunc f() {\n//line <generated>:1:1\n\tprintln(1)\n\tprintln(2)\n\n//line /src/p.go:4:1\n\tx := 1\n\t_ = x\n}\n"),
    ("single-line wrap mid-line: /*line*/ where the original resumes",
     [(X + 5, X + 6, [Gen("w("), Orig(X + 5, X + 6), Gen(")")])],
     "package p\n\nfunc f() {\n\tx := w(/*line /src/p.go:4:7*/1)\n\t_ = x\n}\n"),
    ("replacement inside a line without newlines keeps later lines",
     [(X, X + 1, [Gen("yy")])],
     "package p\n\nfunc f() {\n\tyy/*line /src/p.go:4:3*/ := 1\n\t_ = x\n}\n"),
]


@pytest.mark.parametrize("name,edits,want", SPLICES, ids=[c[0] for c in SPLICES])
def test_splice_table(name, edits, want):
    assert woven(edits) == want


def test_leading_line_directive_keeps_logical_name():
    data = b"//line /orig/cgo.go:1:1\npackage p\n\nfunc f() {\n\tx := 1\n\t_ = x\n}\n"
    source = SourceFile.parse("/tmp/cgo-out/p.cgo1.go", data)
    assert source.logical_name == "/orig/cgo.go"
    at = data.index(b"{") + 1
    out = woven([(at, at, [Gen("\n\tprintln(1)\n\tprintln(2)\n")])], data, "/tmp/cgo-out/p.cgo1.go")
    assert "//line /orig/cgo.go:4:1\n\tx := 1" in out


LOGICAL = [
    ("line-only directive: column unknown", b"package p\n//line a.go:10\nvar x = 1\nvar y = 2\n", b"y", ("a.go", 11, 0)),
    ("line:col directive", b"package p\n//line a.go:10:1\nvar x = 1\nvar y = 2\n", b"y", ("a.go", 11, 5)),
    ("inline directive", b"package p\nvar x = /*line b.go:7:3*/1 + zz\n", b"zz", ("b.go", 7, 7)),
    ("no directive", b"package p\nvar x = 1\n", b"x", ("f.go", 2, 5)),
]


@pytest.mark.parametrize("name,data,needle,want", LOGICAL, ids=[c[0] for c in LOGICAL])
def test_logical_positions(name, data, needle, want):
    source = SourceFile.parse("f.go", data)
    assert source.logical_position(data.rindex(needle)) == want


@pytest.mark.parametrize("args,want", [
    (("f.go", 3, 1, True), "//line f.go:3:1\n"),
    (("f.go", 3, 7, True), "/*line f.go:3:7*/"),
    (("f.go", 3, 1, False), "/*line f.go:3:1*/"),
    (("f.go", 3, 0, True), "//line f.go:3\n"),
])
def test_directive_forms(args, want):
    assert directive_for(*args) == want


def test_scan_ignores_malformed():
    assert scan_directives(b"package p\n//line nonsense\n") == []
