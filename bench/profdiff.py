#!/usr/bin/env python3
"""CPU profiles of the woven and the hand-instrumented `multi` server under the same load,
compared function by function, per request.

    python3 bench/profdiff.py [--rounds 6] [--duration 6] [--warmup 2] [--concurrency 8] [--top 30] [--keep DIR] [--json OUT]

Both servers are built with -tags benchprofile (bench/apps/multi/*/cpuprofile.go: SIGUSR2
starts and stops a CPU profile), `manual` with `go build`, `toolweave` with `toolweave go
build` of multi/plain and run with TOOLWEAVE_DB_QUERY_TEXT=raw (like for like). Each round
serves both side by side as bench/loadbench.py does (the servers pinned to one half of the
CPUs, the load generators and the receiver to the other, each server driven by its own
load generator), profiles exactly the measured window, and reads the server's CPU time
(/proc) and allocations around it. The profiles of a variant are merged; a function's time
per request is its sampled CPU time (flat: in the function itself; cum: with its callees)
over all rounds divided by the requests served in all rounds. The report lists the
functions whose own time per request differs most, subsystems by cum time, and the frames
only the woven build has (toolweave's runtime and the woven net/http hooks).

Library use (bench/ is not a package):

    sys.path.insert(0, "<repo>/bench")
    import profdiff
    doc = profdiff.measure(rounds=6, duration=6, warmup=2, concurrency=8, workdir="/tmp/x")
"""

from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from buildbench import summary  # noqa: E402
from loadbench import BENCH, BUILD_ENV, SOURCES, clean_env, cpu_plan, go_command, serve_and_load  # noqa: E402
from stdlib_b import DiscardReceiver, run  # noqa: E402

VARIANTS = ("manual", "toolweave")
# A row of `go tool pprof -top`: flat flat% sum% cum cum% name
TOP_ROW = re.compile(r"^\s*([\d.]+)(\w*)\s+[\d.]+%\s+[\d.]+%\s+([\d.]+)(\w*)\s+[\d.]+%\s+(.+?)(?: \(inline\))?$")
UNITS = {"": 1.0, "s": 1.0, "ms": 1e-3, "us": 1e-6, "µs": 1e-6, "ns": 1e-9, "min": 60.0, "h": 3600.0}
# Frames that exist only in the woven build.
WOVEN_ONLY = ("toolweave.dev/runtime/", "net/http.Toolweave")
# Subsystems compared by cum time: (label, the function names of either build).
SUBSYSTEMS = (
    ("the server's connections (net/http conn.serve)", ("net/http.(*conn).serve",)),
    ("  otelhttp's server middleware", ("go.opentelemetry.io/contrib/instrumentation/net/http/otelhttp.(*middleware).serveHTTP",)),
    ("  database/sql QueryRowContext (otelsql inside)", ("database/sql.(*DB).QueryRowContext",)),
    ("  the //weave:span function / its manual span", ("example.com/multi.compute", "example.com/multi-manual.compute")),
    ("  the slog call (InfoContext, level warn: dropped)", ("log/slog.InfoContext", "toolweave.dev/runtime/slog.InfoContext")),
    ("the downstream call's transport (otelhttp)", ("go.opentelemetry.io/contrib/instrumentation/net/http/otelhttp.(*Transport).RoundTrip",)),
    ("span start (SDK)", ("go.opentelemetry.io/otel/sdk/trace.(*tracer).Start",)),
    ("span end (SDK)", ("go.opentelemetry.io/otel/sdk/trace.(*recordingSpan).End",)),
    ("batch span processor and OTLP export", ("go.opentelemetry.io/otel/sdk/trace.(*batchSpanProcessor).processQueue",)),
    ("garbage collector, background marking", ("runtime.gcBgMarkWorker",)),
    ("garbage collector, background sweeping", ("runtime.bgsweep",)),
    ("allocation (mallocgc, all callers)", ("runtime.mallocgc",)),
    ("scheduler (schedule)", ("runtime.schedule",)),
)


