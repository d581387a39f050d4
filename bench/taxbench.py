"""The drop-in driver's no-match tax (a library of bench/run.py; not a test): what toolweave's
-toolexec driver costs per compile when it has nothing to weave.

One round = a cold build (fresh, empty GOCACHE and TOOLWEAVE_CACHE_DIR; the module cache stays
warm) of an app no aspect matches (largeidle) with the GOFLAGS of `toolweave env` and
TOOLWEAVE_TIMINGS=<file>: every tool call the driver makes is recorded there (driver/timings.py),
with `self_ns` = the time from the driver process's start until the tool started (toolweave's
own cost for that call) and `driver` = "launcher" (the Go launcher ran the call itself) or
"python" (`toolweave toolexec` did: no plan yet, or a package an aspect may match, or a link).

Drivers:
  launcher  what `toolweave env` prints by default (the Go launcher; Python only where needed);
  python    `TOOLWEAVE_LAUNCHER=0 toolweave env`: `-toolexec='<toolweave> toolexec'`, every call
            starts Python (the contrast).

Per round: compile calls, how many of them went to Python, the median / p90 / max (and mean)
`self_ns` of the compiles the launcher ran itself, and the tax per compile unit = the sum of
`self_ns` over every recorded call (compile, asm, …) / the number of compile calls; the same
of `self_cpu_ns` (the CPU time the driver process used before the tool started) as the CPU tax.
The two differ by the time a driver process waits for a CPU: in a parallel build on 2 cores
both are busy compiling, so `self_ns` counts other packages' compiles too; the CPU tax is what
toolweave's share costs the machine, and what the target is measured on.
`toolweave env` and the `-V=full` identity probes (not recorded) are outside the tax.

Caveats, also in the report: with TOOLWEAVE_TIMINGS the driver runs the tool as a child instead
of exec'ing it (to see it end), so the build is not exactly the untimed one. The launcher takes
its process's start from /proc/self/schedstat (nanoseconds on a CPU plus waiting for one: exact
for a process that has not slept, which the launcher does not before starting the tool); the
Python driver from /proc/self/stat (clock ticks: 10 ms steps, fine for calls of 40 ms and more).
"""

from __future__ import annotations

import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

import buildbench

LAUNCHER, PYTHON = "launcher", "python"
DRIVERS = (LAUNCHER, PYTHON)


def read_records(path: str) -> list[dict]:
    """The `tool` records of a timings file (lines that do not parse are skipped, as the
    format's readers do)."""
    out = []
    try:
        with open(path, encoding="utf-8") as f:
            for line in f:
                try:
                    r = json.loads(line)
                except ValueError:
                    continue
                if isinstance(r, dict) and r.get("kind") == "tool":
                    out.append(r)
    except FileNotFoundError:
        pass
    return out


def percentile(values: list[float], q: float) -> float:
    """The q-quantile (0..1) by linear interpolation between closest ranks."""
    s = sorted(values)
    if not s:
        return 0.0
    k = (len(s) - 1) * q
    lo = int(k)
    hi = min(lo + 1, len(s) - 1)
    return s[lo] + (s[hi] - s[lo]) * (k - lo)


def analyse(records: list[dict]) -> dict:
    """The figures of one build's tool records (times in ms)."""
    compiles = [r for r in records if r.get("tool") == "compile"]
    by_launcher = [r.get("self_ns", 0) / 1e6 for r in compiles if r.get("driver") == LAUNCHER]
    total_self = sum(r.get("self_ns", 0) for r in records) / 1e6
    cpu = [r["self_cpu_ns"] for r in records if r.get("self_cpu_ns")]
    total_cpu = sum(cpu) / 1e6 if len(cpu) == len(records) else None   # every call must say
    calls = {}
    for r in records:
        key = f"{r.get('tool', '?')}/{r.get('driver', '?')}"
        calls[key] = calls.get(key, 0) + 1
    return {
        "calls": len(records),
        "calls_by_tool_driver": dict(sorted(calls.items())),
        "compiles": len(compiles),
        "compiles_python": sum(1 for r in compiles if r.get("driver") == PYTHON),
        "compiles_woven": sum(1 for r in compiles if r.get("woven")),
        "launcher_compile_self_ms": _dist(by_launcher),
        "python_compile_self_ms": _dist([r.get("self_ns", 0) / 1e6 for r in compiles if r.get("driver") == PYTHON]),
        "self_total_ms": total_self,
        "tax_per_compile_ms": total_self / len(compiles) if compiles else None,
        "launcher_compile_self_cpu_ms": _dist([r["self_cpu_ns"] / 1e6 for r in compiles
                                               if r.get("driver") == LAUNCHER and r.get("self_cpu_ns")]),
        "self_cpu_total_ms": total_cpu,
        "tax_cpu_per_compile_ms": total_cpu / len(compiles) if compiles and total_cpu is not None else None,
        "failed_calls": sum(1 for r in records if r.get("exit")),
    }


def _dist(values: list[float]) -> dict | None:
    if not values:
        return None
    return {"median": statistics.median(values), "p90": percentile(values, 0.9), "max": max(values),
            "mean": statistics.fmean(values)}


