#!/usr/bin/env python3
"""The benchmark runner: build, runtime and allocation figures of toolweave against plain and
hand-instrumented builds and against Orchestrion, each target with its measured value and
PASS/FAIL (not a test; not in CI).

    python3 bench/run.py            # full: 40-50 minutes on 2 cores; writes docs/benchmarks.md
    python3 bench/run.py --quick    # ~12 minutes: a smoke test (cold builds of largeidle only)
    python3 bench/run.py --oss-cold # full, plus cold builds of the open-source service (+~12 min)
    python3 bench/run.py --variants plain,manual,toolweave   # without the peers (as before them)

Apps (bench/apps/README.md):
  multi      HTTP server + client, database/sql on SQLite, slog, //weave:span: unmodified
             (plain and toolweave) and instrumented by hand (manual);
  largeidle  200 generated packages no aspect matches: toolweave's cost with nothing to do;
  miniflux   an open-source RSS reader service (net/http, database/sql on PostgreSQL, slog;
             88 packages), fetched from the Go module proxy at the pinned version below.
Build variants on multi and largeidle: plain, manual (multi), toolweave (`toolweave go build`),
toolweave-toolexec (`go build -toolexec` with the GOFLAGS of `toolweave env`) and orchestrion
(DataDog's Orchestrion, pinned in a copy of the app: bench/orchestrion.py); miniflux: plain and
toolweave. Without the peers (`--variants plain,manual,toolweave`) a full run took 17-19
minutes on 2 cores and --quick under 5. The peers add their warm-up builds, Orchestrion's pin
(go get, go mod tidy: ~5 s) and, the first time on a machine, its binary (~1.5 min) and module
downloads; and each cold round of multi ~150 s of CPU per peer (~1.3 min of wall each on 2 idle
cores, estimated), of largeidle ~45 s: expect a full run of 35-45 minutes, --quick ~10.
The drop-in driver's no-match tax (bench/taxbench.py, `--only tax`): cold builds of largeidle
with TOOLWEAVE_TIMINGS, toolweave's own time per tool call with the launcher (3 rounds; --quick 1)
and, once, with the Python driver (TOOLWEAVE_LAUNCHER=0) for contrast. On 2 loaded cores a
launcher round took ~1 min (20 s of it the cold `toolweave env`) and the Python one ~1.5 min:
~5 minutes more for a full run, ~2.5 for --quick.
The ecosystem service (bench/ecobench.py, `--only eco`): gin -> gRPC -> Redis as two processes
against the same service instrumented by hand, 12 rounds of 6 s (~7 minutes; --quick 1 round),
PostgreSQL and redis-server started on loopback. `--update RESULTS` re-measures the sections
of --only into an earlier full run's results file, with a note saying what and when.
Type facts (bench/typebench.py, `--only types`, ~3 minutes): what a package that asks the type
checker costs (go list -export, one helper run, the helper's build) and a one-file rebuild of
multi with a type-asking aspect. Goroutine-local context (bench/glsbench.py, `--only gls`, ~2
minutes): goroutine and span costs with and without gls.yml, and a million goroutines.
Exporter unreachable (bench/unreachable.py, `--only unreachable`, never by default, ~12 minutes):
multi under load with export disabled, healthy, refused and black-holed; latency, RSS, drops.
Build figures: bench/buildbench.py; runtime (the server's CPU and allocations per request,
throughput and latency on loopback, the variants alone and side by side, ~10 minutes):
bench/loadbench.py; allocations per request (Go benchmark): bench/allocbench.py; CPU profiles
of both builds compared per request (not part of a run): bench/profdiff.py. Results go to
bench/results/<UTC date>[-quick].json; a full run also regenerates docs/benchmarks.md and its
charts (bench/report.py). Run on an idle machine: other load widens every spread. The runner
re-runs itself inside the clone's .venv (scripts/venv.sh, extra `bench`), where toolweave is
installed as the README installs it (TOOLWEAVE_BENCH_ANY_PYTHON=1: the current interpreter).
"""

from __future__ import annotations

import argparse
import dataclasses
import datetime
import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time

BENCH = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(BENCH)
sys.path.insert(0, BENCH)

import allocbench  # noqa: E402
import buildbench  # noqa: E402
import loadbench  # noqa: E402
import orchestrion  # noqa: E402
import ecobench  # noqa: E402
import taxbench  # noqa: E402
import typebench  # noqa: E402
import glsbench  # noqa: E402
import unreachable  # noqa: E402
from buildbench import App, Variant  # noqa: E402

