"""The error contract for malformed aspect files, through the real CLI.

Every file in malformed/ has exactly one defect (its first line says which). Weaving a trivial,
valid Go file with it must fail with exit code 2 and exactly one line on stderr,

    toolweave: FILE:LINE: aspect "ID": kind "KIND": MESSAGE

naming the file and the line of the defect, the aspect id and the kind where there is one,
and no traceback anywhere. The table below states, per file, the expected line, aspect id,
kind and a pattern the message must contain.

The CLI runs as a subprocess (`python -m toolweave.cli`), all cases at once in a thread pool so
the module stays fast.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent
MALFORMED = HERE / "malformed"
GOOD = HERE / "good"

GO_SOURCE = b'package main\n\nimport "fmt"\n\nfunc main() {\n\tfmt.Println("hello")\n}\n'

#: `toolweave: FILE:LINE: [aspect "ID": ][kind "KIND": ]MESSAGE`
ERROR_LINE = re.compile(
    r'^toolweave: (?P<file>.+?):(?P<line>\d+): (?:aspect "(?P<aspect>[^"]*)": )?'
    r'(?:kind "(?P<kind>[^"]*)": )?(?P<message>.+)$')


@dataclass(frozen=True)
class Case:
    file: str                 # name in malformed/
    line: int                 # the line of the defect
    aspect: str | None        # aspect id the message must name (None: not checked)
    kind: str | None          # kind the message must name (None: not checked)
    message: str              # regex the message must contain (re.search)
    where: str | None = None  # the file the error is in, relative to malformed/, if not `file`

    @property
    def id(self) -> str:
        return self.file.removesuffix(".yml")


CASES = [
    # -- kinds ---------------------------------------------------------------------------
    Case("unknown-join-point-kind.yml", 5, "trace-println", None,
         r'unknown join point kind "function-cal".*did you mean "function-call"'),
    Case("unknown-advice-kind.yml", 9, "enter-main", None,
         r'unknown advice kind "prepend-statement".*did you mean "prepend-statements"'),
    Case("join-point-two-keys.yml", 4, "trace-println", None, r"exactly one kind, got 2"),
    Case("advice-two-keys.yml", 7, "trace-println", None, r"exactly one kind, got 2"),
    Case("advice-cannot-apply.yml", 7, "before-println", "prepend-statements",
         r"cannot apply to what the join point matches \(call_expression\)"),
    # -- value types ---------------------------------------------------------------------
    Case("all-of-string-not-list.yml", 5, "both", "all-of", r"expected (array|a list).*, got a string"),
    Case("function-name-mapping-not-string.yml", 7, "enter-main", "function",
         r"expected (string|a string|a function name), got a mapping"),
    Case("advice-string-not-mapping.yml", 8, "enter-main", None, r"'prepend-statements'|got a string"),
    Case("imports-not-mapping.yml", 11, "enter-main", "prepend-statements",
         r"expected (object|a mapping).*, got a list"),
    Case("test-main-not-boolean.yml", 5, "test-binaries", "test-main",
         r"expected (boolean|a boolean), got a string"),
    Case("go-statement-false.yml", 5, "before-go", "go-statement", r"True was expected|takes true"),
    Case("order-not-integer.yml", 11, "enter-main", "prepend-statements", r"integer"),
    Case("id-not-string.yml", 3, None, None, r"expected (string|a string), got a number"),
    # -- required fields, empty lists ----------------------------------------------------
    Case("missing-id.yml", 3, None, None, r'"id" is a required property|missing "?id'),
    Case("missing-advice.yml", 3, "trace-println", None, r'"advice" is a required property|missing "?advice'),
    Case("empty-advice-list.yml", 6, "trace-println", None, r"non-empty|too short|at least 1"),
    Case("missing-template.yml", 9, "enter-main", "prepend-statements",
         r'"template" is a required property|missing "?template'),
    Case("append-args-empty-values.yml", 9, "more-args", "append-args", r"non-empty|needs at least 1 item|must not be empty"),
    Case("meta-missing-description.yml", 2, None, None, r'"description"'),
    Case("duplicate-ids.yml", 8, "wrap", None, r"duplicate aspect id \(first at line 3\)"),
    Case("unknown-aspect-field.yml", 6, "trace-println", None, r'unknown field "advise".*did you mean "advice"'),
    # -- code templates ------------------------------------------------------------------
    Case("template-unclosed-action.yml", 10, "enter-main", "prepend-statements",
         r"template syntax error.*unclosed action"),
    Case("bad-lang.yml", 11, "enter-main", "prepend-statements", r"1\.22"),
    Case("bad-lang-wrap-expression.yml", 9, "trace-println", "wrap-expression", r"go1\.x"),
    # -- type names ----------------------------------------------------------------------
    Case("type-name-trailing-dot.yml", 5, "requests", "value-declaration", r"\*net/http\."),
    Case("type-name-leading-digit.yml", 9, "add-field", "add-struct-field", r"1Foo"),
    Case("type-name-with-space.yml", 7, "handlers", "function", r"a b"),
    # -- kind-specific values ------------------------------------------------------------
    Case("all-of-empty.yml", 5, "nothing", "all-of", r"at least 1 item"),
    Case("not-bad-child.yml", 6, "not-main", None,
         r'unknown join point kind "package-nam".*did you mean "package-name"'),
    Case("method-call-bad-match.yml", 8, "client-do", "method-call", r"'pointer'"),
    Case("struct-literal-bad-match.yml", 7, "servers", "struct-literal", r"'values-only'"),
    Case("unknown-function-option.yml", 7, "enter-main", "function", r'"nam".*did you mean "name"'),
    Case("add-struct-field-unknown-field.yml", 10, "add-field", "add-struct-field", r'unknown field "tag"'),
    Case("package-filter-unclosed-bracket.yml", 5, "every-app-package", "package-filter", r"unclosed '\['"),
    Case("package-filter-reversed-range.yml", 5, "every-app-package", "package-filter", r"bad glob.*range"),
    Case("package-filter-empty-set.yml", 5, "every-app-package", "package-filter", r"empty set '\[!\]'"),
    Case("directive-with-slashes.yml", 6, "spans", "directive", r"bad directive name '//weave:span'"),
    # -- files, extends, YAML ------------------------------------------------------------
    Case("extends-missing-file.yml", 3, None, None, r"does-not-exist\.yml.*no such file"),
    Case("extends-self-cycle.yml", 3, None, None, r"extends cycle"),
    Case("extends-two-file-cycle.yml", 3, None, None, r"extends cycle", where="helpers/cycle-back.yml"),
    Case("top-level-list.yml", 2, None, None, r"mapping"),
    Case("empty-file.yml", 1, None, None, r"mapping"),
    Case("yaml-syntax-error.yml", 4, None, None, r"YAML syntax error: mapping values are not allowed (here|in this context)"),
    Case("mapping-key-not-scalar.yml", 5, None, None, r"key must be a scalar"),
    Case("not-aspects-ci-workflow.yml", 3, None, None, r"key must be a string: 'on' reads as True here; quote it"),
    Case("alias-bomb.yml", 2, None, None, r"expands to more than 200,000 values \(YAML aliases expanding\)"),
    Case("alias-recursive.yml", 2, None, None, r"nested deeper than 64 levels"),
    Case("duplicate-mapping-key.yml", 6, None, None, r'duplicate.*"?join-point'),
    Case("not-utf8.yml", 1, None, None, r"not UTF-8"),
]


def _weave(aspect_file: Path, workdir: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "toolweave.cli", "weave", "--aspects", str(aspect_file), "x.go"],
        cwd=workdir, capture_output=True, text=True, timeout=60,
        env={**os.environ, "PYTHONDONTWRITEBYTECODE": "1"})


@pytest.fixture(scope="module")
def workdir(tmp_path_factory) -> Path:
    d = tmp_path_factory.mktemp("malformed")
    (d / "x.go").write_bytes(GO_SOURCE)
    return d


@pytest.fixture(scope="module")
def results(workdir) -> dict[str, subprocess.CompletedProcess]:
    """Every case (and the valid file) woven once, concurrently."""
    files = [MALFORMED / c.file for c in CASES] + [GOOD / "wrap-println.yml"]
    with ThreadPoolExecutor(max_workers=max(2, min(8, (os.cpu_count() or 2) * 2))) as pool:
        return dict(zip((f.name for f in files), pool.map(lambda f: _weave(f, workdir), files)))


def test_table_covers_every_malformed_file():
    on_disk = sorted(p.name for p in MALFORMED.glob("*.yml"))
    in_table = sorted(c.file for c in CASES)
    assert on_disk == in_table
    assert len(on_disk) >= 25
    for name in on_disk:
        first = (MALFORMED / name).read_bytes().split(b"\n", 1)[0]
        assert first.startswith(b"# defect: "), f"{name}: first line should say what is wrong"


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.id)
def test_malformed_file_is_one_located_error(case: Case, results):
    proc = results[case.file]
    assert "Traceback" not in proc.stderr + proc.stdout, proc.stderr
    assert proc.returncode == 2, f"exit {proc.returncode}, stderr: {proc.stderr!r}"
    assert proc.stdout == "", "nothing is woven when the aspects are broken"
    lines = proc.stderr.splitlines()
    assert len(lines) == 1 and proc.stderr.endswith("\n"), f"expected exactly one line: {proc.stderr!r}"
    m = ERROR_LINE.match(lines[0])
    assert m, f"not `toolweave: FILE:LINE: …`: {lines[0]!r}"
    where = MALFORMED / (case.where or case.file)
    assert os.path.normpath(m["file"]) == os.path.normpath(where), lines[0]
    assert int(m["line"]) == case.line, f"expected line {case.line}: {lines[0]!r}"
    if case.aspect is not None:
        assert m["aspect"] == case.aspect, lines[0]
    if case.kind is not None:
        assert m["kind"] == case.kind, lines[0]
    assert re.search(case.message, m["message"]), f"message should match {case.message!r}: {lines[0]!r}"


def test_valid_file_weaves(results, workdir):
    proc = results["wrap-println.yml"]
    assert "Traceback" not in proc.stderr
    assert proc.returncode == 0, proc.stderr
    assert proc.stderr == ""
    assert re.search(r'\w*\.Print\("println"\)', proc.stdout), proc.stdout
    assert 'fmt.Println("hello")' in proc.stdout
    assert (workdir / "x.go").read_bytes() == GO_SOURCE, "weave never touches its input"


def test_a_huge_file_is_refused_quickly_and_located(workdir):
    """A 2.6 MB aspect file (30,000 aspects; no aliases): refused at the value that crosses the
    bound, with its line, before any schema walk; one over 4 MiB is refused unread. Generated
    here rather than kept in the corpus."""
    aspect = "  - id: a{i}\n    join-point:\n      function-call: fmt.Println\n    advice:\n      - wrap-expression: 'f({{{{ . }}}})'\n"
    huge = workdir / "huge.yml"
    huge.write_text("aspects:\n" + "".join(aspect.format(i=i) for i in range(30_000)))
    assert huge.stat().st_size > 2_500_000
    started = time.monotonic()
    proc = _weave(huge, workdir)
    elapsed = time.monotonic() - started
    assert proc.returncode == 2 and "Traceback" not in proc.stderr, proc.stderr
    assert re.fullmatch(r"toolweave: .*huge\.yml:\d+: .*expands to more than 200,000 values.*\n", proc.stderr), proc.stderr
    line = int(re.search(r"huge\.yml:(\d+):", proc.stderr).group(1))
    assert 50_000 < line < 150_000       # where the bound was crossed, not line 1
    assert elapsed < 20, elapsed
    huge.write_text("aspects:\n" + "".join(aspect.format(i=i) for i in range(60_000)))    # 5.3 MB
    started = time.monotonic()
    proc = _weave(huge, workdir)
    assert proc.returncode == 2 and proc.stderr.endswith("huge.yml: aspect file is larger than 4 MiB (toolweave's own are a few KiB)\n"), proc.stderr
    assert time.monotonic() - started < 5
