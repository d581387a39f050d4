"""Build figures: plain `go build`, a hand-instrumented build and `toolweave go build`, side
by side, for one app at a time (a library of bench/run.py; not a test).

Scenarios (every variant builds its own copy of the source, with `-o` into the work dir):
  cold         a fresh, empty GOCACHE and TOOLWEAVE_CACHE_DIR per run (the module cache,
               GOMODCACHE, stays warm): the whole build, standard library included, plus for
               toolweave planning, weaving, the runtime module and the generated module file.
  noop         a rebuild with nothing changed, on warm caches: the fixed cost a developer pays
               on every build.
  incremental  a small function appended to one source file (the same file in every variant),
               then a rebuild: that package is compiled again and the binary relinked.
Warm caches are the user's GOCACHE and one TOOLWEAVE_CACHE_DIR per bench run; an untimed
warm-up build of each variant fills them. Runs are interleaved (plain, manual, toolweave,
plain, …) so drift in the machine's state hits every variant alike; each figure is the
median of the runs with min and max.

Measured per build: wall time, CPU time of all child processes (user + system, from
getrusage(RUSAGE_CHILDREN) deltas: compilers and linker included), and for toolweave the peak
RSS of its own Python process (the front end; go's processes are not counted), reported by
a tiny wrapper that runs toolweave's `main` in-process.
"""

from __future__ import annotations

import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass

# Runs toolweave's command line in this process, then writes the process's own peak RSS (VmHWM
# of /proc/self/status, KiB) to the file named by argv[1]. Not getrusage's ru_maxrss: Linux
# carries that across fork and exec, so it would report the benchmark's own Python process.
_RSS_WRAPPER = """
import sys
out = sys.argv.pop(1)
sys.argv[0] = "toolweave"
from toolweave.cli import main
try:
    code = main()
finally:
    with open("/proc/self/status") as status:
        peak = next(line.split()[1] for line in status if line.startswith("VmHWM:"))
    with open(out, "w") as f:
        f.write(peak)
sys.exit(code)
"""


@dataclass(frozen=True)
class Variant:
    name: str          # "plain", "manual" or "toolweave"
    source: str        # directory to copy and build
    woven: bool        # built with toolweave


@dataclass(frozen=True)
class App:
    name: str
    description: str
    variants: tuple[Variant, ...]
    packages: tuple[str, ...] = (".",)
    edited: str = ""           # file (relative) that the incremental scenario appends to
    binary: bool = True        # the build produces one executable (sizes are reported)


def summary(values) -> dict:
    """The Summary of a series of numbers: median, min, max and the values themselves."""
    runs = [float(v) for v in values]
    return {"median": statistics.median(runs), "min": min(runs), "max": max(runs), "runs": runs}


def tool_env() -> dict:
    """The environment of every build: no verbosity; bytecode written as after a pip install."""
    return {k: v for k, v in os.environ.items() if k not in ("TOOLWEAVE_VERBOSE", "PYTHONDONTWRITEBYTECODE")}