OSS_MODULE, OSS_VERSION = "miniflux.app/v2", "v2.3.5"
MULTI = os.path.join(BENCH, "apps", "multi")

# Per mode: runs per build scenario and app, runtime and allocation settings.
MODES = {
    # multi's cold rounds are the bulk of a full run: each compiles SQLite (modernc) and, three
    # times, the OpenTelemetry SDK from scratch and once Orchestrion's dd-trace-go (~2.5 min on
    # 2 cores without the peers, ~5 with); with 5 of them a full run takes 17-19 minutes without
    # the peers. `--cold-runs N` changes every cold scenario.
    "full": {"runs": {"multi": {"cold": 5, "noop": 5, "incremental": 5},
                      "largeidle": {"cold": 5, "noop": 5, "incremental": 5},
                      "miniflux": {"cold": 0, "noop": 5, "incremental": 5}},
             # cold largeidle builds per driver with TOOLWEAVE_TIMINGS (bench/taxbench.py)
             "tax": {"launcher": 3, "python": 1},
             # multi under load (bench/loadbench.py): 12 rounds of 5 runs, ~10 minutes
             "load": {"rounds": 12, "duration": 6, "warmup": 2, "concurrency": 8},
             "allocs": {"count": 6, "benchtime": "2s"},
             # the ecosystem service gin -> gRPC -> Redis (bench/ecobench.py): ~7 minutes
             "eco": {"rounds": 12, "duration": 6, "warmup": 2, "concurrency": 8},
             # what type facts cost a package that asks (bench/typebench.py): ~3 minutes
             "types": {"rounds": 5},
             # goroutine-local context (bench/glsbench.py): ~2 minutes
             "gls": {"rounds": 7},
             # exporter unreachable (bench/unreachable.py, only with --only unreachable): ~12 minutes
             "unreachable": {"rounds": 5, "duration": 10, "warmup": 3, "concurrency": 8, "long": 60, "sample": 5}},
    "quick": {"runs": {"multi": {"cold": 0, "noop": 2, "incremental": 2},
                       "largeidle": {"cold": 1, "noop": 2, "incremental": 2},
                       "miniflux": {"cold": 0, "noop": 2, "incremental": 2}},
              "tax": {"launcher": 1, "python": 1},
              "load": {"rounds": 1, "duration": 4, "warmup": 1, "concurrency": 8},
              "allocs": {"count": 1, "benchtime": "1s"},
              "eco": {"rounds": 1, "duration": 2, "warmup": 1, "concurrency": 8},
              "types": {"rounds": 2},
              "gls": {"rounds": 1},
              "unreachable": {"rounds": 1, "duration": 3, "warmup": 1, "concurrency": 8, "long": 10, "sample": 2}},
}


def peers(src: str) -> tuple[Variant, ...]:
    """The drop-in driver and Orchestrion on the unmodified source (bench/buildbench.py)."""
    return (Variant("toolweave-toolexec", src, buildbench.TOOLEXEC),
            Variant("orchestrion", src, buildbench.ORCHESTRION))


def multi_app() -> App:
    plain, manual = os.path.join(MULTI, "plain"), os.path.join(MULTI, "manual")
    return App("multi", "HTTP server and client, database/sql on SQLite (modernc), slog and a //weave:span "
               "function (bench/apps/multi); manual = the same program instrumented by hand.",
               (Variant("plain", plain), Variant("manual", manual), Variant("toolweave", plain, buildbench.TOOLWEAVE),
                *peers(plain)),
               edited="app.go")


def largeidle_source(root: str) -> str:
    """The generated largeidle module under root (gen.py: the same bytes every time)."""
    src = os.path.join(root, "largeidle-src")
    subprocess.run([sys.executable, os.path.join(BENCH, "apps", "largeidle", "gen.py"), src], check=True,
                   stdout=subprocess.DEVNULL)
    return src


def largeidle_app(root: str) -> App:
    src = largeidle_source(root)
    return App("largeidle", "200 generated packages of 5 files (bench/apps/largeidle/gen.py) that no aspect "
               "matches: toolweave's cost when it has nothing to weave (Orchestrion's tracer integration still weaves "
               "the runtime package, and its pin raises the go line from 1.22 to 1.26.0).",
               (Variant("plain", src), Variant("toolweave", src, buildbench.TOOLWEAVE), *peers(src)),
               packages=("./...",), edited="internal/p100/f0.go", binary=False)


