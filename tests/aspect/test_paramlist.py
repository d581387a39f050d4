"""Parameter lists as Go reads them: tree-sitter-go splits a declaration of more than nine
names into type-only declarations; paramlist.groups joins them to the type they share."""

from __future__ import annotations

import pytest

from toolweave.aspect.paramlist import groups
from toolweave.engine import SourceFile


def _groups(signature: str) -> list[tuple[list[str], str, bool]]:
    src = SourceFile.parse("p.go", f"package p\n\nfunc F{signature} {{}}\n".encode())
    func = next(n for n in src.root.named_children if n.type == "function_declaration")
    return [([n.text.decode() for n in g.names], g.type_node.text.decode(), g.variadic)
            for g in groups(func.child_by_field_name("parameters"))]


TEN = ", ".join(f"a{i}" for i in range(10))

@pytest.mark.parametrize("signature, expected", [
    ("()", []),
    ("(int, string)", [([], "int", False), ([], "string", False)]),
    ("(a, b int, c string)", [(["a", "b"], "int", False), (["c"], "string", False)]),
    (f"({TEN} uintptr)", [([f"a{i}" for i in range(10)], "uintptr", False)]),
    (f"(x, y int, {TEN} uintptr, _ bool)",
     [(["x", "y"], "int", False), ([f"a{i}" for i in range(10)], "uintptr", False), (["_"], "bool", False)]),
    (f"({TEN} int, rest ...string)", [([f"a{i}" for i in range(10)], "int", False), (["rest"], "string", True)]),
    ("(a0, a1, a2, a3, a4, a5, a6, a7, a8, a9, a10 *T)", [([f"a{i}" for i in range(11)], "*T", False)]),
])
def test_groups_read_a_parameter_list_as_go_does(signature, expected):
    assert _groups(signature) == expected