def build(workdir: Path, log) -> dict[str, Path]:
    """Both servers with -tags benchprofile, and loadgen; their paths by name."""
    env = clean_env(**BUILD_ENV)
    bins = {}
    for name, src in [*((v, SOURCES[v]) for v in VARIANTS), ("loadgen", BENCH / "loadgen")]:
        bins[name] = workdir / name
        tags = ["-tags", "benchprofile"] if name != "loadgen" else []
        run(go_command(name, "build", *tags, "-o", str(bins[name]), "."), src, env)
        log(f"built {name}")
    return bins


def per_function(binary: Path, profiles: list[Path]) -> dict[str, tuple[float, float]]:
    """Function name -> (flat, cum) CPU seconds over the profiles, merged."""
    out = subprocess.run(["go", "tool", "pprof", "-top", "-nodecount=100000", str(binary), *map(str, profiles)],
                         capture_output=True, text=True, check=True).stdout
    rows = {}
    for line in out.splitlines():
        m = TOP_ROW.match(line)
        if m and m.group(2) in UNITS and m.group(4) in UNITS:
            rows[m.group(5)] = (float(m.group(1)) * UNITS[m.group(2)], float(m.group(3)) * UNITS[m.group(4)])
    return rows


def total_seconds(binary: Path, profiles: list[Path]) -> float:
    out = subprocess.run(["go", "tool", "pprof", "-top", "-nodecount=1", str(binary), *map(str, profiles)],
                         capture_output=True, text=True, check=True).stdout
    m = re.search(r"Total samples = ([\d.]+)(\w*)", out)
    return float(m.group(1)) * UNITS[m.group(2)] if m else 0.0


def measure(rounds: int, duration: float, warmup: float, concurrency: int, workdir: str, log=print) -> dict:
    """Profile both servers side by side `rounds` times and compare per request. Per variant:
    requests, CPU seconds sampled, µs per request (sampled and from /proc); per round the
    ratio toolweave / manual of the CPU per request (/proc); per function the flat and cum
    µs per request of each variant."""
    workdir = Path(workdir)
    bins = build(workdir, log)
    plan = cpu_plan()
    allowed = os.sched_getaffinity(0)
    profiles: dict[str, list[Path]] = {v: [] for v in VARIANTS}
    requests = {v: 0 for v in VARIANTS}
    cpu = {v: 0.0 for v in VARIANTS}
    ratios: list[float] = []
    if plan:
        os.sched_setaffinity(0, plan[1])
    try:
        with DiscardReceiver() as receiver:
            for i in range(rounds):
                files = {v: workdir / f"{v}-{i + 1}.cpu" for v in VARIANTS}
                res = serve_and_load(VARIANTS, bins, receiver, workdir, f"round-{i + 1}", duration, warmup,
                                     concurrency, log, plan[0] if plan else None, files)
                for v in VARIANTS:
                    if res[v]["errors"] or res[v]["exit"]:
                        sys.exit(f"{v}: {res[v]['errors']} failed requests, exit status {res[v]['exit']}")
                    profiles[v].append(files[v])
                    requests[v] += res[v]["requests"]
                    cpu[v] += res[v]["cpu_us_per_req"] * res[v]["requests"] / 1e6
                ratios.append(res["toolweave"]["cpu_us_per_req"] / res["manual"]["cpu_us_per_req"])
                log(f"round {i + 1}: " + ", ".join(f"{v} {res[v]['requests']} requests, {res[v]['cpu_us_per_req']:.1f} µs "
                                                    f"CPU each" for v in VARIANTS) + f"; toolweave / manual {ratios[-1]:.3f}")
    finally:
        os.sched_setaffinity(0, allowed)
    variants = {}
    functions: dict[str, dict[str, list[float]]] = {}
    for v in VARIANTS:
        n = requests[v]
        sampled = total_seconds(bins[v], profiles[v])
        variants[v] = {"requests": n, "cpu_s": cpu[v], "cpu_us_per_req": cpu[v] * 1e6 / n, "sampled_s": sampled,
                       "sampled_us_per_req": sampled * 1e6 / n}
        for name, (flat, cum) in per_function(bins[v], profiles[v]).items():
            functions.setdefault(name, {u: [0.0, 0.0] for u in VARIANTS})[v] = [flat * 1e6 / n, cum * 1e6 / n]
    return {"rounds": rounds, "duration_s": duration, "warmup_s": warmup, "concurrency": concurrency,
            "pinned": {"servers": sorted(plan[0]), "load": sorted(plan[1])} if plan else None,
            "variants": variants, "per_round": summary(ratios), "functions": functions}