def miniflux_app(root: str) -> App:
    """The pinned open-source service: `go mod download` puts it in the module cache, a
    writable copy becomes the main module."""
    out = subprocess.run(["go", "mod", "download", "-json", f"{OSS_MODULE}@{OSS_VERSION}"], check=True,
                         capture_output=True, text=True, cwd=root).stdout
    src = os.path.join(root, "miniflux-src")
    shutil.copytree(json.loads(out)["Dir"], src, copy_function=shutil.copyfile)
    for base, _, _ in os.walk(src):
        os.chmod(base, 0o755)
    subprocess.run(["go", "mod", "download"], check=True, cwd=src)
    return App("miniflux", f"{OSS_MODULE}@{OSS_VERSION}, an open-source RSS reader service (net/http, "
               "database/sql on PostgreSQL via lib/pq, slog; 88 packages, 441 Go files) from the Go module proxy.",
               (Variant("plain", src), Variant("toolweave", src, buildbench.TOOLWEAVE)),
               edited="internal/http/server/middleware.go")


# --------------------------------------------------------------------------- targets


def _ratio(build: dict, app: str, scenario: str, top: str, bottom: str) -> tuple[float, str] | None:
    s = build.get(app, {}).get("scenarios", {}).get(scenario, {})
    if top not in s or bottom not in s:
        return None
    t, b = s[top]["wall"]["median"], s[bottom]["wall"]["median"]
    return t / b, f"{app}: {top} {t:.2f} s / {bottom} {b:.2f} s"


def _target(tid, title, got, limit, op, unit="x") -> dict:
    if got is None:
        return {"id": tid, "title": title, "measured": None, "limit": limit, "op": op, "unit": unit,
                "pass": None, "detail": "not measured in this run"}
    value, detail = got
    ok = value <= limit if op == "<=" else value >= limit
    return {"id": tid, "title": title, "measured": round(value, 3), "limit": limit, "op": op, "unit": unit,
            "pass": ok, "detail": detail}


def _added_ms(build: dict, app: str, scenario: str, top: str, base: str) -> tuple[float, str] | None:
    """The median wall time of `top` minus that of `base`, in ms."""
    s = build.get(app, {}).get("scenarios", {}).get(scenario, {})
    if top not in s or base not in s:
        return None
    t, b = s[top]["wall"]["median"], s[base]["wall"]["median"]
    return (t - b) * 1000, f"{app}: {top} {t:.3f} s − {base} {b:.3f} s"


def _tax(results: dict, app: str = "largeidle", driver: str = taxbench.LAUNCHER) -> tuple[float, str] | None:
    """The no-match tax per compile of a driver, in CPU time (median over rounds;
    bench/taxbench.py), with the wall-clock tax (waits for a CPU included) in the detail."""
    d = (results.get("tax", {}).get(app) or {}).get("drivers", {}).get(driver)
    if not d or not d.get("tax_cpu_per_compile_ms"):
        return None
    cpu, wall, compiles = d["tax_cpu_per_compile_ms"], d["tax_per_compile_ms"], d["compiles"]["median"]
    return cpu["median"], (f"{app}, {driver}: CPU of toolweave's share of all calls / {compiles:.0f} compiles "
                           f"[{cpu['min']:.2f}–{cpu['max']:.2f}]; from process start to tool start, CPU waits "
                           f"included, {wall['median']:.2f} ms [{wall['min']:.2f}–{wall['max']:.2f}]; "
                           f"{len(cpu['runs'])} cold round(s), tools run as children (TOOLWEAVE_TIMINGS)")


def _runtime_ratio(section: dict | None, metric: str, key: str = "median") -> tuple[float, str] | None:
    if not section:
        return None
    r = section["results"]
    t, m = r["toolweave"][metric][key], r["manual"][metric][key]
    return t / m, f"multi: toolweave {t:.1f} / manual {m:.1f} {metric}"


def _runtime_paired(section: dict | None, metric: str) -> tuple[float, str] | None:
    """multi under load: the per-round ratios toolweave / manual of the side-by-side runs (like
    for like: both record statements as written; see bench/loadbench.py); an older results
    file without them gives the ratio of the medians."""
    if section and "side_by_side" not in section:
        return _runtime_ratio(section, metric) if metric in section["results"]["toolweave"] else None
    return _paired(section and section["side_by_side"], metric, "multi side by side",
                   lambda s: s["paired"]["toolweave/manual"])


