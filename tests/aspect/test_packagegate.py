"""Package gates (toolweave.packagegate) are package_may_match as data: the launcher rules a
compile out from them without Python, so for every aspect toolweave ships, and for join
points of every kind, a gate must answer exactly what package_may_match answers."""

from __future__ import annotations

import glob
import os

import pytest

from toolweave import packagegate
from toolweave.aspect import load_aspect_text, load_aspects
from toolweave.aspect.facts import PackageFacts
from toolweave.config import BUILTIN_DIR, OPTIONAL_DIR

SHIPPED = sorted(glob.glob(os.path.join(BUILTIN_DIR, "*.yml")) + glob.glob(os.path.join(OPTIONAL_DIR, "*.yml")))

PACKAGES = [
    PackageFacts(import_path="example.com/app", name="main", imports=frozenset({"fmt", "net/http", "os", "log"}),
                 main_module="example.com/app", module_rel="."),
    PackageFacts(import_path="example.com/app/store", name="store", imports=frozenset({"database/sql", "context"}),
                 main_module="example.com/app", module_rel="store"),
    PackageFacts(import_path="example.com/app.test", name="main", imports=frozenset({"os", "testing"}),
                 main_module="example.com/app", module_rel=".", test_main=True),
    PackageFacts(import_path="net/http", name="http", imports=frozenset({"context", "net", "log/slog"})),
    PackageFacts(import_path="database/sql", name="sql", imports=frozenset({"context", "database/sql/driver"})),
    PackageFacts(import_path="log/slog", name="slog", imports=frozenset({"context", "log"})),
    PackageFacts(import_path="strings", name="strings", imports=frozenset({"unicode"})),
    PackageFacts(import_path="github.com/lib/pq", name="pq", imports=frozenset({"database/sql", "net"})),
    PackageFacts(import_path="github.com/x/y/internal/z", name="z", imports=frozenset({"log/slog", "os"})),
]


@pytest.mark.parametrize("path", SHIPPED, ids=os.path.basename)
def test_every_shipped_aspect_gate_agrees_with_package_may_match(path):
    for aspect in load_aspects([path]).aspects:
        gate = aspect.join_point.package_gate()
        for pkg in PACKAGES:
            assert packagegate.evaluate(gate, pkg) == aspect.join_point.package_may_match(pkg), \
                (aspect.id, pkg.import_path, gate)


JOIN_POINTS = [
    "import-path: net/http",
    "package-name: main",
    "package-filter: 'github.com/**'",
    "package-filter: {root: true}",
    "package-filter: {root: true, pattern: 'st*'}",
    "test-main: true",
    "function-call: database/sql.Open",
    "function-call: Open",
    "declaration-of: net/http.DefaultClient",
    "struct-definition: net/http.Request",
    "function-body: {function: [{name: F}]}",
    "directive: 'weave:span'",
    "configuration: {mode: x}",
    "all-of: [{package-name: main}, {function-call: os.Exit}]",
    "one-of: [{import-path: strings}, {function-call: log.Fatal}]",
    "not: {package-filter: {root: true}}",
    "not: {one-of: [{import-path: strings}, {directive: 'weave:span'}]}",
]


@pytest.mark.parametrize("join_point", JOIN_POINTS)
def test_gates_of_every_kind_agree_with_package_may_match(join_point):
    text = f"aspects:\n  - id: a\n    join-point:\n      {join_point}\n    advice:\n      - add-blank-import: example.com/telemetry\n"
    (aspect,) = load_aspect_text(text, "gate.yml").aspects
    gate = aspect.join_point.package_gate()
    for pkg in PACKAGES:
        answer = aspect.join_point.package_may_match(pkg)
        if join_point.startswith("configuration"):
            assert gate is None       # decided by the tool's configuration: never ruled out
        else:
            assert packagegate.evaluate(gate, pkg) == answer, (pkg.import_path, gate)


FILES = [
    b"package main\n\nfunc main() { os.Exit(run()) }\n",
    b"package store\n\n//weave:span\nfunc Get() { db, _ := sql.Open(\"pq\", dsn) }\n",
    "package z\n\n// caf\u00e9 \u2014 slog.InfoContext(ctx, \"x\")\n".encode(),
    b"",
]


GLOBS = ["*", "*.*", "*.*/**", "**", "github.com/**", "**/internal/**", "**/z", "net/*", "n?t/http", "[a-m]*",
         "[!a-m]*", "[^a-m]*/**", "example.com/app*", "*/[s]tore", "caf[\u00e9]", "x-[a-]y", "**/*_test", "a**b",
         "?", "[*]", "a.b"]
GLOB_PATHS = ["net/http", "net", "nut/http", "net/http/httptest", "github.com/x/y/internal/z", "github.com", "z",
              "example.com/app", "example.com/app/store", "example.com/apps", "caf\u00e9", "cafe", "x-ay", "x--y",
              "a/b_test", "ab", "a/x/b", "*", "a.b", "axb", "\u00e9", "."]


