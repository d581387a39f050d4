#!/usr/bin/env python3
"""Fuzz the weaver (not a CI test; its figures go in docs/reliability.md).

Hypothesis mutates real Go files (the standard library's net/http, database/sql, log/slog and
the test applications: byte ranges deleted and duplicated, files spliced, tokens and
directives inserted: `go `, `defer`, braces, `//weave:span`, `/*line x:1*/`, invalid UTF-8 …)
and weaves each result with every built-in aspect file plus a catch-all aspect of our own
(every function body, every go statement, every call of fmt.Println and every struct literal
of net/http.Server), as the package the seed came from. Properties, for every input:

- weave_file returns one of its outcomes (Skipped, Unchanged, Failed, Rewritten): no
  exception escapes;
- a file that tree-sitter-go does not parse cleanly is never rewritten; when Go's own parser
  (gofmt -e) accepts the input, it accepts the Rewritten output too;
- a Failed outcome names the file.

    bash scripts/fuzz-weave [EXAMPLES]      # default 20,000; prints a JSON summary
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time

from hypothesis import HealthCheck, given, settings, strategies as st

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(REPO, "src"))

from toolweave.aspect import load_aspect_text, load_aspects  # noqa: E402
from toolweave.aspect.facts import PackageFacts  # noqa: E402
from toolweave.config import BUILTIN_DIR, OPTIONAL_DIR  # noqa: E402
from toolweave.engine.source import parse_go  # noqa: E402
from toolweave.weave import Failed, Rewritten, Skipped, Unchanged, weave_file  # noqa: E402

CATCH_ALL = """
aspects:
  - id: every-body
    join-point:
      function-body: {function: [{signature-contains: {args: [error, string, int, context.Context]}}]}
    advice:
      - prepend-statements: {template: 'println({{ printf "%q" .Function.Name }})'}
  - id: every-literal-body
    join-point:
      function-body: {function: [{name: ''}]}
    advice:
      - prepend-statements: {template: '_ = 0'}
  - id: every-go
    join-point: {go-statement: true}
    advice:
      - prepend-statements: {template: '_ = 1'}
  - id: every-println
    join-point: {function-call: fmt.Println}
    advice:
      - wrap-expression: {template: '(func() (int, error) { return {{ . }} })()'}
  - id: every-server
    join-point: {struct-literal: {type: net/http.Server, match: any}}
    advice:
      - wrap-expression: '{{ . }}'