class TaxBench:
    """Cold drop-in builds of one app (its own copy of `source`) under `root`."""

    def __init__(self, name: str, source: str, root: str, packages=("./...",), log=print):
        self.name, self.packages, self.log = name, tuple(packages), log
        self.root = os.path.join(root, "tax", name)
        self.src = os.path.join(self.root, "src")
        shutil.copytree(source, self.src, symlinks=True)

    def round(self, driver: str) -> dict:
        tmp = tempfile.mkdtemp(prefix=f"cold-{driver}-", dir=self.root)
        try:
            env = buildbench.tool_env()
            env.pop("TOOLWEAVE_TIMINGS", None)
            env.pop("TOOLWEAVE_LAUNCHER", None)
            env["GOCACHE"], env["TOOLWEAVE_CACHE_DIR"] = os.path.join(tmp, "gocache"), os.path.join(tmp, "twcache")
            env_env = {**env, "TOOLWEAVE_LAUNCHER": "0"} if driver == PYTHON else env
            start = time.perf_counter()
            proc = subprocess.run([sys.executable, "-m", "toolweave.cli", "env", "--format", "json"], cwd=self.src,
                                  env=env_env, capture_output=True, text=True)
            env_s = time.perf_counter() - start
            if proc.returncode:
                sys.exit(f"tax/{self.name}/{driver}: toolweave env failed ({proc.returncode}):\n{proc.stderr}")
            toolexec, variables = buildbench.split_toolexec(json.loads(proc.stdout))
            named = PYTHON if toolexec.rstrip().endswith(" toolexec") else LAUNCHER
            if named != driver:
                sys.exit(f"tax/{self.name}/{driver}: toolweave env named the {named} driver ({toolexec!r}):\n"
                         f"{proc.stderr}")
            timings = os.path.join(tmp, "timings.jsonl")
            env.update(variables)
            env["TOOLWEAVE_TIMINGS"] = timings
            start = time.perf_counter()
            proc = subprocess.run(["go", "build", "-toolexec", toolexec, *self.packages], cwd=self.src, env=env,
                                  capture_output=True, text=True)
            wall = time.perf_counter() - start
            if proc.returncode:
                sys.exit(f"tax/{self.name}/{driver}: build failed ({proc.returncode}):\n{proc.stdout}{proc.stderr}")
            return {"env_s": env_s, "build_wall_s": wall, **analyse(read_records(timings))}
        finally:
            shutil.rmtree(tmp, ignore_errors=True)


def measure(name: str, source: str, root: str, rounds: dict[str, int], packages=("./...",), log=print) -> dict:
    """rounds[driver] cold builds per driver, interleaved (launcher, python, launcher, …)."""
    bench = TaxBench(name, source, root, packages, log)
    samples = {d: [] for d in DRIVERS if rounds.get(d, 0) > 0}
    for i in range(max(rounds.values(), default=0)):
        for d in samples:
            if i >= rounds[d]:
                continue
            s = bench.round(d)
            samples[d].append(s)
            dist = s["launcher_compile_self_ms"]
            per = (f"  launcher compiles self median {dist['median']:.2f} p90 {dist['p90']:.2f} "
                   f"max {dist['max']:.2f} mean {dist['mean']:.2f} ms" if dist else "")
            cpu = s["tax_cpu_per_compile_ms"]
            log(f"  {name:10s} tax {i + 1}/{rounds[d]} {d:8s} build {s['build_wall_s']:6.2f} s  "
                f"compiles {s['compiles']} (python {s['compiles_python']})  "
                f"tax {s['tax_per_compile_ms']:.2f} ms/compile"
                + (f" (CPU {cpu:.2f})" if cpu is not None else "") + per)
    return {"app": name, "packages": list(packages), "rounds": {d: len(s) for d, s in samples.items()},
            "clock_tick_ms": 1000 / os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else None,
            "tool_runs_as_child": True,
            "drivers": {d: aggregate(s) for d, s in samples.items()}}


def aggregate(samples: list[dict]) -> dict:
    """Per-round samples and the summaries the report and the targets use: median [min–max]
    over rounds of each per-round figure; of the per-call distributions, the median over rounds
    of each round's median, p90 and mean, and the largest max of any round."""
    out = {"samples": samples}
    for key in ("tax_per_compile_ms", "tax_cpu_per_compile_ms", "build_wall_s", "env_s", "compiles",
                "compiles_python", "self_total_ms", "self_cpu_total_ms"):
        values = [s[key] for s in samples if s.get(key) is not None]
        out[key] = buildbench.summary(values) if values else None
    for key in ("launcher_compile_self_ms", "launcher_compile_self_cpu_ms", "python_compile_self_ms"):
        dists = [s[key] for s in samples if s.get(key)]
        out[key] = ({"median": statistics.median(d["median"] for d in dists),
                     "p90": statistics.median(d["p90"] for d in dists),
                     "max": max(d["max"] for d in dists),
                     "mean": statistics.median(d["mean"] for d in dists)} if dists else None)
    return out
