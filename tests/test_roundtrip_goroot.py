"""Round trip over the Go standard library: a weave that matches nothing changes nothing.

Every `.go` file under `$(go env GOROOT)/src` (paths with a `testdata` element excluded: they
hold deliberately broken Go) is woven with aspects that pass the prefilter for every file but
match no node, so each file is really parsed and every candidate node really matched. Each
result must be `Unchanged` (not `Skipped`: that would mean the file was never looked at), and
splicing an empty edit buffer must give back the exact input bytes.

Files tree-sitter-go cannot parse cleanly are listed in the pytest output. Their number is
bounded (`MAX_PARSE_ERROR_FILES`): tree-sitter-go is pinned, so the count only moves with the
Go release or with our parsing code, and either deserves a look. With Go 1.26 the two files
are test files that trip grammar limits, not bugs of ours:

  encoding/json/v2/arshal_test.go   a local variable named `make` called as `make(n - 1)`:
                                    tree-sitter-go parses `make(` as the builtin, whose first
                                    argument must be a type
  runtime/secret/secret_test.go     `new(secretType(secretValue))`: Go 1.26 lets `new` take an
                                    expression; tree-sitter-go 0.25 only accepts a type

A file with a parse error that some aspect matches is reported `Failed` and left unwoven, so
user code using Go 1.26 `new(expr)` cannot be woven until the grammar catches up.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import time

import pytest

from toolweave.aspect.load import load_aspect_text
from toolweave.engine import EditBuffer, SourceFile, splice
from toolweave.weave import Unchanged, weave_file

pytestmark = pytest.mark.slow

#: Files under GOROOT/src that tree-sitter-go does not parse cleanly (see the module doc).
MAX_PARSE_ERROR_FILES = 2

# Each aspect passes the per-file prefilter for (nearly) every file, and the trailing
# `package-name: zz_never` makes sure nothing matches. `all-of` tests its children in order,
# so the real join point is evaluated on every candidate node before the package name fails.
NEVER = """
aspects:
  - id: method-bodies           # `receiver: true` has no needle: passes every file's prefilter
    join-point:
      all-of:
        - function-body: {function: [{receiver: true}]}
        - package-name: zz_never
    advice:
      - prepend-statements: {template: "_ = 0"}
  - id: literal-bodies          # name "" = function literals; needle `func`
    join-point:
      all-of:
        - function-body: {function: [{name: ""}]}
        - package-name: zz_never
    advice:
      - prepend-statements: {template: "_ = 0"}
  - id: error-vars              # needle `var` / `const`
    join-point:
      all-of:
        - value-declaration: error
        - package-name: zz_never
    advice:
      - assign-value: "nil"
  - id: sprintf-calls           # needle `Sprintf`
    join-point:
      all-of:
        - function-call: fmt.Sprintf
        - package-name: zz_never
    advice:
      - wrap-expression: "({{ . }})"
"""


def _goroot_src() -> str:
    go = shutil.which("go")
    if go is None:
        pytest.skip("the go command is not on PATH")
    root = subprocess.run([go, "env", "GOROOT"], capture_output=True, text=True, check=True).stdout.strip()
    return os.path.join(root, "src")


def _go_files(src: str) -> list[str]:
    found = []
    for dirpath, dirnames, filenames in os.walk(src):
        dirnames[:] = sorted(d for d in dirnames if d != "testdata")
        found += [os.path.join(dirpath, f) for f in sorted(filenames) if f.endswith(".go")]
    return found


@pytest.fixture(scope="module")
def goroot_files():
    src = _goroot_src()
    files = []
    for path in _go_files(src):
        with open(path, "rb") as f:
            files.append((os.path.relpath(path, src), path, f.read()))
    assert len(files) > 1000, f"only {len(files)} .go files under {src}"
    return files


def test_no_match_weave_is_unchanged_for_every_goroot_file(goroot_files, capsys, record_property):
    aspects = load_aspect_text(NEVER, "never.yml")
    results: dict[str, list[str]] = {}
    start = time.process_time()
    for rel, path, data in goroot_files:
        try:
            result = weave_file(path, data, aspects)
        except Exception as err:     # collect every crash, not only the first
            result = err
        results.setdefault(type(result).__name__, []).append(rel)
    seconds = time.process_time() - start
    counts = {kind: len(paths) for kind, paths in sorted(results.items())}
    with capsys.disabled():
        print(f"\nGOROOT round trip: {len(goroot_files)} files, {counts}, {seconds:.1f}s CPU")
    record_property("weave_counts", counts)
    odd = {kind: paths[:20] for kind, paths in results.items() if kind != Unchanged.__name__}
    assert not odd, f"expected Unchanged for every file, got {counts}; examples: {odd}"


def test_empty_splice_is_byte_identical_and_parse_errors_are_bounded(goroot_files, capsys, record_property):
    changed, parse_errors = [], []
    for rel, path, data in goroot_files:
        source = SourceFile.parse(path, data)
        if source.has_errors:
            parse_errors.append(f"{rel}:{_first_error_line(source)}")
        if splice(source, EditBuffer().pieces(len(data))) != data:
            changed.append(rel)
    with capsys.disabled():
        print(f"\nGOROOT parse errors (tree-sitter-go): {len(parse_errors)} of {len(goroot_files)} files")
        for entry in parse_errors:
            print(f"  {entry}")
    record_property("parse_error_files", parse_errors)
    assert not changed, f"splice of an empty edit buffer changed {len(changed)} files: {changed[:20]}"
    assert len(parse_errors) <= MAX_PARSE_ERROR_FILES, (
        f"{len(parse_errors)} files do not parse cleanly (bound {MAX_PARSE_ERROR_FILES}): {parse_errors}")


def _first_error_line(source) -> int:
    """Line of the first ERROR or MISSING node, for the report."""
    stack = [source.root]
    while stack:
        node = stack.pop()
        if node.is_error or node.is_missing:
            return source.line_col(node.start_byte)[0]
        stack.extend(reversed([c for c in node.children if c.has_error or c.is_missing]))
    return 0
