#!/usr/bin/env python3
"""What type facts cost a package that asks for them (a library of bench/run.py, `--only
types`; also runnable alone; not a test).

Type-aware join points run the typefacts helper (driver/typecheck.py) once per package whose
files ask a question the syntax cannot answer; a build that asks nothing pays nothing (the
no-match and stdlib-only figures of the build section show that). Measured here, on warm
caches, for three packages (multi's main package, examples/service, and net/http, the largest
package a built-in aspect weaves):

  exports   the front end's `go list -export` of the package's imports (the drop-in driver
            reads the compile's -importcfg instead and pays nothing here);
  check     one helper run: parse the package, type-check it from export data, answer;
  helper    building the helper, once per Go toolchain (a fresh toolweave cache).

And one whole-build scenario on multi through the front end: a one-file incremental rebuild
(a function appended to app.go) with the default aspects, and with one more aspect that asks
the type checker (a method-call on *database/sql.DB through the struct field `a.db`). A patch
rebuild does not run the checker, so with that aspect the rebuild plans the whole build again.

Each figure is the median of `rounds` runs with min and max; runs of the two whole-build
variants are interleaved.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
import time

from buildbench import summary  # noqa: E402  (bench/ is on sys.path: run.py, or this script's own dir)

BENCH = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(BENCH)
MULTI = os.path.join(BENCH, "apps", "multi", "plain")
SERVICE = os.path.join(REPO, "examples", "service")

TYPED_ASPECT = """\
aspects:
  - id: count-row-queries
    join-point:
      all-of:
        - package-filter: {root: true}
        - method-call:
            receiver: database/sql.DB
            name: QueryRowContext
    advice:
      - wrap-expression: '{{ . }}'
"""


def _package(go: str, cwd: str, pattern: str) -> dict:
    proc = subprocess.run([go, "list", "-json=ImportPath,Dir,GoFiles,Imports,Module", pattern], cwd=cwd,
                          capture_output=True, text=True, check=True)
    return json.loads(proc.stdout)


def package_costs(name: str, cwd: str, pattern: str, rounds: int, cache_root: str) -> dict:
    """exports and check timings for one package (warm go build cache)."""
    from toolweave.aspect.typefacts import interfaces_asked  # noqa: F401  (the import cost is not measured)
    from toolweave.driver.cache import Cache
    from toolweave.driver.typecheck import PackageTypes, helper, listed_exports

    go = shutil.which("go")
    pkg = _package(go, cwd, pattern)
    files = [os.path.join(pkg["Dir"], f) for f in pkg.get("GoFiles") or []]
    imports = set(pkg.get("Imports") or [])
    cache = Cache(cache_root)
    helper(cache, go)                                     # built once, not timed here
    listed_exports(go, [], cwd, None, imports | {"io"})   # warm the build cache
    exports_s, check_s = [], []
    for _ in range(rounds):
        started = time.perf_counter()
        exports = listed_exports(go, [], cwd, None, imports | {"io"})
        exports_s.append(time.perf_counter() - started)
        types = PackageTypes(cache, go, pkg["ImportPath"], "", files, lambda needed: (exports, {}),
                             ("error", "io.Reader", "context.Context"))
        started = time.perf_counter()
        facts = types.for_file(files[0])()
        check_s.append(time.perf_counter() - started)
        assert facts is not None, f"{name}: no facts"
    return {"package": pkg["ImportPath"], "files": len(files), "imports": len(imports),
            "exports_s": summary(exports_s), "check_s": summary(check_s)}


def helper_build(rounds: int) -> dict:
    """The helper's build into a fresh cache (the go build cache stays warm, as it would
    be for a developer; its first build ever also compiles go/types)."""
    from toolweave.driver.cache import Cache
    from toolweave.driver.typecheck import helper

    go = shutil.which("go")
    times = []
    for _ in range(rounds):
        with tempfile.TemporaryDirectory(prefix="tw-typebench-") as root:
            started = time.perf_counter()
            helper(Cache(root), go)
            times.append(time.perf_counter() - started)
    return summary(times)


def incremental(rounds: int, workdir: str) -> dict:
    """multi, front end: one-file incremental rebuilds with and without a type-asking aspect."""
    variants = {}
    for name in ("default", "typed"):
        copy = os.path.join(workdir, name)
        shutil.copytree(MULTI, copy)
        if name == "typed":
            with open(os.path.join(copy, "typed.yml"), "w") as f:
                f.write(TYPED_ASPECT)
            with open(os.path.join(copy, "toolweave.yml"), "w") as f:
                f.write("aspects: [typed.yml]\n")
        variants[name] = copy
    env = {**os.environ, "TOOLWEAVE_CACHE_DIR": os.path.join(workdir, "twcache"), "TOOLWEAVE_PROGRESS": "0"}
    argv = [sys.executable, "-m", "toolweave.cli", "go", "build", "-o", "app", "."]
    for copy in variants.values():                       # warm-up: plan, weave, compile
        subprocess.run(argv, cwd=copy, env=env, check=True, capture_output=True)
    times = {name: [] for name in variants}
    for i in range(rounds):
        for name, copy in variants.items():
            with open(os.path.join(copy, "app.go"), "a") as f:
                f.write(f"\nfunc benchEdit{i}() int {{ return {i} }}\n")
            started = time.perf_counter()
            subprocess.run(argv, cwd=copy, env=env, check=True, capture_output=True)
            times[name].append(time.perf_counter() - started)
    return {name: summary(values) for name, values in times.items()}


def measure(workdir: str, rounds: int = 5) -> dict:
    packages = {
        "multi": package_costs("multi", MULTI, ".", rounds, os.path.join(workdir, "c1")),
        "service": package_costs("service", SERVICE, ".", rounds, os.path.join(workdir, "c2")),
        "net/http": package_costs("net/http", MULTI, "net/http", rounds, os.path.join(workdir, "c3")),
    }
    return {"packages": packages, "helper_build_s": helper_build(max(1, rounds // 2)),
            "incremental_multi_s": incremental(rounds, workdir)}


def main() -> int:
    sys.path.insert(0, os.path.join(REPO, "src"))
    with tempfile.TemporaryDirectory(prefix="tw-typebench-") as root:
        print(json.dumps(measure(root, int(sys.argv[1]) if len(sys.argv) > 1 else 5), indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
