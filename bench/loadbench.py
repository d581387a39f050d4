#!/usr/bin/env python3
"""Load benchmark of the `multi` app (bench/apps/multi): per request, the server's CPU time and
allocations, and requests/s and latency, per variant.

    python3 bench/loadbench.py [--rounds 12] [--duration 6] [--warmup 2] [--concurrency 8] [--json OUT]

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
request: figures of the server alone, which the load generator and the receiver sharing
the cores disturb far less than they disturb throughput.

Each round runs every variant once, in an order rotated each round, so drift on a busy
machine hits all alike; the comparison is the median over rounds of the per-round ratio
toolweave / manual (and toolweave-default / toolweave), with its min-max.

Library use (bench/ is not a package):

    sys.path.insert(0, "<repo>/bench")
    import loadbench
    doc = loadbench.measure(rounds=12, duration=6, warmup=2, concurrency=8, workdir="/tmp/x")

On a 2-core machine the load generator, the service and the receiver share the cores:
compare ratios, not absolute numbers.
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

    def __init__(self, binary: Path, env: dict, errfile: Path):
        self.port = free_port()
        self.errfile = errfile
        with open(errfile, "wb") as err:
            self.proc = subprocess.Popen([str(binary), "-addr", f"127.0.0.1:{self.port}", "-log-level", "warn"],
                                         env=env, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=err,
                                         text=True)
        wait_port(self.port, self.proc, errfile)

    def snapshot(self) -> tuple[float, int]:
        """(CPU seconds so far, heap allocations so far) of the server."""
        return snapshot(self.proc)


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


def one_run(name: str, bins: dict, receiver, workdir: Path, tag: str,
            duration: float, warmup: float, concurrency: int, log) -> dict:
    """Serve the run `name` (RUNS), warm it up, load it between two snapshots, stop it:
    loadgen's JSON of the measured window plus "cpu_us_per_req", "allocs_per_req", "exit",
    "telemetry" and "stderr"."""
    build, extra = RUNS[name]
    env = clean_env(**receiver.env(), **extra, OTEL_SERVICE_NAME=f"multi-{name}")
    before_telemetry = receiver.snapshot()
    server = Server(bins[build], env, workdir / f"{tag}.stderr")
    try:
        url = f"http://127.0.0.1:{server.port}/work/{{n}}"
        if warmup > 0:
            loadgen(bins, url, warmup, concurrency, workdir)
        before = server.snapshot()
        result = loadgen(bins, url, duration, concurrency, workdir)
        after = server.snapshot()
        result["exit"] = stop(server.proc, log)
    finally:
        if server.proc.poll() is None:  # loadgen failed: do not leave the service behind
            server.proc.kill()
            server.proc.wait()
    n = max(result["requests"], 1)
    result["cpu_us_per_req"] = (after[0] - before[0]) * 1e6 / n
    result["allocs_per_req"] = (after[1] - before[1]) / n
    # No wait needed: the receiver counts a request before answering it, and the exporter
    # waits for that answer before the service exits.
    result["telemetry"] = requests_since(receiver, before_telemetry)
    result["stderr"] = server.errfile
    return result


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


def paired(runs: dict[str, list[dict]]) -> dict:
    """Per PAIRS entry "top/bottom": per metric the Summary of the per-round ratios."""
    return {f"{top}/{bottom}": {m: summary(t[m] / b[m] for t, b in zip(runs[top], runs[bottom]) if b[m])
                                for m in METRICS}
            for top, bottom in PAIRS}


def measure(rounds: int, duration: float, warmup: float, concurrency: int, workdir: str, log=print) -> dict:
    """Build everything into workdir and run `rounds` rounds of every variant, the order
    rotated each round. Failed requests and unclean exits are logged as warnings and kept in
    the result ("errors", "exits": one exit status per run)."""
    workdir = Path(workdir)
    bins = build(workdir, log)
    names = tuple(RUNS)
    runs: dict[str, list[dict]] = {v: [] for v in names}
    with DiscardReceiver() as receiver:
        for i in range(rounds):
            for name in names[i % len(names):] + names[:i % len(names)]:
                r = one_run(name, bins, receiver, workdir, f"{name}-{i + 1}", duration, warmup, concurrency, log)
                runs[name].append(r)
                log(f"round {i + 1:2} {name:17} {r['rps']:8.1f} req/s  p50 {r['p50_ms']:6.2f}  p99 {r['p99_ms']:6.2f} ms"
                    f"  cpu {r['cpu_us_per_req']:6.1f} µs/req  allocs {r['allocs_per_req']:6.1f}/req"
                    f"  errors {r['errors']}  exit {r['exit']}")
                check(name, r, log)
    return {"variants": list(names), "rounds": rounds, "duration_s": duration, "warmup_s": warmup,
            "concurrency": concurrency, "results": {v: aggregate(runs[v]) for v in names},
            "paired": paired(runs)}


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
    for pair, ratios in doc.get("paired", {}).items():
        print(f"{pair + ', paired':36}" + "".join(
            f"{ratios[k]['median']:.3f} [{ratios[k]['min']:.2f}-{ratios[k]['max']:.2f}]".rjust(18)
            if k in ratios else " " * 18 for k in metrics))


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--rounds", type=int, default=12, help="rounds, each runs every variant once")
    ap.add_argument("--duration", type=float, default=6, help="measured seconds per run")
    ap.add_argument("--warmup", type=float, default=2, help="unmeasured warm-up seconds per run")
    ap.add_argument("--concurrency", "-c", type=int, default=8, help="load generator workers")
    ap.add_argument("--json", metavar="OUT", help="also write the result here")
    args = ap.parse_args(argv)
    if args.rounds < 1 or args.duration <= 0 or args.warmup < 0 or args.concurrency < 1:
        ap.error("need --rounds ≥ 1, --duration > 0, --warmup ≥ 0, --concurrency ≥ 1")
    with tempfile.TemporaryDirectory(prefix="toolweave-loadbench-") as tmp:
        doc = measure(args.rounds, args.duration, args.warmup, args.concurrency, tmp,
                      log=lambda msg: print(msg, file=sys.stderr, flush=True))
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