def print_report(doc: dict, top: int) -> None:
    v = doc["variants"]
    for name in VARIANTS:
        print(f"{name:10} {v[name]['requests']:8d} requests  CPU {v[name]['cpu_us_per_req']:7.1f} µs/request "
              f"(/proc), {v[name]['sampled_us_per_req']:7.1f} sampled")
    r = doc["per_round"]
    print(f"toolweave / manual, CPU per request: {v['toolweave']['cpu_us_per_req'] / v['manual']['cpu_us_per_req']:.3f} "
          f"over all rounds; per round median {r['median']:.3f} [{r['min']:.3f}–{r['max']:.3f}]\n")
    funcs = doc["functions"]

    def cum(names, variant):
        return sum(funcs[n][variant][1] for n in names if n in funcs)

    print(f"{'subsystem (cum)':60} {'manual':>9} {'toolweave':>9} {'diff':>8}   (µs/request)")
    for label, names in SUBSYSTEMS:
        m, t = cum(names, "manual"), cum(names, "toolweave")
        print(f"{label:60} {m:9.2f} {t:9.2f} {t - m:+8.2f}")
    print()
    print(f"The {top} functions whose own time per request differs most\n"
          f"{'function':86} {'manual':>9} {'toolweave':>9} {'diff':>8}   (flat µs/request)")
    for name in sorted(funcs, key=lambda f: -abs(funcs[f]["toolweave"][0] - funcs[f]["manual"][0]))[:top]:
        m, t = funcs[name]["manual"][0], funcs[name]["toolweave"][0]
        print(f"{name[:86]:86} {m:9.2f} {t:9.2f} {t - m:+8.2f}")
    print()
    woven = sorted((f for f in funcs if f.startswith(WOVEN_ONLY)), key=lambda f: -funcs[f]["toolweave"][1])
    print(f"Frames only the woven build has (their callees are mostly otelhttp's, otelsql's and the "
          f"program's, which manual runs too)\n{'function':86} {'flat':>9} {'cum':>9}   (toolweave, µs/request)")
    for name in woven[:top]:
        print(f"{name[:86]:86} {funcs[name]['toolweave'][0]:9.2f} {funcs[name]['toolweave'][1]:9.2f}")
    print(f"{'all of them, flat':86} {sum(funcs[f]['toolweave'][0] for f in woven):9.2f}")


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--rounds", type=int, default=6, help="profiled side-by-side runs")
    ap.add_argument("--duration", type=float, default=6, help="measured (and profiled) seconds per run")
    ap.add_argument("--warmup", type=float, default=2, help="unmeasured warm-up seconds per run")
    ap.add_argument("--concurrency", "-c", type=int, default=8, help="load generator workers per server")
    ap.add_argument("--top", type=int, default=30, help="rows per table")
    ap.add_argument("--keep", metavar="DIR", help="keep the binaries and profiles here (for go tool pprof)")
    ap.add_argument("--json", metavar="OUT", help="also write the result here")
    args = ap.parse_args(argv)
    if args.rounds < 1 or args.duration <= 0 or args.warmup < 0 or args.concurrency < 1:
        ap.error("need --rounds ≥ 1, --duration > 0, --warmup ≥ 0, --concurrency ≥ 1")
    log = lambda msg: print(msg, file=sys.stderr, flush=True)  # noqa: E731
    settings = dict(rounds=args.rounds, duration=args.duration, warmup=args.warmup, concurrency=args.concurrency, log=log)
    if args.keep:
        Path(args.keep).mkdir(parents=True, exist_ok=True)
        doc = measure(workdir=args.keep, **settings)
    else:
        with tempfile.TemporaryDirectory(prefix="toolweave-profdiff-") as tmp:
            doc = measure(workdir=tmp, **settings)
    print_report(doc, args.top)
    if args.json:
        Path(args.json).write_text(json.dumps(doc, indent=1) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
