#!/usr/bin/env python3
"""Load benchmark of the `multi` app (bench/apps/multi): per request, the server's CPU time and
allocations, and requests/s and latency, per variant.

    python3 bench/loadbench.py [--rounds 12] [--duration 6] [--warmup 2] [--concurrency 8] [--no-pin] [--json OUT]

Variants (see bench/apps/README.md):

  plain              multi/plain built with `go build`: no telemetry, the baseline
  manual             multi/manual built with `go build`: instrumented by hand
  toolweave          multi/plain built with `toolweave go build`, run with
                     TOOLWEAVE_DB_QUERY_TEXT=raw: like for like with manual, whose otelsql
                     records statements as written
  toolweave-default  the same binary with toolweave's default (statements sanitized): the
                     cost of that default, reported against toolweave

The instrumented variants export everything over OTLP/HTTP to one DiscardReceiver on
loopback (bench/stdlib_b.py); all of them get its environment. One run: start the binary
with `-log-level warn` (no per-request log line), wait for its port, drive `GET /work/{n}`
with bench/loadgen for the warm-up (not counted; n grows, the app reads row n%100+1), take a
snapshot of the server, drive it again for the measured window, take another snapshot,
SIGTERM it (a clean exit flushes telemetry) and check it exited 0. A snapshot is the
server's CPU time so far (utime + stime from /proc/PID/stat, clock ticks) and its heap
allocations so far (the app prints runtime.MemStats.Mallocs on SIGUSR1); their differences
over the window divided by the requests served are the CPU time and the allocations per
request.

A round runs every variant alone, and then manual and toolweave side by side (both served
at once, each driven by its own load generator), in an order rotated each round. Per-round
ratios: toolweave / manual and toolweave-default / toolweave from the runs alone ("paired"),
toolweave / manual from the side-by-side run ("side_by_side"). The side-by-side ratios are
the ones to judge by on a shared machine: this one's speed drifts by tens of percent within
a minute (another guest's load), which one run alone after another cannot separate from the
variants' difference, while two servers sharing the same CPU at the same moment feel it
alike (the scheduler gives them equal CPU shares, so their throughputs are in the inverse
ratio of their CPU per request).

On two CPUs or more the servers run on one half of them and the load generators and the
receiver on the other (--no-pin: anywhere): the server's CPU time is then its own work, not
the Go scheduler spinning for work while a load generator holds the core.

Library use (bench/ is not a package):

    sys.path.insert(0, "<repo>/bench")
    import loadbench
    doc = loadbench.measure(rounds=12, duration=6, warmup=2, concurrency=8, workdir="/tmp/x")
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH))

from buildbench import summary  # noqa: E402
from stdlib_b import DiscardReceiver, delta, free_port, run, wait_port  # noqa: E402

MULTI = BENCH / "apps" / "multi"
VARIANTS = ("plain", "manual", "toolweave")          # the three builds (allocbench's variants too)
SOURCES = {"plain": MULTI / "plain", "manual": MULTI / "manual", "toolweave": MULTI / "plain"}
# The runs: a build and what its environment adds (see the module documentation).
RUNS = {"plain": ("plain", {}), "manual": ("manual", {}),
        "toolweave": ("toolweave", {"TOOLWEAVE_DB_QUERY_TEXT": "raw"}),
        "toolweave-default": ("toolweave", {})}
METRICS = ("rps", "p50_ms", "p99_ms", "cpu_us_per_req", "allocs_per_req")
# Per-round ratios reported: (top, bottom).
PAIRS = (("toolweave", "manual"), ("toolweave-default", "toolweave"))
# Served at the same time in each round, each with its own load generator: whatever else
# the machine does in that window slows both alike.
SIDE_BY_SIDE = ("manual", "toolweave")
TICK = os.sysconf("SC_CLK_TCK")
# Strict: a file toolweave cannot weave fails the build instead of silently staying plain.
# -buildvcs=false: the binaries are throwaway, and stamping would run git on the repository.
BUILD_ENV = {"TOOLWEAVE_STRICT": "1", "GOFLAGS": "-buildvcs=false"}


def clean_env(**extra: str) -> dict:
    """os.environ without OTEL_*/TOOLWEAVE_* (each variant sees only what we set) and without
    PYTHONDONTWRITEBYTECODE (so Python caches toolweave's bytecode across invocations), plus extra."""
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("OTEL_", "TOOLWEAVE_")) and k != "PYTHONDONTWRITEBYTECODE"}
    env.update(extra)
    return env


