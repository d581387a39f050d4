"""The kinds of join point and advice: the registry, schema.json and ASPECTS.md list the same
ones, the schema is a valid draft 2020-12 schema, and a good example of every kind loads."""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

import jsonschema
import pytest
import yaml

from toolweave.aspect import schema as sch

HERE = Path(__file__).resolve().parent
GOOD = HERE / "good"
ASPECTS_MD = Path(os.environ.get("TOOLWEAVE_ASPECTS_MD", "/work/shared/ASPECTS.md"))


@pytest.fixture(scope="module")
def registry():
    from toolweave.aspect.registry import ADVICE, JOIN_POINTS, load_kinds

    load_kinds()
    return JOIN_POINTS, ADVICE


@pytest.fixture(scope="module")
def schema() -> dict:
    return json.loads(sch.SCHEMA_PATH.read_text())


def _schema_kinds(schema, which: str) -> set[str]:
    return set(schema["$defs"][which]["properties"])


# -- registry <-> schema -------------------------------------------------------------------

def test_registry_and_schema_list_the_same_join_points(registry, schema):
    join_points, _ = registry
    assert set(join_points) == _schema_kinds(schema, "joinPoint")
    assert sch.join_point_kinds() == frozenset(join_points)


def test_registry_and_schema_list_the_same_advice(registry, schema):
    _, advice = registry
    assert set(advice) == _schema_kinds(schema, "advice")
    assert sch.advice_kinds() == frozenset(advice)


def test_every_registered_class_knows_its_key(registry):
    join_points, advice = registry
    for key, cls in {**join_points, **advice}.items():
        assert cls.kind == key, cls


def test_join_point_and_advice_kinds_do_not_overlap(registry):
    join_points, advice = registry
    assert not set(join_points) & set(advice)


# -- the schema itself ---------------------------------------------------------------------

def test_schema_is_a_valid_draft_2020_12_schema(schema):
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    jsonschema.Draft202012Validator.check_schema(schema)


def test_schema_refs_all_resolve(schema):
    defs = schema["$defs"]
    refs = set(re.findall(r'"\$ref": "#/\$defs/([^"]+)"', json.dumps(schema)))
    assert refs <= set(defs), f"dangling $ref: {sorted(refs - set(defs))}"


# -- ASPECTS.md ----------------------------------------------------------------------------

def _md_section(text: str, heading: str) -> str:
    m = re.search(rf"^## {re.escape(heading)}\s*$(.*?)(?=^## |\Z)", text, re.M | re.S)
    assert m, f"ASPECTS.md has no '## {heading}' section"
    return m.group(1)


def _md_table_keys(section: str) -> set[str]:
    """First-column `keys` of the markdown table rows in a section (header row excluded)."""
    return set(re.findall(r"^\|\s*`([^`]+)`\s*\|", section, re.M))


@pytest.fixture(scope="module")
def aspects_md() -> str:
    if not ASPECTS_MD.is_file():
        pytest.skip(f"{ASPECTS_MD} is not available (set TOOLWEAVE_ASPECTS_MD to the aspect file "
                    "reference); the kind lists are never hard-coded here")
    return ASPECTS_MD.read_text()


def _own_additions() -> set[str]:
    """The kinds toolweave adds to ASPECTS.md, from docs/architecture.md's table."""
    text = (Path(__file__).parents[2] / "docs" / "architecture.md").read_text()
    section = text[text.index("**What toolweave adds to the aspect language.**"):]
    return _md_table_keys(section[:section.index("\n\n", section.index("| Key |"))])


def test_join_points_match_aspects_md(registry, aspects_md):
    documented = _md_table_keys(_md_section(aspects_md, "Join points"))
    assert len(documented) >= 10, "the join point table was not parsed"
    own = _own_additions()
    assert own and not own & documented, own
    assert documented | own == set(registry[0])