def targets(results: dict) -> list[dict]:
    runtime = results.get("runtime", {}).get("multi")
    build, sizes = results.get("build", {}), results.get("build", {}).get("multi", {}).get("binary_bytes", {})
    size = (sizes["toolweave"] / sizes["manual"], f"multi: toolweave {sizes['toolweave']:,} B / manual "
            f"{sizes['manual']:,} B") if "manual" in sizes else None
    out = [
        _target("cold-vs-manual", "Cold build vs hand-instrumented", _ratio(build, "multi", "cold", "toolweave", "manual"), 1.10, "<="),
    ]
    # The drop-in driver's targets (issue 11); a row without data is left out.
    dropin = [
        _target("toolexec-cold-vs-manual", "-toolexec cold vs hand-instrumented (multi)",
                _ratio(build, "multi", "cold", "toolweave-toolexec", "manual"), 1.15, "<="),
        _target("toolexec-cold-vs-plain-largeidle", "-toolexec cold vs plain (largeidle)",
                _ratio(build, "largeidle", "cold", "toolweave-toolexec", "plain"), 1.10, "<="),
        _target("tax-per-compile", "No-match tax per compile, CPU (launcher, largeidle)", _tax(results), 3.0, "<=", "ms"),
    ]
    out += [t for t in dropin if t["measured"] is not None]
    for app in build:
        out.append(_target(f"noop-{app}", f"No-op rebuild vs plain ({app})", _ratio(build, app, "noop", "toolweave", "plain"), 2.0, "<="))
    for tid, variant, who in (("noop-added-toolweave", "toolweave", "front end"),
                              ("noop-added-toolexec", "toolweave-toolexec", "drop-in driver")):
        t = _target(tid, f"No-op rebuild, added to the hand-instrumented program's no-op (multi), {who}",
                    _added_ms(build, "multi", "noop", variant, "manual"), 50.0, "<=", "ms")
        if t["measured"] is not None:
            out.append(t)
    for app in build:
        out.append(_target(f"incremental-{app}", f"One-file incremental vs plain ({app})",
                           _ratio(build, app, "incremental", "toolweave", "plain"), 1.2, "<="))
    out += [
        _target("cpu", "Server CPU per request vs hand-instrumented", _runtime_paired(runtime, "cpu_us_per_req"), 1.02, "<="),
        _target("rps", "Throughput vs hand-instrumented", _runtime_paired(runtime, "rps"), 0.98, ">="),
        _target("p99", "p99 latency vs hand-instrumented", _runtime_paired(runtime, "p99_ms"), 1.05, "<="),
        _target("allocs", "Allocations per request vs hand-instrumented",
                _runtime_ratio(results.get("allocs", {}).get("multi"), "allocs_per_op"), 1.0, "<="),
        _target("binary", "Binary size vs hand-instrumented", size, 1.02, "<="),
    ]
    eco = (results.get("eco") or {}).get("distributed")
    for tid, title, metric, limit, op in (
            ("eco-rps", "Ecosystem service: throughput vs hand-instrumented", "rps", 0.98, ">="),
            ("eco-p99", "Ecosystem service: p99 latency vs hand-instrumented", "p99_ms", 1.05, "<="),
            ("eco-allocs", "Ecosystem service: allocations per request vs hand-instrumented", "allocs_per_req", 1.0, "<=")):
        out.append(_target(tid, title, _paired(eco, metric), limit, op))
    return out


def _paired(section: dict | None, metric: str, what: str = "gin → gRPC → Redis",
            ratios=lambda s: s["paired_toolweave_over_manual"]) -> tuple[float, str] | None:
    """The median over rounds of the per-round ratio toolweave / manual, with its min-max and
    the variants' medians (bench/ecobench.py's section, or loadbench's through `ratios`)."""
    if not section:
        return None
    p, r = ratios(section)[metric], section["results"]
    return p["median"], (f"{what}: median of {len(p['runs'])} per-round ratios [{p['min']:.3f}–{p['max']:.3f}]; "
                         f"medians toolweave {r['toolweave'][metric]['median']:.1f} / manual "
                         f"{r['manual'][metric]['median']:.1f} {metric}")


def print_targets(ts: list[dict]) -> None:
    print("\nTargets")
    for t in ts:
        verdict = {True: "PASS", False: "FAIL", None: "n/a "}[t["pass"]]
        got = "—" if t["measured"] is None else f"{t['measured']:.3f}{t['unit']}"
        print(f"  {verdict}  {t['title']:48s} {t['op']} {t['limit']}{t['unit']}  measured {got:>8s}  ({t['detail']})")
    met = sum(1 for t in ts if t["pass"])
    print(f"  {met} of {sum(1 for t in ts if t['pass'] is not None)} targets met")


