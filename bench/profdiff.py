#!/usr/bin/env python3
"""CPU profiles of the woven and the hand-instrumented `multi` under the same load, compared
function by function, per request.

    python3 bench/profdiff.py [--rounds 4] [--benchtime 5s] [--top 40] [--keep DIR] [--json OUT]

The load is multi's Go benchmark BenchmarkWork (one GET /work/{n} end to end over loopback:
the server, SQLite, the downstream call and the client, all in one process; see
bench/allocbench.py), run by the test binaries of `manual` (`go test -c`) and `toolweave`
(`toolweave go test -c` of multi/plain, TOOLWEAVE_TEST_BOOTSTRAP=1 so the SDK starts from
OTEL_* as manual's TestMain starts it by hand), both exporting to one DiscardReceiver on
loopback, toolweave with TOOLWEAVE_DB_QUERY_TEXT=raw (like for like). Each round runs both,
in alternating order, each with -test.cpuprofile; the profiles of a variant are merged
(`go tool pprof -proto`). A function's time per request is its sampled CPU time (flat: in the
function itself; cum: with its callees) over all rounds divided by the benchmark's iterations
over all rounds; the table lists the functions whose time per request differs most, then
the frames only the woven build has (toolweave's runtime and the woven net/http hooks),
whose cum is what weaving adds on top of what otelhttp and otelsql cost in both.

Library use (bench/ is not a package):

    sys.path.insert(0, "<repo>/bench")
    import profdiff
    doc = profdiff.measure(rounds=4, benchtime="5s", workdir="/tmp/x")
"""

from __future__ import annotations

import argparse
import json
import re
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from loadbench import BUILD_ENV, SOURCES, clean_env, go_command  # noqa: E402
from stdlib_b import DiscardReceiver, run  # noqa: E402

VARIANTS = ("manual", "toolweave")
# `BenchmarkWork-2   8917   132525 ns/op ...`: the iterations of one run
ITERATIONS = re.compile(r"^BenchmarkWork(?:-\d+)?\s+(\d+)\s+", re.M)
# A row of `go tool pprof -top`: flat flat% sum% cum cum% name
TOP_ROW = re.compile(r"^\s*([\d.]+)(\w*)\s+[\d.]+%\s+[\d.]+%\s+([\d.]+)(\w*)\s+[\d.]+%\s+(.+?)(?: \(inline\))?$")
UNITS = {"": 1.0, "s": 1.0, "ms": 1e-3, "us": 1e-6, "µs": 1e-6, "ns": 1e-9, "min": 60.0, "h": 3600.0}
# Frames that exist only in the woven build.
WOVEN_ONLY = ("toolweave.dev/runtime/", "net/http.Toolweave")


def env_of(variant: str, receiver) -> dict:
    env = clean_env(**BUILD_ENV, **receiver.env(), OTEL_SERVICE_NAME=f"multi-{variant}")
    if variant == "toolweave":
        env.update(TOOLWEAVE_TEST_BOOTSTRAP="1", TOOLWEAVE_DB_QUERY_TEXT="raw")
    return env


def build(workdir: Path, receiver, log) -> dict[str, Path]:
    """The two test binaries, by variant."""
    bins = {}
    for v in VARIANTS:
        bins[v] = workdir / f"{v}.test"
        run(go_command(v, "test", "-c", "-o", str(bins[v])), SOURCES[v], env_of(v, receiver))
        log(f"built {bins[v].name}")
    return bins


def one_run(variant: str, binary: Path, profile: Path, benchtime: str, receiver) -> int:
    """Run BenchmarkWork once with a CPU profile; its iterations."""
    out = run([str(binary), "-test.run", "^$", "-test.bench", "^BenchmarkWork$", "-test.benchmem",
               "-test.benchtime", benchtime, "-test.count", "1", "-test.cpuprofile", str(profile)],
              SOURCES[variant], env_of(variant, receiver))
    found = ITERATIONS.findall(out)
    if len(found) != 1:
        sys.exit(f"{variant}: expected one BenchmarkWork line:\n{out}")
    return int(found[0])


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