def test_advice_match_aspects_md(registry, aspects_md):
    documented = _md_table_keys(_md_section(aspects_md, "Advice"))
    assert len(documented) >= 5, "the advice table was not parsed"
    assert documented == set(registry[1])


def test_function_options_match_aspects_md(schema, aspects_md):
    section = _md_section(aspects_md, "Join points")
    options = section[section.index("`function` options"):]
    options = options[:options.index("\n\n", options.index("\n- "))]
    documented = set(re.findall(r"`([a-z-]+):", options))
    assert documented == set(schema["$defs"]["functionOption"]["properties"])


# -- good examples -------------------------------------------------------------------------

def _aspect(join_point: str, advice: str) -> str:
    return f"aspects:\n  - id: example\n    join-point:\n{_indent(join_point, 6)}\n    advice:\n{_indent(advice, 6)}\n"


def _indent(text: str, n: int) -> str:
    return "\n".join(" " * n + line if line else line for line in text.strip("\n").splitlines())


BLANK = "- add-blank-import: example.com/telemetry"
WRAP = "- wrap-expression: '{{ . }}'"
PREPEND = "- prepend-statements: println(\"enter\")"

GOOD_EXAMPLES = {
    "all-of": _aspect("all-of:\n  - package-name: main\n  - function-call: fmt.Println", WRAP),
    "one-of": _aspect("one-of:\n  - function-call: fmt.Println\n  - function-call: fmt.Printf", WRAP),
    "not": _aspect("not:\n  import-path: example.com/internal", BLANK),
    "import-path": _aspect("import-path: example.com/app", BLANK),
    "package-name": _aspect("package-name: main", BLANK),
    "package-filter-glob": _aspect("package-filter: 'example.com/**/[a-c]?/*'", BLANK),
    "package-filter-root": _aspect("package-filter: {root: true}", BLANK),
    "package-filter-pattern-root": _aspect("package-filter: {pattern: 'cmd/*', root: true}", BLANK),
    "test-main": _aspect("test-main: true", BLANK),
    "configuration": _aspect("configuration: {httpmode: wrap}", BLANK),
    "directive": _aspect("function-body:\n  directive: weave:span", PREPEND),
    "function-all-options": _aspect(
        "function-body:\n  function:\n"
        "    - name: Serve\n"
        "    - receiver: '*example.com/app.Server'\n"
        "    - signature: {args: [context.Context, '*net/http.Request', '...string'], returns: [error]}\n"
        "    - signature-contains: {args: [context.Context]}\n"
        "    - result-implements: error\n"
        "    - final-result-implements: error\n"
        "    - argument-implements: interface{}", PREPEND),
    "function-receiver-bool": _aspect("function-body:\n  function:\n    - receiver: false\n    - signature: {}", PREPEND),
    "function-literal": _aspect("function-body:\n  function:\n    - name: ''", PREPEND),
    "go-statement": _aspect("all-of:\n  - package-filter: {root: true}\n  - go-statement: true", PREPEND),
    "function-call": _aspect("function-call: net/http.Get", "- replace-function: example.com/traced.Get"),
    "function-call-builtin": _aspect("function-call: panic", WRAP),
    "method-call": _aspect("method-call: {receiver: net/http.Client, name: Do, match: pointer-only}", WRAP),
    "struct-definition": _aspect("struct-definition: example.com/app.Server",
                                 "- add-struct-field: {name: Span, type: go.opentelemetry.io/otel/trace.Span}"),
    "struct-literal": _aspect("struct-literal: {type: net/http.Server, match: pointer-only}", WRAP),
    "struct-literal-field": _aspect("struct-literal: {type: net/http.Server, field: Handler}", WRAP),
    "declaration-of": _aspect("declaration-of: example.com/app.DefaultClient", "- assign-value: nil"),
    "value-declaration": _aspect("value-declaration: '*net/http.Client'",
                                 "- assign-value:\n    template: '&http.Client{}'\n    imports: {http: net/http}"),
    "append-args": _aspect(
        "function-call: example.com/grpc.Dial",
        "- append-args:\n    type: example.com/grpc.DialOption\n    values:\n"
        "      - template: otelgrpc.WithStats()\n        imports: {otelgrpc: example.com/otelgrpc}\n"
        "      - nil"),
    "inject-declarations": _aspect(
        "package-name: main",
        "- inject-declarations:\n    links: [example.com/runtime/hooks]\n    imports: {unsafe: unsafe}\n"
        "    lang: go1.22\n    template: |-\n      //go:linkname hook example.com/runtime/hooks.Hook\n"
        "      func hook(unsafe.Pointer)"),
    "prepend-statements-full": _aspect(
        "function-body:\n  function:\n    - name: main",
        "- prepend-statements:\n    template: |-\n      {{ if .Function.Name }}fmt.Println({{ printf \"%q\" .Function.Name }}){{ end }}\n"
        "    imports: {fmt: fmt}\n    lang: go1.21\n    order: -3\n    namespace: tracer"),
    "wrap-expression-lang": _aspect(
        "function-call: fmt.Sprintf", "- wrap-expression:\n    template: '{{ . }}'\n    lang: go1.22"),
    "single-advice-mapping": "aspects:\n  - id: one\n    join-point: {function-call: fmt.Println}\n"
                             "    advice: {wrap-expression: '{{ . }}'}\n",
    "extends-only": None,    # filled in by the test: a file made of nothing but `extends`
}