# --------------------------------------------------------------------------- main


def info(mode: str, argv: list[str]) -> dict:
    go = subprocess.run(["go", "version"], capture_output=True, text=True).stdout.strip()
    return {"started": _now(), "mode": mode, "go": go, "python": platform.python_version(), "python_venv": _in_clone_venv(), "cpus": os.cpu_count(),
            "platform": platform.platform(), "toolweave_source": _fingerprint(), "loadavg_before": os.getloadavg(),
            "command": " ".join(["python3 bench/run.py", *argv]).strip(),
            "oss": {"module": OSS_MODULE, "version": OSS_VERSION, "package": "."}, "orchestrion": orchestrion.info()}


def _now() -> str:
    return datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds")


def _fingerprint() -> str:
    """Hash of toolweave's source: if it changes mid-run, cache keys change and figures lie."""
    import hashlib

    import toolweave
    h = hashlib.sha256()
    # Not sorted(os.walk(…)): that would run the whole walk before `dirs` is pruned, and
    # the .pyc files a run writes (PYTHONDONTWRITEBYTECODE is unset for toolweave's runs)
    # would count as a change of source.
    for base, dirs, files in os.walk(os.path.dirname(toolweave.__file__)):
        dirs[:] = sorted(d for d in dirs if d != "__pycache__")
        for name in sorted(files):
            with open(os.path.join(base, name), "rb") as f:
                h.update(name.encode() + b"\0" + f.read())
    return h.hexdigest()[:16]


def _in_clone_venv() -> bool:
    return os.path.realpath(sys.prefix) == os.path.realpath(os.path.join(REPO, ".venv"))


def _reexec_in_venv() -> None:
    """Run again inside the clone's virtual environment (scripts/venv.sh, with the bench
    extra): toolweave is measured as its users install it (the README's commands use that
    environment). A system interpreter may run .pth files at every start; this machine's
    base interpreter imports certifi from one, ~100 ms per Python start, which would be
    charged to toolweave's no-op rebuilds and to every call of the Python driver."""
    script = 'cd "$1" && shift && source scripts/venv.sh && tw_venv bench && exec python bench/run.py "$@"'
    os.execvp("bash", ["bash", "-c", script, "bench", REPO, *sys.argv[1:]])