class AppBench:
    """One app's variants, each in its own copy of the source under `root`."""

    def __init__(self, app: App, root: str, twcache: str, log=print):
        self.app, self.root, self.log = app, root, log
        self.warm_twcache = twcache
        self.dirs = {}
        for v in app.variants:
            self.dirs[v.name] = os.path.join(root, app.name, v.name, "src")
            shutil.copytree(v.source, self.dirs[v.name], symlinks=True)
        self.edits = 0

    def out(self, variant: Variant) -> str:
        return os.path.join(self.root, self.app.name, variant.name, "bin")

    def command(self, variant: Variant, out: str | None, rss_file: str) -> list[str]:
        go = ["go", "build", *(["-o", out] if out and self.app.binary else []), *self.app.packages]
        return [sys.executable, "-c", _RSS_WRAPPER, rss_file, *go] if variant.woven else go

    def build(self, variant: Variant, gocache: str | None, twcache: str, out: str) -> dict:
        """One timed build; exits loudly if it fails."""
        env = tool_env()
        if gocache:
            env["GOCACHE"] = gocache
        env["TOOLWEAVE_CACHE_DIR"] = twcache
        rss_file = os.path.join(self.root, "rss.txt")
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        start = time.perf_counter()
        proc = subprocess.run(self.command(variant, out, rss_file), cwd=self.dirs[variant.name], env=env,
                              capture_output=True, text=True)
        wall = time.perf_counter() - start
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        if proc.returncode:
            sys.exit(f"{self.app.name}/{variant.name} build failed ({proc.returncode}):\n{proc.stdout}{proc.stderr}")
        cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
        rss = None
        if variant.woven:
            with open(rss_file) as f:
                rss = int(f.read()) / 1024
        return {"wall": wall, "cpu": cpu, "toolweave_rss_mb": rss}

    def warm(self, variant: Variant) -> dict:
        return self.build(variant, None, self.warm_twcache, self.out(variant))

    def cold(self, variant: Variant) -> dict:
        # A fresh output path too: go skips the link when -o already holds the expected build ID.
        tmp = tempfile.mkdtemp(prefix=f"cold-{variant.name}-", dir=self.root)
        try:
            gocache, twcache = os.path.join(tmp, "gocache"), os.path.join(tmp, "twcache")
            return self.build(variant, gocache, twcache, os.path.join(tmp, "bin"))
        finally:
            shutil.rmtree(tmp, ignore_errors=True)

    def edit(self) -> None:
        """A code change, not a comment: go skips the link when a package's compiled output
        is unchanged, which an appended comment leaves byte-identical."""
        self.edits += 1
        for d in self.dirs.values():
            with open(os.path.join(d, self.app.edited), "a") as f:
                f.write(f"\nfunc benchEdit{self.edits}() int {{ return {self.edits} }}\n")

    def scenario(self, name: str, runs: int) -> dict:
        samples = {v.name: [] for v in self.app.variants}
        for i in range(runs):
            if name == "incremental":
                self.edit()   # one edit per round: every variant sees one change since its last build
            for v in self.app.variants:
                s = self.cold(v) if name == "cold" else self.warm(v)
                samples[v.name].append(s)
                rss = f"  front end {s['toolweave_rss_mb']:.0f} MB" if s["toolweave_rss_mb"] else ""
                self.log(f"  {self.app.name:10s} {name:11s} {i + 1}/{runs} {v.name:9s} "
                         f"wall {s['wall']:7.2f} s  cpu {s['cpu']:7.2f} s{rss}")
        return {v: _summaries(ss) for v, ss in samples.items()}


def _summaries(samples: list[dict]) -> dict:
    out = {m: summary([s[m] for s in samples]) for m in ("wall", "cpu")}
    rss = [s["toolweave_rss_mb"] for s in samples if s["toolweave_rss_mb"] is not None]
    out["toolweave_rss_mb"] = summary(rss) if rss else None
    return out


def measure(app: App, root: str, twcache: str, runs: dict[str, int], log=print) -> dict:
    """Every scenario with runs[scenario] > 0, in the order cold, noop, incremental."""
    bench = AppBench(app, root, twcache, log)
    for v in app.variants:   # untimed: fills the warm caches (and GOMODCACHE)
        s = bench.warm(v)
        log(f"  {app.name:10s} warm-up     {v.name:9s} wall {s['wall']:7.2f} s (not in the figures)")
    result = {"description": app.description, "variants": [v.name for v in app.variants],
              "runs": max(runs.values()), "scenarios": {}}
    if app.binary:
        result["binary_bytes"] = {v.name: os.path.getsize(bench.out(v)) for v in app.variants}
    for name in ("cold", "noop", "incremental"):
        if runs.get(name, 0) > 0:
            result["scenarios"][name] = bench.scenario(name, runs[name])
    return result
