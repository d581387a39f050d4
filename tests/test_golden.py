"""Golden cases: aspects + input Go files -> the exact woven output, and every output compiles.

One directory per case under tests/golden/:

    aspects.yml            the aspect file (more: aspects-*.yml, passed after it in name order)
    input.go               the input (several: input_<x>.go, woven one at a time, one package)
    expected.go            the exact woven output (expected_<x>.go for input_<x>.go)
    package-path           optional: one line, the import path passed as --package-path
    stubs/<dir>/           optional: local Go modules (go.mod + sources) the code imports
    xfail                  optional: why the weave cannot produce expected.go yet (a strict
                           xfail: expected.go is the spec, written by hand, and still compiled)

A case whose name ends in `_noop` has no expected file: its output must be byte-identical to
its input. Directories starting with `_` are not cases. Facts the CLI cannot pass
(`package-filter` with `root`, `test-main`, `configuration`) are covered by the table test
at the end, through `weave_file`.

Every expected output and every input is type-checked with the real go command: one
temporary workspace holds a package per case (cases with a package-path get a module of that
path, so the woven code is checked where it would really live), the stubs are workspace
modules, and a single `go vet` checks them all; errors are mapped back to their case.

TOOLWEAVE_UPDATE_GOLDEN=1 rewrites the expected files from the current output: review every
change by eye against ASPECTS.md before keeping it.
"""

from __future__ import annotations

import difflib
import io
import os
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

import pytest

from toolweave.aspect import load_aspect_text
from toolweave.aspect.facts import PackageFacts
from toolweave.cli import main as toolweave_main
from toolweave.weave import Rewritten, weave_file

GOLDEN = Path(__file__).parent / "golden"
UPDATE = os.environ.get("TOOLWEAVE_UPDATE_GOLDEN", "") not in ("", "0")
GO = shutil.which("go")


@dataclass(frozen=True)
class Case:
    dir: Path

    @property
    def name(self) -> str:
        return self.dir.name

    @property
    def noop(self) -> bool:
        return self.name.endswith("_noop")

    @cached_property
    def aspects(self) -> list[Path]:
        """aspects.yml first, then aspects-*.yml by name (the order of --aspects)."""
        return sorted(self.dir.glob("aspects*.yml"), key=lambda p: (p.name != "aspects.yml", p.name))

    @cached_property
    def xfail(self) -> str:
        """Why the output cannot match yet (file `xfail`); the expected file is the spec."""
        path = self.dir / "xfail"
        return path.read_text().strip() if path.exists() else ""

    @cached_property
    def inputs(self) -> list[Path]:
        return sorted(p for p in self.dir.glob("input*.go") if re.fullmatch(r"input(_\w+)?\.go", p.name))

    def expected_for(self, source: Path) -> Path:
        return self.dir / source.name.replace("input", "expected", 1)

    @cached_property
    def package_path(self) -> str:
        path = self.dir / "package-path"
        return path.read_text().strip() if path.exists() else ""

    @cached_property
    def stubs(self) -> list[Path]:
        root = self.dir / "stubs"
        return sorted(p for p in root.iterdir() if (p / "go.mod").exists()) if root.is_dir() else []

    def outputs(self) -> list[Path]:
        """The files of the woven package: the expected files (inputs for a noop case)."""
        return [src if self.noop else self.expected_for(src) for src in self.inputs]


CASES = sorted((Case(d) for d in GOLDEN.iterdir() if d.is_dir() and not d.name.startswith("_")),
               key=lambda c: c.name)


def _weave_params():
    """Cases as pytest params; a case with an `xfail` file must fail (strict), so it is
    noticed as soon as the gap closes."""
    return [pytest.param(c, id=c.name, marks=[pytest.mark.xfail(reason=c.xfail, strict=True)] if c.xfail else [])
            for c in CASES]


