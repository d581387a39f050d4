"""Build figures: plain `go build`, a hand-instrumented build, `toolweave go build`, the
drop-in driver (`go build -toolexec` with the GOFLAGS of `toolweave env`) and Orchestrion
(bench/orchestrion.py), side by side, for one app at a time (a library of bench/run.py; not
a test).

Variants (Variant.tool):
  go                  `go build` (plain, and the hand-instrumented source);
  toolweave           `toolweave go build` (the front end);
  toolweave-toolexec  `toolweave env --format json` in the copy, then `go build -toolexec
                      '<its -toolexec>'` with the rest of the GOFLAGS it printed (the generated
                      -modfile); only the build is timed (a developer evaluates env once per
                      checkout; its cost is in the tax figures of bench/taxbench.py);
  orchestrion         `orchestrion go build` in a copy where Orchestrion is pinned (tool file,
                      go.mod, go.sum: written before the warm-up, never timed), with the pinned
                      binary from a private GOBIN.
What each variant's set-up and builds wrote into its copy of the user's tree (files added,
changed, removed, with byte counts) is recorded after the warm-up build (`tree_writes`).

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

import json
import os
import re
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
import os, sys
out = sys.argv.pop(1)
sys.argv[0] = "toolweave"

def record_peak():
    with open("/proc/self/status") as status:
        peak = next(line.split()[1] for line in status if line.startswith("VmHWM:"))
    with open(out, "w") as f:
        f.write(peak)

execve = os.execve
def execve_after_recording(*args):     # a replay execs go in place of toolweave
    record_peak()
    execve(*args)
os.execve = execve_after_recording

from toolweave.cli import main
try:
    code = main()
finally:
    record_peak()
sys.exit(code)
"""


GO, TOOLWEAVE, TOOLEXEC, ORCHESTRION = "go", "toolweave", "toolweave-toolexec", "orchestrion"


