"""load_aspect_text / load_aspects: extends, meta, fingerprints, Orchestrion-style files."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from toolweave.weave import Failed, Rewritten, weave_file

from toolweave.aspect import AspectError, AspectSet, load_aspect_text, load_aspects

HERE = Path(__file__).resolve().parent
GOOD = HERE / "good"

META = "meta:\n  name: example.com/acme/tracing\n  description: Test aspects.\n"


def aspect(aspect_id: str, call: str = "fmt.Println", template: str = "{{ . }}") -> str:
    return (f"  - id: {aspect_id}\n    join-point:\n      function-call: {call}\n"
            f"    advice:\n      - wrap-expression: '{template}'\n")


def aspects(*ids: str) -> str:
    return "aspects:\n" + "".join(aspect(i) for i in ids)


def write(directory: Path, files: dict[str, str]) -> Path:
    for name, text in files.items():
        path = directory / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    return directory


def ids(loaded: AspectSet) -> list[str]:
    return [a.id for a in loaded.aspects]


# -- load_aspect_text ----------------------------------------------------------------------

TEXT_CASES = [
    # (name, text, expected ids, expected advice kinds of the first aspect)
    ("one aspect", aspects("a"), ["a"], ["wrap-expression"]),
    ("several aspects keep file order", aspects("c", "a", "b"), ["c", "a", "b"], ["wrap-expression"]),
    ("meta is optional", aspects("a"), ["a"], ["wrap-expression"]),
    ("meta present", META + aspects("a"), ["a"], ["wrap-expression"]),
    ("schema comment and document marker",
     "# yaml-language-server: $schema=https://example.com/schema.json\n---\n" + aspects("a"), ["a"],
     ["wrap-expression"]),
    ("single advice mapping",
     "aspects:\n  - id: a\n    join-point: {function-call: fmt.Println}\n    advice: {wrap-expression: '{{ . }}'}\n",
     ["a"], ["wrap-expression"]),
    ("several advice in order",
     "aspects:\n  - id: a\n    join-point: {function-call: fmt.Println}\n    advice:\n"
     "      - replace-function: example.com/log.Println\n"
     "      - append-args: {type: string, values: ['\"x\"']}\n"
     "      - add-blank-import: example.com/telemetry\n",
     ["a"], ["replace-function", "append-args", "add-blank-import"]),
    ("ids are free text",
     "aspects:\n  - id: func main()\n    join-point: {function-call: fmt.Println}\n    advice: [{wrap-expression: '{{ . }}'}]\n"
     "  - id: //dd:span\n    join-point: {function-call: fmt.Printf}\n    advice: [{wrap-expression: '{{ . }}'}]\n",
     ["func main()", "//dd:span"], ["wrap-expression"]),
    ("tracer-internal accepted",
     "aspects:\n  - id: a\n    tracer-internal: true\n    join-point: {function-call: fmt.Println}\n"
     "    advice: [{wrap-expression: '{{ . }}'}]\n", ["a"], ["wrap-expression"]),
]


@pytest.mark.parametrize("name,text,want_ids,want_advice", TEXT_CASES, ids=[c[0] for c in TEXT_CASES])
def test_load_aspect_text(name, text, want_ids, want_advice):
    loaded = load_aspect_text(text, "inline.yml")
    assert ids(loaded) == want_ids
    assert [adv.kind for adv in loaded.aspects[0].advice] == want_advice
    assert [a.index for a in loaded.aspects] == list(range(len(want_ids)))
    assert all(a.file == "inline.yml" for a in loaded.aspects)
    assert loaded.files == ("inline.yml",)


def test_aspect_lines_are_the_lines_of_their_items():
    loaded = load_aspect_text(META + aspects("a", "b"), "inline.yml")
    # meta takes 3 lines, `aspects:` the 4th; each aspect is 5 lines long
    assert [a.line for a in loaded.aspects] == [5, 10]
    assert loaded.aspects[1].name == "inline.yml:10 b"


def test_load_aspect_text_errors_name_the_given_name():
    with pytest.raises(AspectError) as info:
        load_aspect_text(aspects("a", "a"), "inline.yml")
    err = info.value
    assert (err.file, err.line, err.aspect) == ("inline.yml", 7, "a")
    assert str(err) == 'inline.yml:7: aspect "a": duplicate aspect id (first at line 2)'


def test_error_carries_kind():
    text = "aspects:\n  - id: a\n    join-point: {directive: '//x'}\n    advice: [{add-blank-import: x/y}]\n"
    with pytest.raises(AspectError) as info:
        load_aspect_text(text, "inline.yml")
    assert (info.value.line, info.value.aspect, info.value.kind) == (3, "a", "directive")


# -- extends -------------------------------------------------------------------------------

EXTENDS_CASES = [
    # (files, the file(s) to load, expected aspect ids in order)
    ({"top.yml": "extends: [./base.yml]\n" + aspects("top-1", "top-2"), "base.yml": aspects("base")},
     ["top.yml"], ["base", "top-1", "top-2"]),
    ({"top.yml": "extends: [./a.yml, ./b.yml]\n" + aspects("top"), "a.yml": aspects("a"), "b.yml": aspects("b")},
     ["top.yml"], ["a", "b", "top"]),
    # nested, and relative to the extending file (not to the working directory)
    ({"top.yml": "extends: [sub/mid.yml]\n" + aspects("top"),
      "sub/mid.yml": "extends: [../lib/base.yml]\n" + aspects("mid"), "lib/base.yml": aspects("base")},
     ["top.yml"], ["base", "mid", "top"]),
    # a diamond: the shared file is loaded once
    ({"top.yml": "extends: [./a.yml, ./b.yml]\n" + aspects("top"),
      "a.yml": "extends: [./shared.yml]\n" + aspects("a"), "b.yml": "extends: [./shared.yml]\n" + aspects("b"),
      "shared.yml": aspects("shared")},
     ["top.yml"], ["shared", "a", "b", "top"]),
    # a file named twice on the command line, or also reached by extends, is loaded once
    ({"top.yml": "extends: [./base.yml]\n" + aspects("top"), "base.yml": aspects("base")},
     ["top.yml", "base.yml"], ["base", "top"]),
    # extends only, no aspects of its own
    ({"top.yml": "extends: [./base.yml]\n", "base.yml": aspects("base")}, ["top.yml"], ["base"]),
    # same ids in different files are fine (ids are unique within a file)
    ({"one.yml": aspects("same"), "two.yml": aspects("same")}, ["one.yml", "two.yml"], ["same", "same"]),
]


@pytest.mark.parametrize("files,load,want", EXTENDS_CASES, ids=[
    "base-first", "two-in-order", "nested-relative", "diamond-once", "named-twice", "extends-only",
    "same-id-two-files"])
def test_extends_loads_the_other_file_first(files, load, want, tmp_path, monkeypatch):
    root = write(tmp_path / "aspects", files)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)
    loaded = load_aspects([root / name for name in load])
    assert ids(loaded) == want
    assert [a.index for a in loaded.aspects] == list(range(len(want)))


def test_extended_aspects_remember_their_file(tmp_path):
    root = write(tmp_path, {"top.yml": "extends: [./base.yml]\n" + aspects("top"), "base.yml": aspects("base")})
    loaded = load_aspects([root / "top.yml"])
    by_id = {a.id: Path(a.file).resolve() for a in loaded.aspects}
    assert by_id == {"base": (root / "base.yml").resolve(), "top": (root / "top.yml").resolve()}


def test_errors_in_an_extended_file_name_that_file(tmp_path):
    root = write(tmp_path, {"top.yml": "extends: [./base.yml]\n" + aspects("top"),
                            "base.yml": aspects("x", "x")})
    with pytest.raises(AspectError) as info:
        load_aspects([root / "top.yml"])
    assert Path(info.value.file).resolve() == (root / "base.yml").resolve()
    assert info.value.line == 7


# -- meta ----------------------------------------------------------------------------------

def test_meta_is_optional_for_weave_inputs(tmp_path):
    root = write(tmp_path, {"a.yml": aspects("a")})
    loaded = load_aspects([root / "a.yml"])
    assert ids(loaded) == ["a"] and loaded.meta == ()


def test_require_meta_demands_it(tmp_path):
    root = write(tmp_path, {"a.yml": "# no meta here\n" + aspects("a")})
    with pytest.raises(AspectError) as info:
        load_aspects([root / "a.yml"], require_meta=True)
    assert info.value.file == str(root / "a.yml")
    assert info.value.line in (1, 2)
    assert "meta" in info.value.message


def test_require_meta_accepts_a_file_with_meta(tmp_path):
    root = write(tmp_path, {"a.yml": META + aspects("a")})
    loaded = load_aspects([root / "a.yml"], require_meta=True)
    assert ids(loaded) == ["a"]
    assert loaded.meta == ((str(root / "a.yml"), {"name": "example.com/acme/tracing",
                                                   "description": "Test aspects."}),)


@pytest.mark.parametrize("meta", [
    "meta:\n  name: ''\n  description: d\n",
    "meta:\n  name: n\n",
    "meta:\n  name: n\n  description: d\n  colour: red\n",
    "meta: just a string\n",
], ids=["empty-name", "no-description", "unknown-field", "not-a-mapping"])
def test_bad_meta_is_an_error_even_when_optional(meta):
    with pytest.raises(AspectError) as info:
        load_aspect_text(meta + aspects("a"), "inline.yml")
    assert info.value.line in (1, 2, 3, 4)


# -- fingerprint ---------------------------------------------------------------------------

def _tree(tmp_path: Path, name: str, template: str = "{{ . }}") -> Path:
    return write(tmp_path / name, {
        "top.yml": "extends: [./base.yml]\n" + "aspects:\n" + aspect("top", template=template),
        "base.yml": aspects("base")})


def test_fingerprint_is_stable_across_loads(tmp_path):
    root = _tree(tmp_path, "one")
    first = load_aspects([root / "top.yml"]).fingerprint
    second = load_aspects([root / "top.yml"]).fingerprint
    assert first == second
    assert isinstance(first, str) and len(first) >= 16


def test_fingerprint_ignores_the_directory(tmp_path):
    one = _tree(tmp_path, "one")
    two = tmp_path / "somewhere" / "else"
    shutil.copytree(one, two)
    assert load_aspects([one / "top.yml"]).fingerprint == load_aspects([two / "top.yml"]).fingerprint


def test_fingerprint_of_text_and_file_agree(tmp_path):
    root = write(tmp_path, {"a.yml": aspects("a")})
    assert load_aspect_text(aspects("a")).fingerprint == load_aspects([root / "a.yml"]).fingerprint


def test_fingerprint_changes_with_one_template_character(tmp_path):
    one = _tree(tmp_path, "one", template="{{ . }}")
    two = _tree(tmp_path, "two", template="{{ .}}")
    assert load_aspects([one / "top.yml"]).fingerprint != load_aspects([two / "top.yml"]).fingerprint


def test_fingerprint_changes_with_an_extended_file(tmp_path):
    one = _tree(tmp_path, "one")
    before = load_aspects([one / "top.yml"]).fingerprint
    base = one / "base.yml"
    base.write_text(base.read_text().replace("fmt.Println", "fmt.Printf"))
    assert load_aspects([one / "top.yml"]).fingerprint != before


def test_fingerprint_depends_on_file_order(tmp_path):
    root = write(tmp_path, {"a.yml": aspects("a"), "b.yml": aspects("b")})
    ab = load_aspects([root / "a.yml", root / "b.yml"])
    ba = load_aspects([root / "b.yml", root / "a.yml"])
    assert ids(ab) == ["a", "b"] and ids(ba) == ["b", "a"]
    assert ab.fingerprint != ba.fingerprint, "aspect order decides advice order, so it is part of the identity"


# -- Orchestrion-style files ---------------------------------------------------------------

def test_orchestrion_style_file_loads():
    path = GOOD / "orchestrion-style.yml"
    loaded = load_aspects([path], require_meta=True)
    assert ids(loaded) == ["func main()", "//dd:span"]
    main, span = loaded.aspects
    assert [a.kind for a in main.advice] == ["prepend-statements"]
    assert main.join_point.kind == "all-of"
    assert span.join_point.kind == "function-body"
    prepend = span.advice[0]
    assert (prepend.order, prepend.namespace) == (1, "tracer")
    assert dict(prepend.template.imports) == {"context": "context", "tracer": "example.com/acme/tracer"}
    assert loaded.meta[0][1]["icon"] == "cog"


def test_orchestrion_style_text_loads_unchanged():
    # The shape of Orchestrion's own built-in files: advice as a list of one-key maps, a
    # `function` option list with an empty signature, and template control structures.
    text = """\