def measure(rounds: int, benchtime: str, workdir: str, log=print) -> dict:
    """Profile both variants `rounds` times each (alternating) and compare per request.
    Per variant: iterations, CPU seconds sampled, µs per request; per function the flat and
    cum µs per request of each variant."""
    workdir = Path(workdir)
    profiles: dict[str, list[Path]] = {v: [] for v in VARIANTS}
    iterations = {v: 0 for v in VARIANTS}
    with DiscardReceiver() as receiver:
        bins = build(workdir, receiver, log)
        for i in range(rounds):
            for v in VARIANTS if i % 2 == 0 else VARIANTS[::-1]:
                profile = workdir / f"{v}-{i + 1}.cpu"
                n = one_run(v, bins[v], profile, benchtime, receiver)
                profiles[v].append(profile)
                iterations[v] += n
                log(f"round {i + 1} {v:9} {n} requests")
    variants = {}
    functions: dict[str, dict[str, list[float]]] = {}
    for v in VARIANTS:
        n = iterations[v]
        total = total_seconds(bins[v], profiles[v])
        variants[v] = {"requests": n, "cpu_s": total, "cpu_us_per_req": total * 1e6 / n}
        for name, (flat, cum) in per_function(bins[v], profiles[v]).items():
            functions.setdefault(name, {u: [0.0, 0.0] for u in VARIANTS})[v] = [flat * 1e6 / n, cum * 1e6 / n]
    return {"rounds": rounds, "benchtime": benchtime, "variants": variants, "functions": functions}


def print_report(doc: dict, top: int) -> None:
    v = doc["variants"]
    for name in VARIANTS:
        print(f"{name:10} {v[name]['requests']:8d} requests  {v[name]['cpu_s']:7.2f} s sampled  "
              f"{v[name]['cpu_us_per_req']:7.1f} µs/request")
    print(f"toolweave / manual: {v['toolweave']['cpu_us_per_req'] / v['manual']['cpu_us_per_req']:.3f}\n")
    funcs = doc["functions"]

    def show(title, names, key):
        print(f"{title}\n{'function':86} {'manual':>9} {'toolweave':>9} {'diff':>8}   ({key} µs/request)")
        for name in names:
            m, t = funcs[name]["manual"][key == "cum"], funcs[name]["toolweave"][key == "cum"]
            print(f"{name[:86]:86} {m:9.2f} {t:9.2f} {t - m:+8.2f}")
        print()

    by_flat = sorted(funcs, key=lambda f: -abs(funcs[f]["toolweave"][0] - funcs[f]["manual"][0]))
    show(f"The {top} functions whose own time per request differs most", by_flat[:top], "flat")
    woven = sorted((f for f in funcs if f.startswith(WOVEN_ONLY)), key=lambda f: -funcs[f]["toolweave"][1])
    print(f"Frames only the woven build has (their callees are mostly otelhttp's, otelsql's and the "
          f"program's, which manual runs too)\n{'function':86} {'flat':>9} {'cum':>9}   (toolweave, µs/request)")
    for name in woven[:top]:
        print(f"{name[:86]:86} {funcs[name]['toolweave'][0]:9.2f} {funcs[name]['toolweave'][1]:9.2f}")
    print(f"{'all of them, flat':86} {sum(funcs[f]['toolweave'][0] for f in woven):9.2f}")


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--rounds", type=int, default=4, help="profiled runs per variant (alternating)")
    ap.add_argument("--benchtime", default="5s", help="-test.benchtime of each run")
    ap.add_argument("--top", type=int, default=40, help="rows per table")
    ap.add_argument("--keep", metavar="DIR", help="keep the binaries and profiles here (for go tool pprof)")
    ap.add_argument("--json", metavar="OUT", help="also write the result here")
    args = ap.parse_args(argv)
    if args.rounds < 1:
        ap.error("--rounds must be ≥ 1")
    log = lambda msg: print(msg, file=sys.stderr, flush=True)  # noqa: E731
    if args.keep:
        Path(args.keep).mkdir(parents=True, exist_ok=True)
        doc = measure(args.rounds, args.benchtime, args.keep, log)
    else:
        with tempfile.TemporaryDirectory(prefix="toolweave-profdiff-") as tmp:
            doc = measure(args.rounds, args.benchtime, tmp, log)
    print_report(doc, args.top)
    if args.json:
        Path(args.json).write_text(json.dumps(doc, indent=1) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