def go_command(variant: str, *args: str) -> list[str]:
    """`go ARGS`, through toolweave for the toolweave variant."""
    prefix = [sys.executable, "-m", "toolweave.cli"] if variant == "toolweave" else []
    return [*prefix, "go", *args]


def requests_since(receiver, before: dict) -> dict[str, int]:
    """OTLP requests per receiver path since the snapshot before (paths with none left out)."""
    return {path: c["requests"] for path, c in delta(receiver.snapshot(), before).items() if c["requests"]}


def build(workdir: Path, log, sources: dict[str, Path] = SOURCES) -> dict[str, Path]:
    """Build the variants (name -> source directory; toolweave's through toolweave) and
    loadgen into workdir; their paths by name."""
    env = clean_env(**BUILD_ENV)
    bins = {}
    for name, src in [*sources.items(), ("loadgen", BENCH / "loadgen")]:
        bins[name] = workdir / name
        t = time.monotonic()
        run(go_command(name, "build", "-o", str(bins[name]), "."), src, env)
        log(f"built {name} in {time.monotonic() - t:.1f}s")
    return bins


def stop(proc: subprocess.Popen, log) -> int:
    """SIGTERM proc and return its exit status (killed, so negative, if it outlives 30 s)."""
    proc.send_signal(signal.SIGTERM)
    try:
        return proc.wait(30)
    except subprocess.TimeoutExpired:
        log("warning: the service ignored SIGTERM for 30s; killed")
        proc.kill()
        return proc.wait()


class Server:
    """A started variant: its process, with stdout piped for the allocation counter."""

    def __init__(self, binary: Path, env: dict, errfile: Path, cpus: set[int] | None = None):
        self.port = free_port()
        self.errfile = errfile
        pin = (lambda: os.sched_setaffinity(0, cpus)) if cpus else None
        with open(errfile, "wb") as err:
            self.proc = subprocess.Popen([str(binary), "-addr", f"127.0.0.1:{self.port}", "-log-level", "warn"],
                                         env=env, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=err,
                                         text=True, preexec_fn=pin)
        wait_port(self.port, self.proc, errfile)

    def snapshot(self) -> tuple[float, int]:
        """(CPU seconds so far, heap allocations so far) of the server."""
        return snapshot(self.proc)

    def profiled(self) -> None:
        """Stop the CPU profile started with SIGUSR2 and wait until it is written."""
        self.proc.send_signal(signal.SIGUSR2)
        line = self.proc.stdout.readline()
        if line.strip() != "profiled":
            sys.exit(f"unexpected output {line!r} after the second SIGUSR2")


