#!/usr/bin/env python3
"""Benchmark: build examples/service with plain `go build` and with `toolweave go build`
(not a test; not run in CI).

    python3 bench/build_example.py [--runs N] [--quick] [--scenarios cold,noop,incremental]

The module is copied once to a temporary directory and every build runs there with
`-o <tmpfile>`: nothing in /work/main is written. Each build is timed as wall time
(`time.perf_counter`) and as CPU time of the child processes (user + system from
`resource.getrusage(RUSAGE_CHILDREN)` deltas: for toolweave that is the Python front end,
its `go list`/`go env` runs and the go command with the compilers and the linker).

Scenarios (each variant keeps its own GOCACHE and TOOLWEAVE_CACHE_DIR; the module cache,
GOMODCACHE, is the user's and stays warm):
  cold         a fresh, empty GOCACHE and TOOLWEAVE_CACHE_DIR per run: the whole build,
               standard library included, plus (toolweave) planning, weaving, the runtime
               module copy and the generated module file.
  noop         rebuild with nothing changed, on the caches of the previous build of that
               variant: the fixed cost of a build, which is what a developer pays most.
  incremental  append a comment line (with a counter) to store.go, a file with `//weave:`
               directives, then rebuild: package main is compiled and linked again, and
               toolweave re-weaves the edited file.
Output files: a cold build writes to a fresh path (so it always links); noop and incremental
builds write to their variant's own path, as a developer's rebuild does. Sharing one path
would let go skip the link of a plain cold build (same build ID) but not of a toolweave one
(its cache paths are part of the binary), and make the next toolweave no-op relink.
Before timing, one untimed warm-up build of each variant fills its caches (and downloads any
module not yet in GOMODCACHE, e.g. OpenTelemetry for toolweave).

Why interleaved: runs go plain, toolweave, plain, toolweave, … so that drift in the machine's
state (other load, thermal throttling, page cache) hits both variants alike instead of biasing
whichever ran second; each figure is the median of N runs, with min and max as its spread.
Results go to bench/results/build_example-<UTC date>.json. Run on an idle machine and a quiet
tree: an edit to toolweave's own source mid-run changes its cache keys (a warning says so).
"""

from __future__ import annotations

import argparse
import datetime
import hashlib
import json
import os
import platform
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
EXAMPLE = os.path.join(HERE, os.pardir, "examples", "service")
EDITED = "store.go"
SCENARIOS = ("cold", "noop", "incremental")
VARIANTS = ("plain", "toolweave")


def command(variant: str, out: str) -> list[str]:
    go = ["go", "build", "-o", out, "."]
    return go if variant == "plain" else [sys.executable, "-m", "toolweave.cli", *go]


def build(variant: str, workdir: str, out: str, gocache: str, twcache: str) -> tuple[float, float]:
    """One build; returns (wall seconds, CPU seconds of children). Fails loudly."""
    env = {k: v for k, v in os.environ.items() if k != "TOOLWEAVE_VERBOSE"}
    env.update(GOCACHE=gocache, TOOLWEAVE_CACHE_DIR=twcache)
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    proc = subprocess.run(command(variant, out), cwd=workdir, env=env, capture_output=True, text=True)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if proc.returncode:
        sys.exit(f"{variant} build failed ({proc.returncode}):\n{proc.stdout}{proc.stderr}")
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu


class Bench:
    def __init__(self, root: str):
        self.root = root
        self.workdir = os.path.join(root, "service")
        shutil.copytree(EXAMPLE, self.workdir)
        self.edits = 0
        self.warm = {}   # variant -> (gocache, twcache) kept across noop/incremental runs
        for v in VARIANTS:
            self.warm[v] = (os.path.join(root, v, "gocache"), os.path.join(root, v, "twcache"))
            for d in self.warm[v]:
                os.makedirs(d)

    def out(self, variant: str) -> str:
        return os.path.join(self.root, f"{variant}.bin")

    def warm_build(self, variant: str) -> tuple[float, float]:
        return build(variant, self.workdir, self.out(variant), *self.warm[variant])

    def cold_build(self, variant: str) -> tuple[float, float]:
        # A fresh output path too: go skips the link when the -o target already carries the
        # expected build ID, and a cold build of the warm variants' binary would overwrite it.
        tmp = tempfile.mkdtemp(prefix=f"cold-{variant}-", dir=self.root)
        gocache, twcache = os.path.join(tmp, "gocache"), os.path.join(tmp, "twcache")
        os.makedirs(gocache)
        os.makedirs(twcache)
        try:
            return build(variant, self.workdir, os.path.join(tmp, "out.bin"), gocache, twcache)
        finally:
            shutil.rmtree(tmp, ignore_errors=True)

    def edit(self) -> None:
        self.edits += 1
        with open(os.path.join(self.workdir, EDITED), "a") as f:
            f.write(f"// bench edit {self.edits}\n")

    def scenario(self, name: str, runs: int) -> dict:
        samples = {v: {"wall": [], "cpu": []} for v in VARIANTS}
        for i in range(runs):
            if name == "incremental":
                self.edit()   # one edit per pair: each variant sees a change since its last build
            for v in VARIANTS:
                wall, cpu = self.cold_build(v) if name == "cold" else self.warm_build(v)
                samples[v]["wall"].append(wall)
                samples[v]["cpu"].append(cpu)
                print(f"  {name} run {i + 1}/{runs} {v:9s} wall {wall:7.2f} s  cpu {cpu:7.2f} s", flush=True)
        return samples


