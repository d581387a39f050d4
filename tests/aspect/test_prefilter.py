"""Prefilters as data (toolweave/prefilter.py): each join point's prefilter, kept as JSON in
a build record, admits exactly the files its file_may_match admits. Rows: a join point, a
file that may match, a file that cannot."""

from __future__ import annotations

import json

import pytest

from toolweave.aspect import load_aspect_text
from toolweave.prefilter import all_of, any_of, has, may_match

ROWS = [
    ("directive: weave:span", b"//weave:span\nfunc f() {}", b"func f() {} // weave:span"),
    ("function-call: net/http.Get", b"http.Get(u)", b"http.Post(u)"),
    ("struct-definition: example.com/p.Config", b"type Config struct{}", b"type Config int"),
    # a one-letter name: only where it can be a type spec's name before `struct`
    ("struct-definition: runtime.g", b"type g struct {", b"func f() { g := getg(); _ = struct{}{} }"),
    ("struct-definition: runtime.g", b"type (\n\tm    int\n\tg    struct{}\n)", b"type gs struct{}"),
    ("struct-definition: runtime.g", b"type g[T any] struct{ v T }", b"var g = 1\ntype s struct{}"),
    ("struct-definition: runtime.g", b"type (g /* the goroutine */ struct{})", b"var g = struct{}{}"),
    ("declaration-of: example.com/p.Handler", b"var Handler = 1", b"var other = 1"),
    ("function-body: {function: [{name: Serve}]}", b"func Serve() {}", b"func Other() {}"),
    ("all-of: [{directive: weave:span}, {function: [{name: Run}]}]", b"//weave:span\nfunc Run() {}",
     b"//weave:span\nfunc Walk() {}"),
    ("one-of: [{directive: weave:span}, {directive: weave:log}]", b"//weave:log\nfunc f() {}", b"func f() {}"),
    ("struct-literal: {type: example.com/p.Options, field: Timeout}", b"p.Options{Timeout: 1}", b"p.Options{}"),
]


def _join_point(spec: str):
    text = f"aspects:\n  - id: t\n    join-point: {{{spec}}}\n    advice:\n      - add-blank-import: fmt\n"
    return load_aspect_text(text).aspects[0].join_point


@pytest.mark.parametrize("spec,may,cannot", ROWS, ids=[r[0] for r in ROWS])
def test_a_recorded_prefilter_decides_as_the_join_point_does(spec, may, cannot):
    jp = _join_point(spec)
    recorded = json.loads(json.dumps(jp.prefilter()))
    for data, want in ((may, True), (cannot, False)):
        assert jp.file_may_match(data) is want
        assert may_match(recorded, data) is want


def test_import_path_admits_any_file():
    assert _join_point("import-path: net/http").prefilter() is True


SIMPLIFIED = [
    (all_of(), True),
    (all_of(True, has(b"x")), has(b"x")),
    (any_of(), False),
    (any_of(has(b"x"), True), True),
    (any_of(False, has(b"x")), has(b"x")),
    (all_of(has(b"a"), has(b"b")), ["all", [["has", "a"], ["has", "b"]]]),
]


@pytest.mark.parametrize("built,want", SIMPLIFIED)
def test_helpers_simplify(built, want):
    assert built == want


def test_needles_keep_every_byte():
    needle = bytes(range(256))
    recorded = json.loads(json.dumps(has(needle)))
    assert may_match(recorded, b"x" + needle + b"y") and not may_match(recorded, needle[:-1])