def main(argv=None) -> int:
    if argv is None and not _in_clone_venv() and not os.environ.get("TOOLWEAVE_BENCH_ANY_PYTHON"):
        _reexec_in_venv()
    argv = sys.argv[1:] if argv is None else argv
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="a smoke test (~12 minutes with the peers), no docs")
    parser.add_argument("--oss-cold", action="store_true", help="also cold builds of the open-source service")
    parser.add_argument("--cold-runs", type=int, help="runs of every cold scenario (default: per mode)")
    parser.add_argument("--only", default="build,tax,runtime,allocs,eco,types,gls",
                        help="comma list of build,tax,runtime,allocs,eco,types,gls,unreachable "
                             "(unreachable only when named)")
    parser.add_argument("--apps", default="multi,largeidle,miniflux", help="comma list of build apps")
    parser.add_argument("--variants", help="comma list of build variants to keep (default: all of each app)")
    parser.add_argument("--no-docs", action="store_true", help="do not regenerate docs/benchmarks.md")
    parser.add_argument("--update", metavar="RESULTS",
                        help="a full run's results file: replace the sections this run measures (--only) in it, "
                             "with a note saying so, instead of writing a new file")
    args = parser.parse_args(argv)
    mode = "quick" if args.quick else "full"
    settings, only = MODES[mode], set(args.only.split(","))
    results = {"info": info(mode, argv), "build": {}}
    start = time.perf_counter()
    print(f"{results['info']['go']}, {os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.2f}, mode {mode}")
    with tempfile.TemporaryDirectory(prefix="toolweave-bench-") as root:
        if "build" in only:
            twcache = os.path.join(root, "twcache")
            makers = {"multi": lambda: multi_app(), "largeidle": lambda: largeidle_app(root),
                      "miniflux": lambda: miniflux_app(root)}
            for name in args.apps.split(","):
                runs = dict(settings["runs"][name])
                if name == "miniflux" and args.oss_cold:
                    runs["cold"] = 1 if args.quick else 5
                if args.cold_runs is not None and (runs["cold"] or name != "miniflux" or args.oss_cold):
                    runs["cold"] = args.cold_runs
                print(f"\n== build: {name} ==", flush=True)
                app = makers[name]()
                if args.variants:
                    keep = set(args.variants.split(","))
                    app = dataclasses.replace(app, variants=tuple(v for v in app.variants if v.name in keep))
                    if not app.variants:
                        continue
                results["build"][name] = buildbench.measure(app, root, twcache, runs)
        if "tax" in only:
            print("\n== no-match tax of the drop-in driver: largeidle ==", flush=True)
            results["tax"] = {"largeidle": taxbench.measure("largeidle", largeidle_source(root), root,
                                                            settings["tax"])}
        if "runtime" in only:
            print("\n== runtime: multi under load ==", flush=True)
            results["runtime"] = {"multi": loadbench.measure(workdir=_subdir(root, "load"), **settings["load"])}
        if "allocs" in only:
            print("\n== allocations per request: multi ==", flush=True)
            results["allocs"] = {"multi": allocbench.measure(workdir=_subdir(root, "allocs"), **settings["allocs"])}
        if "eco" in only:
            print("\n== the ecosystem service under load: gin -> gRPC -> Redis ==", flush=True)
            results["eco"] = {"distributed": ecobench.measure(workdir=_subdir(root, "eco"), **settings["eco"])}
        if "types" in only:
            print("\n== type facts: what a package that asks costs ==", flush=True)
            results["types"] = typebench.measure(_subdir(root, "types"), **settings["types"])
        if "gls" in only:
            print("\n== goroutine-local context: goroutine and span costs, a million goroutines ==", flush=True)
            results["gls"] = glsbench.measure(_subdir(root, "gls"), **settings["gls"])
        if "unreachable" in only:
            print("\n== exporter unreachable: multi under load, export disabled, refused, black-holed ==", flush=True)
            results["unreachable"] = {"multi": unreachable.measure(workdir=_subdir(root, "unreachable"),
                                                                   **settings["unreachable"])}
    results["info"].update(finished=_now(), duration_s=round(time.perf_counter() - start, 1),
                           loadavg_after=os.getloadavg())
    if _fingerprint() != results["info"]["toolweave_source"]:
        results.setdefault("notes", []).append("toolweave's source changed during this run: figures not comparable")
    if args.update:
        results = _updated(args.update, results, only)
    results["targets"] = targets(results)
    print_targets(results["targets"])
    path = _write(results, mode, args.update)
    print(f"\nwritten {os.path.relpath(path, REPO)} in {results['info']['duration_s']:.0f} s")
    if mode == "full" and not args.no_docs:
        import report   # matplotlib: only needed for the docs
        for p in report.write_report(results, os.path.join(REPO, "docs"), path):
            print(f"written {os.path.relpath(p, REPO)}")
    return 0


def _subdir(root: str, name: str) -> str:
    path = os.path.join(root, name)
    os.makedirs(path, exist_ok=True)
    return path


def _updated(path: str, fresh: dict, only: set) -> dict:
    """The results in `path` with the sections of `fresh` named in `only` replacing theirs,
    and a note of what was re-measured, when, and from which source."""
    with open(path) as f:
        results = json.load(f)
    if results["info"].get("mode") != fresh["info"]["mode"]:
        sys.exit(f"{path} is a {results['info'].get('mode')} run; this one is {fresh['info']['mode']}")
    sections = sorted(k for k in only if k in fresh and k != "build")
    if "build" in only:
        results.setdefault("build", {}).update(fresh["build"])   # per app
        sections.insert(0, "build (" + ", ".join(sorted(fresh["build"])) + ")")
    for key in only - {"build"}:
        if key in fresh:
            results[key] = fresh[key]
    info = fresh["info"]
    results.setdefault("notes", []).append(
        f"Re-measured {info.get('finished', '?')} UTC with `{info['command']}` (toolweave source "
        f"{info['toolweave_source']}, load average {', '.join(f'{x:.2f}' for x in info['loadavg_before'])} before): "
        f"{', '.join(sections)}; every other figure is from the run this page describes.")
    results["notes"] += fresh.get("notes", [])
    return results


def _write(results: dict, mode: str, path: str | None = None) -> str:
    out = os.path.join(BENCH, "results")
    os.makedirs(out, exist_ok=True)
    day = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d")
    path = path or os.path.join(out, f"{day}{'-quick' if mode == 'quick' else ''}.json")
    with open(path, "w") as f:
        json.dump(results, f, indent=1)
        f.write("\n")
    return path


if __name__ == "__main__":
    sys.exit(main())