def _kinds_used(doc) -> tuple[set, set]:
    join_points, advice = set(), set()

    def walk_jp(jp):
        for key, value in jp.items():
            join_points.add(key)
            if key in ("all-of", "one-of"):
                for child in value:
                    walk_jp(child)
            elif key in ("not", "function-body"):
                walk_jp(value)

    for aspect in doc.get("aspects", []):
        walk_jp(aspect["join-point"])
        items = aspect["advice"] if isinstance(aspect["advice"], list) else [aspect["advice"]]
        for item in items:
            advice.update(item)
    return join_points, advice


def test_good_examples_cover_every_kind(registry):
    join_points, advice = set(), set()
    for text in GOOD_EXAMPLES.values():
        if text:
            jp, adv = _kinds_used(yaml.safe_load(text))
            join_points |= jp
            advice |= adv
    assert join_points == set(registry[0])
    assert advice == set(registry[1])


@pytest.mark.parametrize("name", sorted(GOOD_EXAMPLES))
def test_good_example_validates_and_loads(name, schema, tmp_path):
    from toolweave.aspect import load_aspect_text, load_aspects

    text = GOOD_EXAMPLES[name]
    if text is None:
        (tmp_path / "base.yml").write_text(GOOD_EXAMPLES["function-call"])
        (tmp_path / "top.yml").write_text("extends: [./base.yml]\n")
        doc = yaml.safe_load((tmp_path / "top.yml").read_text())
        jsonschema.validate(doc, schema, cls=jsonschema.Draft202012Validator)
        loaded = load_aspects([tmp_path / "top.yml"])
        assert [a.id for a in loaded.aspects] == ["example"]
        return
    jsonschema.validate(yaml.safe_load(text), schema, cls=jsonschema.Draft202012Validator)
    loaded = load_aspect_text(text, f"{name}.yml")
    assert len(loaded) == 1
    aspect = loaded.aspects[0]
    assert (aspect.id, aspect.file, aspect.line) == (aspect.id, f"{name}.yml", 2)


@pytest.mark.parametrize("path", sorted(GOOD.glob("*.yml")), ids=lambda p: p.name)
def test_good_files_validate_and_load(path, schema):
    from toolweave.aspect import load_aspects

    jsonschema.validate(yaml.safe_load(path.read_text()), schema, cls=jsonschema.Draft202012Validator)
    assert len(load_aspects([path], require_meta="meta" in yaml.safe_load(path.read_text()))) >= 1