def weave(case: Case, source: Path) -> tuple[int, bytes, str]:
    """Run the real CLI in-process from the case directory (so line directives name
    `input.go`): (exit code, stdout bytes, stderr text)."""
    argv = ["weave"]
    for aspect_file in case.aspects:
        argv += ["--aspects", aspect_file.name]
    if case.package_path:
        argv += ["--package-path", case.package_path]
    argv.append(source.name)
    out, err = io.BytesIO(), io.StringIO()
    stdout = io.TextIOWrapper(out, encoding="utf-8")
    old = sys.stdout, sys.stderr, os.getcwd()
    sys.stdout, sys.stderr = stdout, err
    try:
        os.chdir(case.dir)
        code = toolweave_main(argv)
    finally:
        stdout.flush()
        stdout.detach()          # keep `out` open when the wrapper is collected
        sys.stdout, sys.stderr = old[0], old[1]
        os.chdir(old[2])
    return code, out.getvalue(), err.getvalue()


def _diff(expected: bytes, actual: bytes, name: str) -> str:
    return "".join(difflib.unified_diff(expected.decode(errors="replace").splitlines(True),
                                        actual.decode(errors="replace").splitlines(True),
                                        f"{name} (expected)", f"{name} (actual)"))


@pytest.fixture(autouse=True)
def _strict(monkeypatch):
    monkeypatch.setenv("TOOLWEAVE_STRICT", "1")


def test_cases_are_well_formed():
    assert len(CASES) >= 60, f"only {len(CASES)} golden cases"
    for case in CASES:
        assert case.aspects, f"{case.name}: no aspects.yml"
        assert case.inputs, f"{case.name}: no input.go"
        for src in case.inputs:
            has_expected = case.expected_for(src).exists()
            if case.noop:
                assert not has_expected, f"{case.name}: a _noop case has no {case.expected_for(src).name}"
            elif not UPDATE:
                assert has_expected, f"{case.name}: missing {case.expected_for(src).name}"


@pytest.mark.parametrize("case", _weave_params())
def test_golden(case: Case):
    changed = False
    for src in case.inputs:
        code, actual, stderr = weave(case, src)
        assert code == 0 and not stderr, f"{case.name}/{src.name}: exit {code}\n{stderr}"
        original = src.read_bytes()
        if case.noop:
            assert actual == original, f"{case.name}/{src.name} must not change:\n" + _diff(original, actual, src.name)
            continue
        changed = changed or actual != original
        expected_path = case.expected_for(src)
        if UPDATE and not case.xfail:
            expected_path.write_bytes(actual)
            continue
        expected = expected_path.read_bytes()
        assert actual == expected, f"{case.name}/{src.name} differs:\n" + _diff(expected, actual, expected_path.name)
    assert case.noop or changed, f"{case.name}: nothing was woven (name it *_noop if that is the point)"


# -- every expected output (and every input) type-checks with the real go command -------------