@dataclass(frozen=True)
class Variant:
    name: str          # "plain", "manual", "toolweave", "toolweave-toolexec", "orchestrion"
    source: str        # directory to copy and build
    tool: str = GO     # how it is built: GO, TOOLWEAVE, TOOLEXEC or ORCHESTRION (module docstring)

    @property
    def woven(self) -> bool:
        """Built by toolweave's front end (whose peak RSS is measured)."""
        return self.tool == TOOLWEAVE


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
        self.setup = {}             # variant -> one-off set-up figures (Orchestrion's pin)
        self.orchestrion = None     # the pinned orchestrion binary, when a variant needs it
        self.dropins = {}           # (variant, TOOLWEAVE_CACHE_DIR) -> (toolexec, environment)
        for v in app.variants:
            self.dirs[v.name] = os.path.join(root, app.name, v.name, "src")
            shutil.copytree(v.source, self.dirs[v.name], symlinks=True)
            if v.tool == ORCHESTRION:
                self.setup[v.name] = self.prepare_orchestrion(v)
        self.edits = 0

    def prepare_orchestrion(self, variant: Variant) -> dict:
        """Pin Orchestrion in the variant's copy and install its binary (untimed in the figures)."""
        import orchestrion
        src = self.dirs[variant.name]
        start = time.perf_counter()
        orchestrion.pin(src)
        pinned = time.perf_counter()
        self.orchestrion = orchestrion.install(src, os.path.join(self.root, "orchestrion-gobin"))
        installed = time.perf_counter()
        self.log(f"  {self.app.name:10s} set-up      {variant.name:18s} orchestrion {orchestrion.VERSION} pinned in "
                 f"{pinned - start:.1f} s, binary ready in {installed - pinned:.1f} s (not in the figures)")
        return {"pin_s": pinned - start, "install_s": installed - pinned}

    def out(self, variant: Variant) -> str:
        return os.path.join(self.root, self.app.name, variant.name, "bin")

    def command(self, variant: Variant, out: str | None, rss_file: str, toolexec: str = "") -> list[str]:
        tail = [*(["-o", out] if out and self.app.binary else []), *self.app.packages]
        if variant.tool == TOOLWEAVE:
            return [sys.executable, "-c", _RSS_WRAPPER, rss_file, "go", "build", *tail]
        if variant.tool == TOOLEXEC:
            return ["go", "build", "-toolexec", toolexec, *tail]
        if variant.tool == ORCHESTRION:
            return [self.orchestrion, "go", "build", *tail]
        return ["go", "build", *tail]

    def dropin(self, variant: Variant, env: dict) -> tuple[str, dict]:
        """`toolweave env --format json` in the variant's copy: the -toolexec value and the
        variables to set (GOFLAGS without -toolexec, GOWORK in a workspace). Once per cache."""
        key = (variant.name, env["TOOLWEAVE_CACHE_DIR"])
        if key not in self.dropins:
            proc = subprocess.run([sys.executable, "-m", "toolweave.cli", "env", "--format", "json"],
                                  cwd=self.dirs[variant.name], env=env, capture_output=True, text=True)
            if proc.returncode:
                sys.exit(f"{self.app.name}/{variant.name}: toolweave env failed ({proc.returncode}):\n{proc.stderr}")
            self.dropins[key] = split_toolexec(json.loads(proc.stdout))
        return self.dropins[key]

    def build(self, variant: Variant, gocache: str | None, twcache: str, out: str) -> dict:
        """One timed build; exits loudly if it fails."""
        env = tool_env()
        if gocache:
            env["GOCACHE"] = gocache
        env["TOOLWEAVE_CACHE_DIR"] = twcache
        rss_file = os.path.join(self.root, "rss.txt")
        toolexec = ""
        if variant.tool == TOOLEXEC:
            # not timed: `toolweave env` runs once per checkout (a fresh toolweave cache runs it
            # again: the generated module file, and the launcher's one-off build, ~1 s with a
            # warm GOCACHE and ~15 s with a cold one; bench/taxbench.py reports it)
            toolexec, variables = self.dropin(variant, env)
            env.update(variables)
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        start = time.perf_counter()
        proc = subprocess.run(self.command(variant, out, rss_file, toolexec), cwd=self.dirs[variant.name], env=env,
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
            for key in [k for k in self.dropins if k[1].startswith(tmp + os.sep)]:
                del self.dropins[key]

    def edit(self) -> None:
        """A code change, not a comment: go skips the link when a package's compiled output
        is unchanged, which an appended comment leaves byte-identical."""
        self.edits += 1
        for d in self.dirs.values():
            with open(os.path.join(d, self.app.edited), "a") as f:
                f.write(f"\nfunc benchEdit{self.edits}() int {{ return {self.edits} }}\n")

    def command_line(self, variant: Variant) -> str:
        """The warm build's command line as a person would type it (for the results)."""
        tail = " ".join([*(["-o", "BIN"] if self.app.binary else []), *self.app.packages])
        if variant.tool == TOOLWEAVE:
            return f"toolweave go build {tail}"
        if variant.tool == ORCHESTRION:
            return f"orchestrion go build {tail}"
        if variant.tool == TOOLEXEC:
            toolexec, variables = self.dropins.get((variant.name, self.warm_twcache), ("?", {}))
            short = toolexec.replace(self.warm_twcache, "$TOOLWEAVE_CACHE_DIR")
            flags = variables.get("GOFLAGS", "").replace(self.warm_twcache, "$TOOLWEAVE_CACHE_DIR")
            return f"GOFLAGS='{flags}' go build -toolexec '{short}' {tail}"
        return f"go build {tail}"

    def tree_writes(self, variant: Variant) -> dict:
        """What the variant's set-up and builds wrote into its copy (before any benchmark edit)."""
        return tree_diff(variant.source, self.dirs[variant.name])

    def scenario(self, name: str, runs: int) -> dict:
        samples = {v.name: [] for v in self.app.variants}
        for i in range(runs):
            if name == "incremental":
                self.edit()   # one edit per round: every variant sees one change since its last build
            for v in self.app.variants:
                s = self.cold(v) if name == "cold" else self.warm(v)
                samples[v.name].append(s)
                rss = f"  front end {s['toolweave_rss_mb']:.0f} MB" if s["toolweave_rss_mb"] else ""
                self.log(f"  {self.app.name:10s} {name:11s} {i + 1}/{runs} {v.name:18s} "
                         f"wall {s['wall']:7.2f} s  cpu {s['cpu']:7.2f} s{rss}")
        return {v: _summaries(ss) for v, ss in samples.items()}


def split_toolexec(variables: dict) -> tuple[str, dict]:
    """Take the -toolexec entry out of GOFLAGS (it goes on the command line); the rest stays."""
    from toolweave.driver.goenv import split_goflags
    toolexec, rest = "", []
    for flag in split_goflags(variables.get("GOFLAGS", "")):
        if flag.startswith(("-toolexec=", "--toolexec=")):
            toolexec = flag.split("=", 1)[1]
        else:
            rest.append(f'"{flag}"' if " " in flag else flag)
    if not toolexec:
        sys.exit(f"toolweave env printed no -toolexec: {variables}")
    return toolexec, {**variables, "GOFLAGS": " ".join(rest)}


def tree_diff(before: str, after: str) -> dict:
    """Files added, changed and removed in `after` against `before`, with sizes in bytes."""
    def files(root):
        out = {}
        for base, dirs, names in os.walk(root):
            dirs.sort()
            for n in sorted(names):
                path = os.path.join(base, n)
                out[os.path.relpath(path, root)] = path
        return out

    old, new = files(before), files(after)
    added = [{"path": p, "bytes": os.path.getsize(new[p])} for p in sorted(set(new) - set(old))]
    removed = [{"path": p, "bytes": os.path.getsize(old[p])} for p in sorted(set(old) - set(new))]
    changed = []
    for p in sorted(set(old) & set(new)):
        with open(old[p], "rb") as a, open(new[p], "rb") as b:
            x, y = a.read(), b.read()
        if x != y:
            changed.append({"path": p, "before": len(x), "after": len(y)})
            if os.path.basename(p) == "go.mod" and _go_line(x) != _go_line(y):
                changed[-1]["go_line"] = [_go_line(x), _go_line(y)]   # the code's language version
    return {"added": added, "changed": changed, "removed": removed}


def _go_line(gomod: bytes) -> str | None:
    m = re.search(rb"^go\s+(\S+)", gomod, re.M)
    return m.group(1).decode() if m else None


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
        log(f"  {app.name:10s} warm-up     {v.name:18s} wall {s['wall']:7.2f} s (not in the figures)")
    result = {"description": app.description, "variants": [v.name for v in app.variants],
              "tools": {v.name: v.tool for v in app.variants},
              "commands": {v.name: bench.command_line(v) for v in app.variants},
              "runs": max(runs.values()), "scenarios": {},
              # before any scenario: the incremental one appends to a source file of every copy
              "tree_writes": {v.name: bench.tree_writes(v) for v in app.variants}}
    if bench.setup:
        result["setup"] = bench.setup
    if app.binary:
        result["binary_bytes"] = {v.name: os.path.getsize(bench.out(v)) for v in app.variants}
    for name in ("cold", "noop", "incremental"):
        if runs.get(name, 0) > 0:
            result["scenarios"][name] = bench.scenario(name, runs[name])
    return result