def snapshot(proc: subprocess.Popen) -> tuple[float, int]:
    """(CPU seconds so far: utime + stime, heap allocations so far) of a process that prints
    "mallocs N" on its stdout (a pipe) on SIGUSR1."""
    with open(f"/proc/{proc.pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()     # the command name may hold spaces
    cpu = (int(fields[11]) + int(fields[12])) / TICK
    proc.send_signal(signal.SIGUSR1)
    line = proc.stdout.readline()
    if not line.startswith("mallocs "):
        sys.exit(f"unexpected output {line!r} after SIGUSR1")
    return cpu, int(line.split()[1])


def loadgen(bins: dict, url: str, seconds: float, concurrency: int, workdir: Path) -> dict:
    """bench/loadgen's JSON for `seconds` of load (all of it measured)."""
    return json.loads(run([str(bins["loadgen"]), "-url", url, "-c", str(concurrency), "-d", f"{seconds}s",
                           "-warmup", "0s"], workdir, timeout=seconds + 60))


def serve_and_load(names: tuple[str, ...], bins: dict, receiver, workdir: Path, tag: str,
                   duration: float, warmup: float, concurrency: int, log, cpus: set[int] | None = None,
                   profiles: dict[str, Path] | None = None) -> dict[str, dict]:
    """load_servers for the runs `names` (RUNS), all exporting to receiver; each result also
    gets "telemetry" (OTLP requests of all of them: they share the receiver). With profiles
    (name -> file; binaries built with -tags benchprofile, see
    bench/apps/multi/*/cpuprofile.go) each server writes a CPU profile of the measured
    window there."""
    specs = {}
    for name in names:
        build, extra = RUNS[name]
        if profiles:
            extra = {**extra, "MULTI_CPUPROFILE": str(profiles[name])}
        specs[name] = (bins[build], clean_env(**receiver.env(), **extra, OTEL_SERVICE_NAME=f"multi-{name}"))
    before_telemetry = receiver.snapshot()
    results = load_servers(specs, bins["loadgen"], workdir, tag, duration, warmup, concurrency, log, cpus,
                           profile=bool(profiles))
    # No wait needed: the receiver counts a request before answering it, and the exporter
    # waits for that answer before the service exits.
    telemetry = requests_since(receiver, before_telemetry)
    for r in results.values():
        r["telemetry"] = telemetry
    return results


def load_servers(specs: dict[str, tuple[Path, dict]], loadgen_bin: Path, workdir: Path, tag: str,
                 duration: float, warmup: float, concurrency: int, log, cpus: set[int] | None = None,
                 profile: bool = False) -> dict[str, dict]:
    """Serve every spec (name -> (multi binary, environment)) at the same time, warm them up,
    load each with its own loadgen (in parallel) between two snapshots, stop them. Per name:
    loadgen's JSON of the measured window plus "cpu_us_per_req", "allocs_per_req", "exit"
    and "stderr" (the server's stderr file). With profile, SIGUSR2 before and after the
    measured window (cpuprofile.go)."""
    servers: dict[str, Server] = {}
    names = tuple(specs)
    try:
        for name, (binary, env) in specs.items():
            servers[name] = Server(binary, env, workdir / f"{tag}-{name}.stderr", cpus)
        urls = {name: f"http://127.0.0.1:{s.port}/work/{{n}}" for name, s in servers.items()}
        with ThreadPoolExecutor(len(names)) as pool:
            def load(seconds: float) -> dict[str, dict]:
                return dict(zip(names, pool.map(lambda n: loadgen({"loadgen": loadgen_bin}, urls[n], seconds,
                                                                  concurrency, workdir), names)))

            if warmup > 0:
                load(warmup)
            before = {name: s.snapshot() for name, s in servers.items()}
            if profile:
                for server in servers.values():
                    server.proc.send_signal(signal.SIGUSR2)
            results = load(duration)
            if profile:
                for server in servers.values():
                    server.profiled()
            after = {name: s.snapshot() for name, s in servers.items()}
        for name, server in servers.items():
            results[name]["exit"] = stop(server.proc, log)
    finally:
        for server in servers.values():
            if server.proc.poll() is None:  # loadgen failed: do not leave the service behind
                server.proc.kill()
                server.proc.wait()
    for name, r in results.items():
        n = max(r["requests"], 1)
        r["cpu_us_per_req"] = (after[name][0] - before[name][0]) * 1e6 / n
        r["allocs_per_req"] = (after[name][1] - before[name][1]) / n
        r["stderr"] = servers[name].errfile
    return results


def check(name: str, r: dict, log) -> None:
    """Log a warning for each sign of a bad run: errors, no requests, an unclean exit, or an
    instrumented variant that exported no traces."""
    if r["errors"]:
        log(f"warning: {name}: {r['errors']} failed request(s), the first: {r.get('first_error')}")
    if not r["requests"]:
        log(f"warning: {name}: no successful request was measured")
    if r["exit"] != 0:
        tail = r["stderr"].read_text(errors="replace")[-2000:]
        log(f"warning: {name}: exit status {r['exit']}; stderr ends with:\n{tail}")
    if name != "plain" and not r["telemetry"].get("/v1/traces"):
        log(f"warning: {name}: no traces exported: it is not instrumented, its figures mean nothing")


def aggregate(runs: list[dict]) -> dict:
    """One variant's result over its runs."""
    telemetry: dict[str, int] = {}
    for r in runs:
        for path, n in r["telemetry"].items():
            telemetry[path] = telemetry.get(path, 0) + n
    return {**{m: summary(r[m] for r in runs) for m in METRICS}, "errors": sum(r["errors"] for r in runs),
            "exits": [r["exit"] for r in runs], "telemetry": telemetry}


def paired(runs: dict[str, list[dict]], pairs) -> dict:
    """Per (top, bottom) of pairs, "top/bottom": per metric the Summary of the per-round ratios."""
    return {f"{top}/{bottom}": {m: summary(t[m] / b[m] for t, b in zip(runs[top], runs[bottom]) if b[m])
                                for m in METRICS}
            for top, bottom in pairs}


def cpu_plan() -> tuple[set[int], set[int]] | None:
    """(the servers' CPUs, the load generator's and receiver's CPUs): the allowed CPUs split
    in two halves, or None with fewer than two."""
    cpus = sorted(os.sched_getaffinity(0))
    if len(cpus) < 2:
        return None
    half = len(cpus) // 2
    return set(cpus[half:]), set(cpus[:half])


def measure(rounds: int, duration: float, warmup: float, concurrency: int, workdir: str, log=print,
            pin: bool = True) -> dict:
    """Build everything into workdir and run `rounds` rounds: every variant alone, then
    manual and toolweave side by side (SIDE_BY_SIDE), the order rotated each round. Failed
    requests and unclean exits are logged as warnings and kept in the result ("errors",
    "exits": one exit status per run).

    With pin (and two CPUs or more, cpu_plan) the servers run on one half of the CPUs and
    this process, its receiver thread and the load generators on the other: the server's
    CPU time then measures its own work, not the Go scheduler spinning while the load
    generator holds the core it would run on (on 2 shared cores that made a run's CPU per
    request vary by ±30% from one run to the next)."""
    workdir = Path(workdir)
    bins = build(workdir, log)
    plan = cpu_plan() if pin else None
    allowed = os.sched_getaffinity(0)
    if plan:
        os.sched_setaffinity(0, plan[1])
        log(f"servers on CPU {sorted(plan[0])}, load generators and receiver on CPU {sorted(plan[1])}")
    try:
        doc = _rounds(rounds, duration, warmup, concurrency, workdir, bins, log, plan[0] if plan else None)
    finally:
        os.sched_setaffinity(0, allowed)
    doc["pinned"] = {"servers": sorted(plan[0]), "load": sorted(plan[1])} if plan else None
    return doc


def _rounds(rounds: int, duration: float, warmup: float, concurrency: int, workdir: Path, bins: dict, log,
            cpus: set[int] | None) -> dict:
    slots = [(name,) for name in RUNS] + [SIDE_BY_SIDE]
    runs: dict[str, list[dict]] = {name: [] for name in RUNS}
    side: dict[str, list[dict]] = {name: [] for name in SIDE_BY_SIDE}
    with DiscardReceiver() as receiver:
        for i in range(rounds):
            for slot in slots[i % len(slots):] + slots[:i % len(slots)]:
                results = serve_and_load(slot, bins, receiver, workdir, f"{'+'.join(slot)}-{i + 1}",
                                         duration, warmup, concurrency, log, cpus)
                for name, r in results.items():
                    (runs if len(slot) == 1 else side)[name].append(r)
                    label = name if len(slot) == 1 else f"{name} (side by side)"
                    log(f"round {i + 1:2} {label:28} {r['rps']:8.1f} req/s  p50 {r['p50_ms']:6.2f}  "
                        f"p99 {r['p99_ms']:6.2f} ms  cpu {r['cpu_us_per_req']:6.1f} µs/req  "
                        f"allocs {r['allocs_per_req']:6.1f}/req  errors {r['errors']}  exit {r['exit']}")
                    check(name, r, log)
    return {"variants": list(RUNS), "rounds": rounds, "duration_s": duration, "warmup_s": warmup,
            "concurrency": concurrency, "results": {v: aggregate(runs[v]) for v in RUNS},
            "paired": paired(runs, PAIRS),
            "side_by_side": {"variants": list(SIDE_BY_SIDE),
                             "results": {v: aggregate(side[v]) for v in SIDE_BY_SIDE},
                             "paired": paired(side, (SIDE_BY_SIDE[::-1],))}}


def print_table(doc: dict, metrics: dict[str, str]) -> None:
    """Per variant the median of each metric (result key -> column label), then the rows
    toolweave/manual and toolweave/plain: the ratios of those medians."""
    res = doc["results"]
    print(f"{'':36}" + "".join(f"{label:>18}" for label in metrics.values()))
    for v in doc["variants"]:
        print(f"{v:36}" + "".join(f"{res[v][k]['median']:18.2f}" for k in metrics))
    for base in ("manual", "plain"):
        cells = [res["toolweave"][k]["median"] / res[base][k]["median"] if res[base][k]["median"] else None
                 for k in metrics]
        print(f"{'toolweave/' + base:36}" + "".join("               n/a" if c is None else f"{c:18.3f}" for c in cells))
    pairs = [(f"{pair}, paired", r) for pair, r in doc.get("paired", {}).items()]
    pairs += [(f"{pair}, side by side", r) for pair, r in doc.get("side_by_side", {}).get("paired", {}).items()]
    for label, ratios in pairs:
        print(f"{label:36}" + "".join(
            f"{ratios[k]['median']:.3f} [{ratios[k]['min']:.2f}-{ratios[k]['max']:.2f}]".rjust(18)
            if k in ratios else " " * 18 for k in metrics))


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--rounds", type=int, default=12, help="rounds, each runs every variant once")
    ap.add_argument("--duration", type=float, default=6, help="measured seconds per run")
    ap.add_argument("--warmup", type=float, default=2, help="unmeasured warm-up seconds per run")
    ap.add_argument("--concurrency", "-c", type=int, default=8, help="load generator workers")
    ap.add_argument("--no-pin", dest="pin", action="store_false",
                    help="do not run the servers and the load generators on separate CPUs")
    ap.add_argument("--json", metavar="OUT", help="also write the result here")
    args = ap.parse_args(argv)
    if args.rounds < 1 or args.duration <= 0 or args.warmup < 0 or args.concurrency < 1:
        ap.error("need --rounds ≥ 1, --duration > 0, --warmup ≥ 0, --concurrency ≥ 1")
    with tempfile.TemporaryDirectory(prefix="toolweave-loadbench-") as tmp:
        doc = measure(args.rounds, args.duration, args.warmup, args.concurrency, tmp,
                      log=lambda msg: print(msg, file=sys.stderr, flush=True), pin=args.pin)
    print()
    print_table(doc, {"rps": "req/s", "p50_ms": "p50 ms", "p99_ms": "p99 ms", "cpu_us_per_req": "CPU µs/req",
                      "allocs_per_req": "allocs/req"})
    res = doc["results"]
    print("errors: " + ", ".join(f"{v} {res[v]['errors']}" for v in doc["variants"])
          + "; exit statuses: " + ", ".join(f"{v} {res[v]['exits']}" for v in doc["variants"]))
    if args.json:
        Path(args.json).write_text(json.dumps(doc, indent=2) + "\n")
    bad = any(res[v]["errors"] or any(res[v]["exits"]) for v in doc["variants"])
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