class GoWorkspace:
    """One temporary go workspace with a package per case; `errors(case)` after `check()`."""

    def __init__(self, root: Path):
        self.root = root
        self.dirs: dict[str, Case] = {}       # workspace-relative package dir -> case
        self.modules: list[str] = ["."]
        self.stub_sources: dict[str, Path] = {}
        self.output = ""
        self.failed = False

    def assemble(self, cases) -> None:
        (self.root / "go.mod").write_text("module golden.test\n\ngo 1.22\n")
        for case in cases:
            self._add(f"in/{case.name}", case, case.inputs)
            for stub in case.stubs:
                self._add_stub(case, stub)
            if case.noop:
                continue
            if case.package_path:
                rel = f"pp/{case.name}"
                (self.root / rel).mkdir(parents=True)
                (self.root / rel / "go.mod").write_text(f"module {case.package_path}\n\ngo 1.22\n")
                self.modules.append(rel)
                self._add(rel, case, case.outputs(), names=[s.name for s in case.inputs])
            else:
                self._add(f"out/{case.name}", case, case.outputs(), names=[s.name for s in case.inputs])
        uses = "".join(f"\t{m}\n" for m in self.modules)
        (self.root / "go.work").write_text(f"go 1.22\n\nuse (\n{uses})\n")

    def _add(self, rel: str, case: Case, files, names=None) -> None:
        target = self.root / rel
        target.mkdir(parents=True, exist_ok=True)
        for i, f in enumerate(files):
            shutil.copyfile(f, target / (names[i] if names else f.name))
        self.dirs[rel] = case

    def _add_stub(self, case: Case, stub: Path) -> None:
        module = (stub / "go.mod").read_text().split("\n", 1)[0].split()[1]
        known = self.stub_sources.get(module)
        if known is not None:
            assert _tree_bytes(known) == _tree_bytes(stub), f"{case.name}: stub module {module} differs from {known}"
            return
        self.stub_sources[module] = stub
        rel = f"stubs/{len(self.stub_sources)}"
        shutil.copytree(stub, self.root / rel)
        self.modules.append(rel)

    def check(self) -> None:
        env = dict(os.environ, GOWORK=str(self.root / "go.work"), GOFLAGS="-buildvcs=false", GOPROXY="off",
                   GOTOOLCHAIN="local", GO111MODULE="on", GOSUMDB="off")
        patterns = sorted("./" + rel for rel in self.dirs)
        proc = subprocess.run([GO, "vet", *patterns], cwd=self.root, env=env, capture_output=True, text=True,
                              timeout=600)
        self.output, self.failed = proc.stdout + proc.stderr, proc.returncode != 0

    def errors(self, case: Case) -> list[str]:
        """Output lines that belong to this case (by package header or file path)."""
        mine = {rel for rel, c in self.dirs.items() if c is case}
        paths = {f"/{rel}/" for rel in mine} | {f"{rel}/" for rel in mine}
        headers = {f"golden.test/{rel}" for rel in mine} | ({case.package_path} if case.package_path else set())
        out, current = [], None
        for line in self.output.splitlines():
            if line.startswith("# "):
                current = line[2:].strip()
                continue
            if current in headers or any(p in line for p in paths):
                out.append(line)
        return out


def _tree_bytes(root: Path) -> dict:
    return {p.relative_to(root): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


@pytest.fixture(scope="session")
def go_workspace(tmp_path_factory):
    if GO is None:
        pytest.skip("no go command on PATH")
    ws = GoWorkspace(tmp_path_factory.mktemp("golden-go"))
    ws.assemble(CASES)
    ws.check()
    return ws


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.name)
def test_compiles(case: Case, go_workspace: GoWorkspace):
    errors = go_workspace.errors(case)
    assert not errors, f"{case.name}: go vet:\n" + "\n".join(errors)


def test_go_vet_output_is_all_attributed(go_workspace: GoWorkspace):
    """A go vet failure that no case claims (a broken stub, go.work...) still fails."""
    claimed = {line for case in CASES for line in go_workspace.errors(case)}
    stray = [l for l in go_workspace.output.splitlines() if l.strip() and not l.startswith("# ") and l not in claimed]
    assert not (go_workspace.failed and stray), "go vet:\n" + go_workspace.output


# -- package-filter {root: true}, test-main and configuration need facts the CLI does not take --

_FACTS_ASPECTS = """
aspects:
  - id: mark
    join-point:
      all-of:
        - {JP}
        - function-body: {{function: [{{name: Work}}]}}
    advice:
      - prepend-statements: {{template: "_ = 1"}}
"""
_FACTS_INPUT = b"package demo\n\nfunc Work() {\n}\n"
_MAIN = dict(import_path="example.com/app/internal/db", main_module="example.com/app", module_rel="internal/db")
_ROOT = dict(import_path="example.com/app", main_module="example.com/app", module_rel=".")
_DEP = dict(import_path="example.com/lib/db", main_module="example.com/app", module_rel="")