"""

GOROOT = os.popen("go env GOROOT").read().strip()
SEEDS = [
    (os.path.join(GOROOT, "src", "net", "http", n), "net/http") for n in ("client.go", "server.go", "transport.go")
] + [
    (os.path.join(GOROOT, "src", "database", "sql", "sql.go"), "database/sql"),
    (os.path.join(GOROOT, "src", "log", "slog", "logger.go"), "log/slog"),
    (os.path.join(REPO, "tests", "e2e", "apps", "glschain", "main.go"), "example.com/glschain"),
]
TOKENS = [b"go ", b"go func() {}()\n", b"defer ", b"{", b"}", b"(", b")", b"\n", b"//weave:span\n", b"/*line x.go:1*/",
          b"//line y.go:7\n", b"\xff\xfe", b"\"", b"`", b"func f() {}\n", b"type T struct{}\n", b"import \"fmt\"\n",
          b"fmt.Println(1)\n", b"&http.Server{}", b"...", b"\t", b"\x00", b"// comment", b"/*", b"*/", b"package p\n"]


def _load():
    files = sorted(os.path.join(BUILTIN_DIR, n) for n in os.listdir(BUILTIN_DIR) if n.endswith(".yml"))
    files.append(os.path.join(OPTIONAL_DIR, "gls.yml"))
    aspects = load_aspects(files).aspects + load_aspect_text(CATCH_ALL, "catch-all.yml").aspects
    seeds = []
    for path, import_path in SEEDS:
        with open(path, "rb") as f:
            seeds.append((f.read(), import_path))
    return aspects, seeds


ASPECTS, SEED_DATA = _load()
STATS = {"examples": 0, "skipped": 0, "unchanged": 0, "failed": 0, "rewritten": 0, "failed_parsing_input": 0,
         "rewritten_not_go": 0}
REASONS: dict[str, int] = {}


@st.composite
def mutated(draw):
    data, import_path = draw(st.sampled_from(SEED_DATA))
    data = bytearray(data)
    for _ in range(draw(st.integers(0, 6))):
        op = draw(st.sampled_from(["delete", "duplicate", "insert", "splice"]))
        at = draw(st.integers(0, len(data)))
        if op == "delete":
            del data[at:at + draw(st.integers(1, 400))]
        elif op == "duplicate":
            data[at:at] = data[at:at + draw(st.integers(1, 400))]
        elif op == "insert":
            data[at:at] = draw(st.sampled_from(TOKENS))
        else:
            other, _ = draw(st.sampled_from(SEED_DATA))
            start = draw(st.integers(0, len(other)))
            data[at:at] = other[start:start + draw(st.integers(1, 2000))]
    return bytes(data), import_path


def _go_parses(data: bytes) -> bool:
    """gofmt -e on a file (on standard input gofmt accepts fragments, e.g. a file without its
    package clause): whether Go's parser accepts the file."""
    with tempfile.NamedTemporaryFile(suffix=".go") as f:
        f.write(data)
        f.flush()
        return subprocess.run(["gofmt", "-e", "-l", f.name], capture_output=True).returncode == 0


def check(example):
    data, import_path = example
    main = import_path.startswith("example.com/")
    facts = PackageFacts(import_path=import_path, name=import_path.rsplit("/", 1)[-1],
                         main_module="example.com/glschain" if main else "", module_rel="." if main else "")
    outcome = weave_file("fuzz.go", data, ASPECTS, facts)
    STATS["examples"] += 1
    STATS[type(outcome).__name__.lower()] += 1
    assert isinstance(outcome, (Skipped, Unchanged, Failed, Rewritten)), outcome
    if isinstance(outcome, Failed):
        assert "fuzz.go" in outcome.reason, outcome.reason
        if parse_go(data).root_node.has_error:
            STATS["failed_parsing_input"] += 1
        else:                           # a clean file that could not be woven: why (kept for the summary)
            reason = outcome.reason.split(": ", 2)[-1][:160]
            REASONS[reason] = REASONS.get(reason, 0) + 1
    if isinstance(outcome, Rewritten):
        ended = data if data.endswith(b"\n") else data + b"\n"     # as weave_file reads it
        assert not parse_go(ended).root_node.has_error, "a file that did not parse was rewritten"
        # the oracle is Go's own parser: tree-sitter accepts some files Go rejects (an
        # unterminated /* reads as operators to it); what Go rejected before weaving may stay
        # rejected, what it accepted must still parse
        if _go_parses(data):
            assert _go_parses(outcome.data), "Go's parser accepted the file and rejects its weave"
        else:
            STATS["rewritten_not_go"] += 1


def main() -> int:
    examples = int(sys.argv[1]) if len(sys.argv) > 1 else 20_000
    started = time.perf_counter()
    run = settings(max_examples=examples, deadline=None, database=None, derandomize=False,
                   suppress_health_check=list(HealthCheck))(given(mutated())(check))
    failure = None
    try:
        run()
    except Exception as err:            # a property failed: the summary says so, with the input's repr
        failure = f"{type(err).__name__}: {err}"[:2000]
    top = sorted(REASONS.items(), key=lambda kv: -kv[1])[:8]
    print(json.dumps({**STATS, "seconds": round(time.perf_counter() - started, 1), "failure": failure,
                      "why_clean_files_failed": dict(top)}, indent=1))
    return 1 if failure else 0


if __name__ == "__main__":
    sys.exit(main())