meta:
  name: github.com/DataDog/dd-trace-go/contrib/net/http
  description: HTTP client and server instrumentation.
aspects:
  - id: Start the tracer in main
    tracer-internal: true
    join-point:
      all-of:
        - package-name: main
        - function-body:
            function:
              - name: main
              - signature: {}
    advice:
      - prepend-statements:
          imports:
            tracer: gopkg.in/DataDog/dd-trace-go.v1/ddtrace/tracer
            log: log
          template: |-
            tracer.Start({{ if true }}tracer.WithOrchestrion(map[string]string{"version": {{ printf "%q" Version }}}){{ end }})
            defer tracer.Stop()
            log.Println("tracer started")
"""
    loaded = load_aspect_text(text, "orchestrion.yml")
    assert ids(loaded) == ["Start the tracer in main"]
    assert dict(loaded.aspects[0].advice[0].template.imports)["tracer"] == "gopkg.in/DataDog/dd-trace-go.v1/ddtrace/tracer"


# -- template package qualifiers: resolved at weave time, never a load-time error -------------

def prepend(template: str, imports: str = "") -> str:
    body = "".join(f"            {line}\n" for line in template.splitlines())
    return ("aspects:\n  - id: a\n    join-point:\n      function-body:\n        function:\n          - name: main\n"
            "    advice:\n      - prepend-statements:\n" + imports + "          template: |-\n" + body)


@pytest.mark.parametrize("template", [
    'println("wrapped by fmt.Println")',
    "println(`time.Now is not called`)",
    "// instruments http.Handler\nprintln(1)",
    "/* see log.Printf */ println(1)",
    "println('x', \"errors.New\")",
], ids=["string", "raw-string", "line-comment", "block-comment", "after-rune"])
def test_package_names_outside_code_are_not_qualifiers(template):
    """Only Go code names packages: text in string literals and comments does not need `imports`."""
    loaded = load_aspect_text(prepend(template), "inline.yml")
    assert ids(loaded) == ["a"]


@pytest.mark.parametrize("template,imports", [
    ("fmt.Println(1)", "          imports: {fmt: fmt}\n"),
    ("var log struct{ Print func() }\nlog.Print()", ""),          # a local, not the package
    ('{{ printf "%q" "fmt.Println" }}', ""),                      # inside an action
], ids=["listed", "local-variable", "in-action"])
def test_qualifier_check_accepts(template, imports):
    loaded = load_aspect_text(prepend(template, imports), "inline.yml")
    assert ids(loaded) == ["a"]
    assert isinstance(weave_file("main.go", b"package main\n\nfunc main() {\n}\n", loaded), Rewritten)


@pytest.mark.parametrize("template,package", [
    ("fmt.Println(1)", "fmt"),
    ('x := 1\nlog.Printf("%d", x)', "log"),
    ("var t time.Duration\n_ = t", "time"),
], ids=["call", "after-statement", "type"])
def test_unlisted_packages_load_and_fail_the_weave_of_a_file_without_them(template, package):
    """The file could have imported them (real aspect files rely on that): not a load-time
    error, but the weave of a file that does not import them fails, located."""
    loaded = load_aspect_text(prepend(template), "inline.yml")
    result = weave_file("main.go", b"package main\n\nfunc main() {\n}\n", loaded)
    assert isinstance(result, Failed), result
    assert result.reason.startswith("main.go:3: aspect inline.yml:2 a: prepend-statements: ")
    assert f"package '{package}'" in result.reason


def test_schema_valid_marks_remember_only_valid_texts(tmp_path):
    """A text that passed the schema is remembered by hash; a broken one never is, and the
    kinds' own checks still run on a remembered text."""
    marks = tmp_path / "marks"
    good = tmp_path / "good.yml"
    good.write_text("aspects:\n  - id: a\n    join-point: {function-call: fmt.Println}\n"
                    "    advice: [{add-blank-import: embed}]\n")
    first = load_aspects([good], valid_marks=str(marks))
    assert len(list(marks.iterdir())) == 1
    assert load_aspects([good], valid_marks=str(marks)).fingerprint == first.fingerprint
    bad = tmp_path / "bad.yml"
    bad.write_text("aspects:\n  - id: b\n    join-point: {function-cal: fmt.Println}\n"
                   "    advice: [{add-blank-import: embed}]\n")
    with pytest.raises(AspectError):
        load_aspects([bad], valid_marks=str(marks))
    assert len(list(marks.iterdir())) == 1


