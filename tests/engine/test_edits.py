"""EditBuffer: byte edits laid out in output order. Tables of edits -> resulting text."""

import pytest

from toolweave.engine import EditBuffer, EditConflict, Gen, Orig

TEXT = "f(a, b)"    # offsets: f=0 (=1 a=2 ,=3 b=5 )=6


def apply(text, edits):
    buf = EditBuffer()
    for e in edits:
        buf.add(*e)
    out = []
    for p in buf.pieces(len(text)):
        out.append(p.text if p.is_gen else text[p.start:p.end])
    return "".join(out)


CASES = [
    ("no edits", [], "f(a, b)"),
    ("replace callee", [(0, 1, [Gen("g")])], "g(a, b)"),
    ("insert before close paren", [(6, 6, [Gen(", c")])], "f(a, b, c)"),
    ("wrap whole call", [(0, 7, [Gen("w("), Orig(0, 7), Gen(")")])], "w(f(a, b))"),
    ("wrap call and append arg (nested)",
     [(0, 7, [Gen("w("), Orig(0, 7), Gen(")")]), (6, 6, [Gen(", c")])], "w(f(a, b, c))"),
    ("nested recorded inner first",
     [(2, 3, [Gen("x("), Orig(2, 3), Gen(")")]), (0, 7, [Gen("w("), Orig(0, 7), Gen(")")])], "w(f(x(a), b))"),
    ("same range stacks: later wraps earlier",
     [(0, 7, [Gen("A("), Orig(0, 7), Gen(")")]), (0, 7, [Gen("B("), Orig(0, 7), Gen(")")])], "B(A(f(a, b)))"),
    ("insertions at one point keep seq order", [(6, 6, [Gen(", c")]), (6, 6, [Gen(", d")])], "f(a, b, c, d)"),
    ("rank puts an insertion first", [(6, 6, [Gen(", c")]), (6, 6, [Gen(", d")], -5)], "f(a, b, d, c)"),
    ("insertion at a replaced range's start stays outside", [(0, 0, [Gen(">")]), (0, 1, [Gen("g")])], ">g(a, b)"),
    ("moved child keeps inner edits", [(0, 7, [Gen("["), Orig(2, 6), Gen("]")]), (5, 6, [Gen("B")])], "[a, B]"),
]


@pytest.mark.parametrize("name,edits,want", CASES, ids=[c[0] for c in CASES])
def test_edit_table(name, edits, want):
    assert apply(TEXT, edits) == want


CONFLICTS = [
    ("partial overlap", [(0, 3, [Gen("x")]), (2, 5, [Gen("y")])]),
    ("edit inside dropped text", [(0, 7, [Gen("gone")]), (2, 3, [Gen("z")])]),
]


@pytest.mark.parametrize("name,edits", CONFLICTS, ids=[c[0] for c in CONFLICTS])
def test_conflicts(name, edits):
    with pytest.raises(EditConflict):
        apply(TEXT, edits)