def summary(values: list[float]) -> dict:
    return {"median": statistics.median(values), "min": min(values), "max": max(values), "runs": values}


def cell(s: dict) -> str:
    return f"{s['median']:7.2f} [{s['min']:.2f}–{s['max']:.2f}]"


def table(results: dict) -> str:
    head = f"{'scenario':12s} {'metric':6s} {'plain s, median [min–max]':>28s} {'toolweave s, median [min–max]':>30s} {'tw/plain':>8s}"
    lines = [head, "-" * len(head)]
    for name, figures in results.items():
        for metric in ("wall", "cpu"):
            p, t = figures["plain"][metric], figures["toolweave"][metric]
            ratio = t["median"] / p["median"] if p["median"] else float("inf")
            lines.append(f"{name:12s} {metric:6s} {cell(p):>28s} {cell(t):>30s} {ratio:8.2f}")
    return "\n".join(lines)


def toolweave_fingerprint() -> str:
    """Hash of toolweave's installed source (Python, aspects, runtime module): if it changes
    mid-run, toolweave's cache keys change and "no-op" builds re-weave and relink."""
    import toolweave

    h = hashlib.sha256()
    for base, dirs, files in sorted(os.walk(os.path.dirname(toolweave.__file__))):
        dirs[:] = sorted(d for d in dirs if d != "__pycache__")
        for name in sorted(files):
            with open(os.path.join(base, name), "rb") as f:
                h.update(name.encode() + b"\0" + f.read())
    return h.hexdigest()[:16]


def go_version() -> str:
    return subprocess.run(["go", "version"], capture_output=True, text=True).stdout.strip()


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=5, help="runs per variant and scenario (default 5)")
    parser.add_argument("--quick", action="store_true", help="2 runs: a smoke test, not a measurement")
    parser.add_argument("--scenarios", default=",".join(SCENARIOS), help="comma-separated subset of " + ",".join(SCENARIOS))
    args = parser.parse_args(argv)
    runs = 2 if args.quick else args.runs
    chosen = [s.strip() for s in args.scenarios.split(",") if s.strip()]
    unknown = [s for s in chosen if s not in SCENARIOS]
    if unknown or not chosen or runs < 1:
        parser.error(f"scenarios must be among {','.join(SCENARIOS)} and runs >= 1")
    chosen = [s for s in SCENARIOS if s in chosen]   # fixed order: cold, noop, incremental

    info = {"go": go_version(), "python": platform.python_version(), "cpus": os.cpu_count(),
            "loadavg_before": os.getloadavg(), "toolweave_source": toolweave_fingerprint(), "runs": runs, "quick": args.quick,
            "started": datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds")}
    print(f"{info['go']}, {info['cpus']} CPUs, load average {info['loadavg_before'][0]:.2f}, "
          f"{runs} interleaved runs per scenario{' (QUICK: smoke test only)' if args.quick else ''}")
    results, warmup = {}, {}
    with tempfile.TemporaryDirectory(prefix="toolweave-bench-") as root:
        bench = Bench(root)
        for v in VARIANTS:   # untimed for the figures: fills the warm caches and GOMODCACHE
            wall, cpu = bench.warm_build(v)
            warmup[v] = {"wall": wall, "cpu": cpu}
            print(f"  warm-up {v:9s} wall {wall:7.2f} s  cpu {cpu:7.2f} s (not in the figures)", flush=True)
        info["binary_bytes"] = {v: os.path.getsize(bench.out(v)) for v in VARIANTS}
        for name in chosen:
            samples = bench.scenario(name, runs)
            results[name] = {v: {m: summary(samples[v][m]) for m in ("wall", "cpu")} for v in VARIANTS}
    info["loadavg_after"] = os.getloadavg()
    info["toolweave_source_changed"] = toolweave_fingerprint() != info["toolweave_source"]
    if info["toolweave_source_changed"]:
        print("\nWARNING: toolweave's source changed during the run; its figures are not comparable")

    print()
    print(table(results))
    outdir = os.path.join(HERE, "results")
    os.makedirs(outdir, exist_ok=True)
    path = os.path.join(outdir, f"build_example-{datetime.datetime.now(datetime.timezone.utc):%Y-%m-%d}.json")
    with open(path, "w") as f:
        json.dump({"info": info, "warmup": warmup, "scenarios": results}, f, indent=1)
        f.write("\n")
    print(f"\nwritten {os.path.relpath(path)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