@pytest.mark.parametrize("join_point, facts, woven", [
    ("package-filter: {root: true}", _MAIN, True),
    ("package-filter: {root: true}", _ROOT, True),
    ("package-filter: {root: true}", _DEP, False),
    ("package-filter: {pattern: 'internal/*', root: true}", _MAIN, True),
    ("package-filter: {pattern: 'internal/*', root: true}", _ROOT, False),
    ("package-filter: {pattern: '.', root: true}", _ROOT, True),
    ("package-filter: {pattern: '**', root: true}", _DEP, False),
    ("package-filter: {pattern: 'example.com/**', root: true}", _MAIN, False),   # module-relative
    ("package-filter: 'example.com/**'", _DEP, True),
    ("test-main: true", dict(_MAIN, test_main=True), True),
    ("test-main: true", _MAIN, False),
    ("test-main: false", dict(_MAIN, test_main=True), False),
    ("configuration: {httpmode: wrap}", dict(_MAIN, configuration=(("httpmode", "wrap"),)), True),
    ("configuration: {httpmode: wrap}", dict(_MAIN, configuration=(("httpmode", "handler"),)), False),
    ("configuration: {httpmode: wrap}", _MAIN, False),
])
def test_package_facts(join_point, facts, woven):
    aspects = load_aspect_text(_FACTS_ASPECTS.format(JP=join_point))
    result = weave_file("work.go", _FACTS_INPUT, aspects, PackageFacts(**facts))
    assert isinstance(result, Rewritten) == woven, result
    if woven:
        assert b"{\n_ = 1\n}" in result.data


# -- a template name that resolves to no import fails that file's weave, located ----------------

_UNRESOLVED_ASPECTS = """
aspects:
  - id: needs-context
    join-point:
      function-body: {function: [{name: Work}]}
    advice:
      - prepend-statements: {template: "_ = context.Background()"}
"""


@pytest.mark.parametrize("source, woven", [
    (b'package demo\n\nimport "context"\n\nvar _ context.Context\n\nfunc Work() {\n}\n', True),
    (b'package demo\n\nimport c "context"\n\nvar _ c.Context\n\nfunc Work() {\n}\n', True),
    (b'package demo\n\nfunc Work() {\n}\n', False),
])
def test_template_references_resolve_at_weave_time(source, woven):
    from toolweave.weave import Failed

    result = weave_file("work.go", source, load_aspect_text(_UNRESOLVED_ASPECTS, "aspects.yml"))
    if woven:
        assert isinstance(result, Rewritten), result
        return
    assert isinstance(result, Failed), result
    assert result.reason.startswith("work.go:3: aspect aspects.yml:3 needs-context: prepend-statements: ")
    assert "package 'context'" in result.reason and "work.go" in result.reason


# -- a template that loops or recurses without end fails that file's weave at once ----------------

_RUNAWAY = """
aspects:
  - id: runaway
    join-point:
      function-body: {function: [{name: Work}]}
    advice:
      - prepend-statements: {template: %s}
"""


@pytest.mark.parametrize("template, message", [
    ("'{{ range 100000000 }}{{ end }}'", "exceeded the 100000 steps"),
    ("'{{ range 100000000 }}{{ printf \"%0100d\" . }}{{ end }}'", "output exceeded 1048576 bytes"),
    ("'{{ define \"t\" }}{{ if lt (len .) 40 }}{{ template \"t\" (print . \"a\") }}{{ template \"t\" (print . \"b\") }}"
     "{{ end }}{{ end }}{{ template \"t\" \"\" }}'", "exceeded the 100000 steps"),
    ("'{{ define \"t\" }}{{ template \"t\" . }}{{ end }}{{ template \"t\" . }}'", "exceeded maximum template depth"),
])
def test_a_runaway_template_fails_that_files_weave_at_once(template, message):
    """text/template has no bound; toolweave gives one advice's rendering at one site 100,000
    steps (range iterations, template calls) and 1 MiB: a template that loops (range over a
    huge integer), grows exponentially or recurses fails with a located error in well under a
    second instead of running for minutes, and the file is left as it was."""
    import time

    from toolweave.weave import Failed

    source = b"package demo\n\nfunc Work() {\n}\n"
    started = time.perf_counter()
    result = weave_file("work.go", source, load_aspect_text(_RUNAWAY % template, "aspects.yml"))
    assert time.perf_counter() - started < 10
    assert isinstance(result, Failed), result
    assert result.reason.startswith("work.go:3: aspect aspects.yml:3 runaway: prepend-statements: template: ")
    assert message in result.reason, result.reason


# -- a file that is not UTF-8 is woven byte for byte, never a crash ------------------------------

