#!/usr/bin/env python3
"""Benchmark: weave net/http from GOROOT (not a test; not run in CI).

    python3 bench/weave_nethttp.py [--tree] [--runs N] [--compile] [--profile a|a2|b]

Inputs: every non-test `.go` file of `$(go env GOROOT)/src/net/http`, the top-level package
directory by default (all of them, whatever their build constraints), `--tree` for every
package under it (testdata excluded). Files are read once, before timing.

Scenarios, each timed as CPU time (`time.process_time`) of one pass over all files, the
median of N runs after one warm-up run (whose figure is printed too: it pays for importing
tree-sitter, building the language and compiling queries). Aspect loading is not timed;
parsing, matching, advice and splicing are.

  (a)  realistic, matches nothing: a `function-call: database/sql.Open` aspect and a
       `directive: weave:span` function-body aspect, with the package facts a build would
       have (import path and the real imports from `go list -json net/http`), so the
       prefilter does its job.                                       goal < 0.5 s
  (a2) informational: aspects that pass every prefilter but match nothing (what the GOROOT
       round-trip test uses), i.e. the cost of parsing and matching every file.
  (b)  a function-body aspect matching every function (prepend-statements with a small
       template using `.Function.Name`).                             goal < 3 s
       Also reported: files woven, functions woven; `--compile` builds the woven package
       with `go build -overlay` to check the output compiles.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time

from toolweave.aspect.facts import PackageFacts
from toolweave.aspect.load import load_aspect_text
from toolweave.weave import Failed, Rewritten, weave_file

PACKAGE = "net/http"
GOALS = {"a": 0.5, "b": 3.0}

REALISTIC = """
aspects:
  - id: database-sql-open
    join-point: {function-call: database/sql.Open}
    advice:
      - wrap-expression:
          imports: {sqltrace: example.com/toolweave/instrumentation/sql}
          template: sqltrace.Wrap({{ . }})
  - id: span-directive
    join-point:
      function-body:
        directive: weave:span
    advice:
      - prepend-statements:
          imports: {trace: example.com/toolweave/instrumentation/trace}
          template: |-
            ctx, span := trace.Start({{ printf "%q" .Function.Name }})
            defer span.End()
            _ = ctx
"""

NEVER = """
aspects:
  - id: method-bodies
    join-point:
      all-of:
        - function-body: {function: [{receiver: true}]}
        - package-name: zz_never
    advice:
      - prepend-statements: {template: "_ = 0"}
"""

EVERY_FUNCTION = """
aspects:
  - id: every-function
    join-point:
      function-body:
        one-of:
          - function: [{receiver: true}]
          - function: [{receiver: false}]
    advice:
      - prepend-statements:
          template: |-
            __tw_fn := {{ printf "%q" .Function.Name }}
            _ = __tw_fn
