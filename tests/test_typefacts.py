"""The type checker behind type-aware join points (driver/typecheck.py + data/typefacts),
run for real on small packages: what it answers, and that it degrades instead of failing."""

from __future__ import annotations

import shutil

import pytest

from toolweave.aspect import load_aspect_text
from toolweave.aspect.typefacts import interfaces_asked
from toolweave.driver.cache import Cache
from toolweave.driver.typecheck import PackageTypes, listed_exports
from toolweave.engine import parse_go

GO = shutil.which("go")
pytestmark = pytest.mark.skipif(GO is None, reason="no go command on PATH")

SOURCE = b"""package p

import (
	"io"
	"missing.example/nowhere"
)

type file struct{ r io.Reader }

func (f *file) Read(p []byte) (int, error) { return f.r.Read(p) }

func use(f *file, n nowhere.Thing) { _, _ = f.r.Read(nil) }
"""


def _types(tmp_path, exports, interfaces=("io.Reader", "error")):
    path = tmp_path / "p.go"
    path.write_bytes(SOURCE)
    return path, PackageTypes(Cache(str(tmp_path / "cache")), GO, "example.com/p", "go1.22", [str(path)],
                              lambda needed: (exports, {}), tuple(interfaces))


def _node(root, text: bytes, kind: str):
    stack = [root]
    while stack:
        n = stack.pop()
        if n.type == kind and n.text == text:
            return n
        stack.extend(n.children)
    raise AssertionError(f"no {kind} {text!r}")


def test_answers_despite_an_import_without_export_data(tmp_path, capsys):
    """A package that does not fully check (here: an import with no export data) still
    answers for what did: the operand of f.r.Read and *file's implementation of io.Reader."""
    exports = listed_exports(GO, [], str(tmp_path), None, {"io"})
    path, types = _types(tmp_path, exports)
    facts = types.for_file(str(path))()
    assert str(path) in types.used
    root = parse_go(SOURCE).root_node
    assert facts.operand(_node(root, b"f.r", "selector_expression")) == ("io.Reader", "io.Reader")
    star_file = _node(root, b"*file", "pointer_type")
    assert facts.type_of(star_file) == "*example.com/p.file"
    from toolweave.aspect.types import parse_type_name
    assert facts.implements(star_file, parse_type_name("io.Reader"))
    assert not facts.implements(star_file, parse_type_name("error"))
    assert capsys.readouterr().err == ""


def test_a_broken_archive_is_one_more_type_error(tmp_path, capsys):
    (tmp_path / "not-an-archive").write_bytes(b"garbage")
    path, types = _types(tmp_path, {"io": str(tmp_path / "not-an-archive")})
    facts = types.for_file(str(path))()
    root = parse_go(SOURCE).root_node
    assert facts.type_of(_node(root, b"*file", "pointer_type")) == "*example.com/p.file"
    assert capsys.readouterr().err == ""


def test_a_helper_failure_is_a_warning_and_the_syntax_stands(tmp_path, capsys):
    types = PackageTypes(Cache(str(tmp_path / "cache")), GO, "example.com/p", "", [str(tmp_path / "gone.go")],
                         lambda needed: ({}, {}), ())
    assert types.for_file(str(tmp_path / "gone.go"))() is None
    err = capsys.readouterr().err
    assert err.startswith("toolweave: warning: no type facts for example.com/p: ") and "syntax" in err


def test_interfaces_asked_come_from_join_points_and_templates():
    aspects = load_aspect_text("""
aspects:
  - id: a
    join-point:
      one-of:
        - function: [{argument-implements: io.Reader}]
        - not: {function: [{final-result-implements: error}]}
    advice:
      - prepend-statements:
          template: '_ = "{{ .Function.ResultThatImplements "fmt.Stringer" }}{{ .Function.FinalResultImplements "error" }}"'
""")
    assert interfaces_asked(aspects.aspects) == ("error", "fmt.Stringer", "io.Reader")