def test_an_import_path_that_is_not_utf8_does_not_crash_the_weaver():
    """Found by scripts/fuzz_weave.py: an import path with invalid UTF-8 (which tree-sitter
    parses) made the import table raise UnicodeDecodeError out of weave_file. Files are woven
    as bytes (a latin-1 string literal is: tests/test_cli.py); the import table reads such a
    path with a replacement character, which names no real package."""
    source = b'package demo\n\nimport "fmt\xff"\n\nfunc Work() {\n}\n'
    result = weave_file("work.go", source, load_aspect_text(_RUNAWAY % "'_ = 1'", "aspects.yml"))
    assert isinstance(result, Rewritten), result
    assert b'import "fmt\xff"' in result.data and b"_ = 1" in result.data


# -- a template that names a predeclared identifier the program redeclares there ------------------

_PREDECLARED = """
aspects:
  - id: wrap
    join-point:
      function-call: fmt.Fprintln
    advice:
      - wrap-expression:
          template: "func() (int, error) { n, err := {{ . }}; return n + len(\\"\\"), err }()"
"""
_WRITER = b'package p\n\nimport (\n\t"fmt"\n\t"io"\n)\n\n'


@pytest.mark.parametrize("source, shadowed", [
    (b"func Error(w io.Writer, error string) { fmt.Fprintln(w, error) }\n", "error"),       # a parameter (net/http's Error)
    (b"func F(w io.Writer) { len := 3; fmt.Fprintln(w, len) }\n", "len"),                  # a local
    (b"func F(w io.Writer) (error int) { fmt.Fprintln(w); return }\n", "error"),           # a named result
    (b"type error struct{}\n\nfunc F(w io.Writer) { fmt.Fprintln(w) }\n", "error"),        # a package-level type
    (b"func len(string) int { return 0 }\n\nfunc F(w io.Writer) { fmt.Fprintln(w) }\n", "len"),  # a package-level func
    (b"func F(w io.Writer) { go func(error string) { fmt.Fprintln(w, error) }(\"x\") }\n", "error"),  # an enclosing literal's
    (b"func F(w io.Writer, msg string) { fmt.Fprintln(w, msg) }\n", None),
    (b"type T struct{}\n\nfunc (T) error(w io.Writer) { fmt.Fprintln(w) }\n", None),        # a method's own name is not in scope
    (b"func F(w io.Writer) { fmt.Fprintln(w) }\n\nfunc G() { len := 1; _ = len }\n", None),  # another function's local
])
def test_a_template_naming_a_shadowed_predeclared_identifier_fails_that_file(source, shadowed):
    """Found by weaving the world: a template that names `error` where net/http's Error has a
    parameter called error rendered code that did not compile, breaking the build. The weave
    of such a file now fails with a located error and the file is left as it was."""
    from toolweave.weave import Failed

    result = weave_file("w.go", _WRITER + source, load_aspect_text(_PREDECLARED, "aspects.yml"))
    if shadowed is None:
        assert isinstance(result, Rewritten), result
        return
    assert isinstance(result, Failed), result
    assert result.reason.startswith("w.go:"), result.reason
    assert f"the template names Go's predeclared {shadowed!r}, which w.go declares where the code goes" in result.reason


def test_a_predeclared_name_that_comes_from_the_program_is_the_programs():
    """`_ = {{ .Name }}` renders a parameter's own name: `_ = error` there means the
    parameter, on purpose, and is woven (weave-the-world's catch-all does this in every
    function of std, including net/http's Error)."""
    aspects = load_aspect_text("""
aspects:
  - id: touch-params
    join-point: {function-body: {function: [{name: Error}]}}
    advice:
      - prepend-statements:
          template: "{{ range .Function.Arguments }}_ = {{ .Name }}\\n{{ end }}"
""", "aspects.yml")
    source = _WRITER + b"func Error(w io.Writer, error string) { fmt.Fprintln(w, error) }\n"
    result = weave_file("w.go", source, aspects)
    assert isinstance(result, Rewritten), result
    assert b"_ = error" in result.data
