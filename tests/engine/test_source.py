"""parse_go: what tree-sitter-go 0.25 cannot parse but Go accepts is parsed through a copy
with the stray empty statements blanked; a real syntax error stays an error."""

import pytest

from toolweave.engine import SourceFile, parse_go

ACCEPTED = [
    "func f() int { ; return 1 }",
    "func f() { x := 1; ; _ = x }",
    "func f() { x := 1 ; ; ; ; _ = x; if x > 0 { ; g() } }",
    "func f() { for { ; break } }",
    "func f() { switch { case true: ; g() } }",
    "func f() { L: ; goto L }",
    'func f() { s := ";"; ; _ = s }',           # a ';' in a string is not touched
]

REJECTED = [
    "func f( { }",
    "func f() { ; return 1 +  }",
    "func f() { x := ; }",
]


@pytest.mark.parametrize("body", ACCEPTED)
def test_stray_empty_statements_parse(body):
    data = f"package p\n\n{body}\n".encode()
    source = SourceFile.parse("f.go", data)
    assert not source.has_errors
    assert source.data == data                  # the file's own bytes, every ';' kept
    assert source.text(source.root) == data.decode()


@pytest.mark.parametrize("body", REJECTED)
def test_syntax_errors_stay_errors(body):
    assert parse_go(f"package p\n\n{body}\n".encode()).root_node.has_error


def test_positions_are_those_of_the_file():
    data = b"package p\n\nfunc f() { ; return }\n"
    ret = next(n for n in _walk(SourceFile.parse("f.go", data).root) if n.type == "return_statement")
    assert (ret.start_byte, ret.start_point) == (data.index(b"return"), (2, data.index(b"return") - 11))


def _walk(node):
    yield node
    for child in node.children:
        yield from _walk(child)