def test_globs_mean_what_their_regular_expressions_say():
    """glob_regex: the meaning of every construct, and globs that mean nothing clear refused."""
    table = [("*.*", "github.com", True), ("*.*", "github.com/x", False), ("*.*/**", "github.com/x/y", True),
             ("**/internal/**", "internal/x", True), ("**/internal/**", "a/b/internal/c", True),
             ("**/internal/**", "ainternal/c", False), ("n?t/http", "net/http", True), ("n?t/http", "n/t/http", False),
             ("[!a-m]*", "net", True), ("[!a-m]*", "fmt", False), ("x-[a-]y", "x--y", True), ("a**b", "a/x/b", True),
             ("[*]", "*", True), ("[*]", "x", False), ("a.b", "axb", False)]
    for pattern, path, want in table:
        assert bool(packagegate.glob_regex(pattern).match(path)) == want, (pattern, path)
    for bad in ("a[b", "[]", "[!]", "[z-a]"):
        with pytest.raises(ValueError, match="bad glob"):
            packagegate.glob_regex(bad)


def test_the_launcher_evaluates_gates_and_prefilters_as_python_does(tmp_path):
    """The Go side (data/launcher/gate_test.go) answers every case as Python's evaluators."""
    import json
    import shutil
    import subprocess

    from toolweave.driver.launcher import SOURCE, value
    from toolweave.prefilter import may_match

    aspects = [a for path in SHIPPED for a in load_aspects([path]).aspects]
    for jp in JOIN_POINTS:
        text = f"aspects:\n  - id: a\n    join-point:\n      {jp}\n    advice:\n      - add-blank-import: example.com/t\n"
        aspects += load_aspect_text(text, "gate.yml").aspects
    cases = []
    for aspect in aspects:
        gate, prefilter = aspect.join_point.package_gate(), aspect.join_point.prefilter()
        for pkg, data in zip(PACKAGES, FILES * 3):
            facts = {"import_path": pkg.import_path, "name": pkg.name, "imports": sorted(pkg.imports),
                     "module_rel": pkg.module_rel, "test_main": pkg.test_main}
            cases.append({"gate": value(gate), "prefilter": value(prefilter), "file": data.decode("latin-1"), "facts": facts,
                          "gated": packagegate.evaluate(gate, pkg), "filtered": may_match(prefilter, data)})
    for pattern in GLOBS:                 # the launcher's hand-written glob matcher
        for path in GLOB_PATHS:
            pkg = PackageFacts(import_path=path, name="p", module_rel=path)
            for gate in (["glob", pattern], ["root", pattern]):
                cases.append({"gate": value(gate), "prefilter": "true", "file": "", "gated": packagegate.evaluate(gate, pkg),
                              "filtered": True, "facts": {"import_path": path, "name": "p", "imports": [],
                                                          "module_rel": path, "test_main": False}})
    assert {c["gated"] for c in cases} == {True, False, None} and {c["filtered"] for c in cases} == {True, False}
    (tmp_path / "cases.json").write_text(json.dumps(cases))
    env = {**os.environ, "TOOLWEAVE_GATE_CASES": str(tmp_path / "cases.json"), "GOFLAGS": "", "GOWORK": "off",
           "CGO_ENABLED": "0"}
    proc = subprocess.run([shutil.which("go"), "test", "-count=1", "-v", "-run", "TestGatesAndPrefilters|TestModuleRel", "."],
                          cwd=SOURCE, env=env, capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert f"{len(cases)} cases agree" in proc.stdout
    assert "--- PASS: TestModuleRel" in proc.stdout     # the main module's packages, as driver/compile.py


def test_the_plan_merges_gates_without_changing_a_decision():
    """The plan holds one entry per distinct gate (prefilters of the aspects sharing it
    any-of'd, regular expressions last within all/any): for every package and file, "some
    entry may match" is exactly "some aspect may match"."""
    from toolweave.driver.launcher import gates
    from toolweave.prefilter import may_match

    aspects = [a for path in SHIPPED for a in load_aspects([path]).aspects]
    merged = gates(aspects)
    assert 0 < len(merged) < len(aspects)

    def may(pairs, pkg, data):
        return any(packagegate.evaluate(g, pkg) is not False and may_match(pf, data) for g, pf in pairs)

    per_aspect = [(a.join_point.package_gate(), a.join_point.prefilter()) for a in aspects]
    outcomes = set()
    for pkg in PACKAGES:
        for data in FILES:
            outcomes.add(may(per_aspect, pkg, data))
            assert may(merged, pkg, data) == may(per_aspect, pkg, data), (pkg.import_path, data)
    assert outcomes == {True, False}
    for gate, _ in merged:               # globs after the cheap parts
        if isinstance(gate, list) and gate[0] in ("all", "any"):
            flags = [bool(isinstance(g, list) and g[0] in ("glob", "root") and g[1]) for g in gate[1]]
            assert flags == sorted(flags)