"""


def go(*args: str) -> str:
    return subprocess.run(["go", *args], capture_output=True, text=True, check=True).stdout


def inputs(tree: bool) -> list[tuple[str, bytes]]:
    root = os.path.join(go("env", "GOROOT").strip(), "src", PACKAGE)
    paths = []
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames[:] = sorted(d for d in dirnames if d != "testdata") if tree else []
        paths += [os.path.join(dirpath, f) for f in sorted(filenames)
                  if f.endswith(".go") and not f.endswith("_test.go")]
    out = []
    for path in paths:
        with open(path, "rb") as f:
            out.append((path, f.read()))
    return out


def facts() -> PackageFacts:
    info = json.loads(go("list", "-json", PACKAGE))
    return PackageFacts(import_path=info["ImportPath"], name=info["Name"], imports=frozenset(info["Imports"]))


def one_pass(files, aspects, package) -> list:
    return [weave_file(path, data, aspects, package) for path, data in files]


def timed(files, aspects, package, runs: int):
    start = time.process_time()
    results = one_pass(files, aspects, package)
    warmup = time.process_time() - start
    times = []
    for _ in range(runs):
        start = time.process_time()
        one_pass(files, aspects, package)
        times.append(time.process_time() - start)
    return results, warmup, times


def summary(results) -> str:
    counts = {}
    for r in results:
        counts[type(r).__name__] = counts.get(type(r).__name__, 0) + 1
    return ", ".join(f"{n} {k}" for k, n in sorted(counts.items()))


def report(label, goal, results, warmup, times) -> bool:
    median = statistics.median(times)
    verdict = "" if goal is None else (" PASS" if median < goal else " FAIL") + f" (goal < {goal} s)"
    print(f"{label}: median {median:.3f} s CPU over {len(times)} runs "
          f"[min {min(times):.3f}, max {max(times):.3f}; warm-up {warmup:.3f}]{verdict}")
    print(f"    results: {summary(results)}")
    return goal is None or median < goal


def compile_check(files, results) -> bool:
    """`go build -overlay` of the package with every woven file in place of the original."""
    with tempfile.TemporaryDirectory() as tmp:
        replace = {}
        for i, ((path, _), r) in enumerate(zip(files, results)):
            if isinstance(r, Rewritten):
                woven = os.path.join(tmp, f"{i}-{os.path.basename(path)}")
                with open(woven, "wb") as f:
                    f.write(r.data)
                replace[path] = woven
        overlay = os.path.join(tmp, "overlay.json")
        with open(overlay, "w") as f:
            json.dump({"Replace": replace}, f)
        pkgs = sorted({os.path.dirname(p) for p in replace})
        proc = subprocess.run(["go", "build", f"-overlay={overlay}", *pkgs], capture_output=True, text=True)
        print(f"    go build -overlay of {len(replace)} woven files in {len(pkgs)} package dirs: "
              f"{'ok' if proc.returncode == 0 else 'FAILED'}")
        if proc.returncode:
            print(proc.stderr[:4000])
        return proc.returncode == 0


def profile(files, aspects, package) -> None:
    import cProfile
    import pstats

    one_pass(files, aspects, package)
    prof = cProfile.Profile()
    prof.enable()
    one_pass(files, aspects, package)
    prof.disable()
    stats = pstats.Stats(prof)
    stats.sort_stats("tottime").print_stats(20)
    stats.sort_stats("cumulative").print_stats(25)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--tree", action="store_true", help="every package under net/http, not only the top level")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--compile", action="store_true", help="check that the output of (b) compiles")
    parser.add_argument("--profile", choices=["a", "a2", "b"], help="cProfile one warm pass of a scenario")
    args = parser.parse_args(argv)

    files = inputs(args.tree)
    package = facts()
    if args.tree:   # the facts are net/http's; for other packages use what the file says
        package = PackageFacts()
    scenarios = {
        "a": load_aspect_text(REALISTIC, "realistic.yml"),
        "a2": load_aspect_text(NEVER, "never.yml"),
        "b": load_aspect_text(EVERY_FUNCTION, "every-function.yml"),
    }
    if args.profile:
        profile(files, scenarios[args.profile], PackageFacts() if args.profile == "a2" else package)
        return 0

    size = sum(len(d) for _, d in files)
    where = "net/http and every package under it" if args.tree else "net/http (top-level package)"
    print(f"{where}: {len(files)} non-test files, {size / 1e6:.2f} MB; "
          f"facts: {package.import_path or '(none)'} with {len(package.imports or ())} imports")
    ok = report("(a)  realistic, no match", GOALS["a"], *timed(files, scenarios["a"], package, args.runs))
    # No package facts: `package-name` cannot be decided before parsing, so every file is parsed.
    report("(a2) parse + match, no match", None, *timed(files, scenarios["a2"], PackageFacts(), args.runs))
    results, warmup, times = timed(files, scenarios["b"], package, args.runs)
    ok = report("(b)  every function woven", GOALS["b"], results, warmup, times) and ok
    woven = [r for r in results if isinstance(r, Rewritten)]
    functions = sum(r.data.count(b"__tw_fn := ") for r in woven)
    print(f"    woven: {len(woven)} of {len(files)} files, {functions} function bodies")
    for (path, _), r in zip(files, results):
        if isinstance(r, Failed):
            print(f"    failed: {r.reason}")
    if args.compile:
        ok = compile_check(files, results) and ok
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())