def test_packages_of_a_library_integration_count_only_where_the_library_is():
    """A file whose meta names a third-party library adds its packages only to builds that
    have that library (the drop-in driver builds the glue of the libraries a binary links,
    not of every integration); standard-library and toolweave's own files always count."""
    from toolweave.config import BUILTIN_DIR

    paths = [os.path.join(BUILTIN_DIR, n) for n in ("grpc.yml", "databasesql.yml", "weave-span.yml")]
    aspects = load_aspects(paths, require_meta=True)
    everything = aspects.packages()
    assert "toolweave.dev/runtime/grpc" in everything and "toolweave.dev/runtime/sql" in everything
    without = aspects.packages(present=lambda module: False)
    assert "toolweave.dev/runtime/grpc" not in without
    assert "toolweave.dev/runtime/sql" in without and "toolweave.dev/runtime/span" in without
    assert aspects.packages(present=lambda module: module == "google.golang.org/grpc") == everything
    grpc_aspect = next(a for a in aspects.aspects if a.id == "grpc-newclient")
    assert aspects.library(grpc_aspect) == "google.golang.org/grpc"
    sql_aspect = next(a for a in aspects.aspects if a.id == "databasesql-open")
    assert aspects.library(sql_aspect) is None            # database/sql: the standard library


def test_an_alias_bomb_is_refused_at_once():
    """Nine levels of nine aliases compose into a few nodes but would expand to 9**9 values:
    refused after MAX_NODES values (it used to run for minutes)."""
    import time

    import yaml

    from toolweave.aspect.yamlnodes import MAX_NODES, load_located

    lines = ['a0: &a0 ["x","x","x","x","x","x","x","x","x"]']
    lines += [f"a{i}: &a{i} [" + ",".join([f"*a{i - 1}"] * 9) + "]" for i in range(1, 10)]
    started = time.perf_counter()
    with pytest.raises(yaml.YAMLError, match="aliases expanding"):
        load_located("\n".join(lines) + "\n")
    assert time.perf_counter() - started < 5
    # what real files use of aliases still loads: a shared list used a few times
    doc = load_located("x: &x [1, 2]\ny: *x\nz: *x\n")
    assert doc["y"] == doc["z"] == [1, 2] and MAX_NODES >= 100_000
