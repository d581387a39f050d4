#!/usr/bin/env python3
"""Load benchmark of the ecosystem service: gin -> gRPC -> Redis, toolweave against the same
service instrumented by hand with the same libraries.

    python3 bench/ecobench.py [--rounds 12] [--duration 6] [--warmup 2] [--concurrency 8] [--json OUT]

The service is tests/ecosystem/apps/distributed, two processes: a gin frontend whose
GET /items/:id calls a gRPC backend that answers from Redis (go-redis; a pgx pool and zap
besides). Variants:

  plain      the app built with `go build`: no telemetry, the baseline
  manual     bench/apps/distributed/manual with `go build`: the same program instrumented by
             hand (SDK from OTEL_*, otelhttp + a gin route-naming middleware, otelgrpc on the
             client and the server, redisotel, otelpgx, otelzap)
  toolweave  the app built with `toolweave go build`

Like for like: both instrumented variants record Redis commands and SQL as written
(redisotel and otelpgx do by default; toolweave with TOOLWEAVE_DB_QUERY_TEXT=raw, since its
default records no Redis command and sanitizes SQL), and export everything over OTLP/HTTP to
one DiscardReceiver on loopback (bench/stdlib_b.py). PostgreSQL (tests/pgcluster.py) and
redis-server run on loopback for the whole benchmark.

One run: start the backend, then the frontend, GET /items/1 once (the item is cached in Redis
from then on), drive GET /items/1 with bench/loadgen for the warm-up (not counted), then for
the measured window between two snapshots of both processes: their CPU time (utime + stime,
/proc/PID/stat) and heap allocations (the app prints runtime.MemStats.Mallocs on SIGUSR1).
Per run: requests/s, p50, p99, CPU ms per request and allocations per request (both
processes). Rounds run every variant once, in an order rotated each round; the comparison is
the median over rounds of the per-round ratio toolweave / manual, with its min-max.

On a 2-core machine the load generator, both processes, Redis and the receiver share the
cores: compare ratios, not absolute numbers.

Library use (bench/ is not a package):

    sys.path.insert(0, "<repo>/bench")
    import ecobench
    doc = ecobench.measure(rounds=12, duration=6, warmup=2, concurrency=8, workdir="/tmp/x")
"""

from __future__ import annotations

import argparse
import json
import signal
import subprocess
import sys
import tempfile
from pathlib import Path

BENCH = Path(__file__).resolve().parent
REPO = BENCH.parent
sys.path.insert(0, str(BENCH))
sys.path.insert(0, str(REPO / "tests"))
sys.path.insert(0, str(REPO / "tests" / "ecosystem"))

from buildbench import summary  # noqa: E402
from loadbench import build as build_variants, clean_env, snapshot  # noqa: E402
from pgcluster import PgCluster  # noqa: E402
from redisserver import RedisServers  # noqa: E402
from stdlib_b import DiscardReceiver, run  # noqa: E402

VARIANTS = ("plain", "manual", "toolweave")
APP = REPO / "tests" / "ecosystem" / "apps" / "distributed"
SOURCES = {"plain": APP, "manual": BENCH / "apps" / "distributed" / "manual", "toolweave": APP}
METRICS = ("rps", "p50_ms", "p99_ms", "cpu_ms_per_req", "allocs_per_req")


class Process:
    """One role of a variant: started, its port read from "listening ADDR", snapshots on demand."""

    def __init__(self, binary: Path, role: str, env: dict, errfile: Path):
        self.err = open(errfile, "wb")
        self.proc = subprocess.Popen([str(binary), role], env=env, stdin=subprocess.DEVNULL,
                                     stdout=subprocess.PIPE, stderr=self.err, text=True)
        line = self.proc.stdout.readline()
        if not line.startswith("listening "):
            self.proc.kill()
            sys.exit(f"{binary} {role} did not start ({line!r}):\n{errfile.read_text(errors='replace')[-3000:]}")
        self.addr = line.split()[1]

    def snapshot(self) -> tuple[float, int]:
        """(CPU seconds so far, heap allocations so far)."""
        return snapshot(self.proc)

    def stop(self) -> int:
        self.proc.send_signal(signal.SIGTERM)
        try:
            code = self.proc.wait(30)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            code = self.proc.wait()
        self.err.close()
        return code


def loadgen(bins: dict, url: str, seconds: float, concurrency: int, workdir: Path) -> dict:
    return json.loads(run([str(bins["loadgen"]), "-url", url, "-c", str(concurrency), "-d", f"{seconds}s",
                           "-warmup", "0s"], workdir, timeout=seconds + 60))


def one_run(variant: str, bins: dict, services: dict, workdir: Path, tag: str,
            duration: float, warmup: float, concurrency: int) -> dict:
    """Serve the variant's two processes, load the frontend, stop both; the figures of the
    measured window."""
    env = clean_env(**services, OTEL_BSP_SCHEDULE_DELAY="1000")
    if variant == "toolweave":
        env["TOOLWEAVE_DB_QUERY_TEXT"] = "raw"
    backend = Process(bins[variant], "backend", {**env, "OTEL_SERVICE_NAME": "backend"}, workdir / f"{tag}-backend.err")
    frontend = None
    try:
        frontend = Process(bins[variant], "frontend", {**env, "OTEL_SERVICE_NAME": "frontend",
                                                       "BACKEND_ADDR": backend.addr}, workdir / f"{tag}-frontend.err")
        url = f"http://{frontend.addr}/items/1"
        loadgen(bins, url, warmup, concurrency, workdir)              # caches the item, warms both up
        before = [p.snapshot() for p in (backend, frontend)]
        result = loadgen(bins, url, duration, concurrency, workdir)
        after = [p.snapshot() for p in (backend, frontend)]
    finally:
        exits = [p.stop() for p in (frontend, backend) if p is not None]
    n = max(result["requests"], 1)
    result["cpu_ms_per_req"] = sum(a[0] - b[0] for a, b in zip(after, before)) * 1000 / n
    result["allocs_per_req"] = sum(a[1] - b[1] for a, b in zip(after, before)) / n
    result["exits"] = exits
    return result


def measure(rounds: int, duration: float, warmup: float, concurrency: int, workdir: str, log=print) -> dict:
    """Build everything, start PostgreSQL, Redis and the receiver, and run `rounds` rounds of
    every variant (order rotated each round)."""
    workdir = Path(workdir)
    bins = build_variants(workdir, log, SOURCES)
    runs: dict[str, list[dict]] = {v: [] for v in VARIANTS}
    redis = RedisServers().start_plain()
    try:
        with PgCluster() as pg, DiscardReceiver() as receiver:
            services = {**receiver.env(), "PG_DSN": pg.dsn, "REDIS_ADDR": f"127.0.0.1:{redis.plain}"}
            for i in range(rounds):
                order = VARIANTS[i % 3:] + VARIANTS[:i % 3]
                for variant in order:
                    before = receiver.snapshot()
                    r = one_run(variant, bins, services, workdir, f"{variant}-{i + 1}", duration, warmup, concurrency)
                    r["traces"] = receiver.snapshot().get("/v1/traces", {}).get("requests", 0) - \
                        before.get("/v1/traces", {}).get("requests", 0)
                    runs[variant].append(r)
                    log(f"round {i + 1:2} {variant:9} {r['rps']:8.1f} req/s  p50 {r['p50_ms']:6.2f}  p99 {r['p99_ms']:6.2f} ms"
                        f"  cpu {r['cpu_ms_per_req']:5.3f} ms/req  allocs {r['allocs_per_req']:6.1f}/req"
                        f"  errors {r['errors']}  exits {r['exits']}")
                    if r["errors"] or any(r["exits"]) or (variant != "plain" and not r["traces"]):
                        log(f"warning: {variant}: errors {r['errors']}, exits {r['exits']}, trace exports {r['traces']}")
    finally:
        redis.stop()
    results = {v: {m: summary(r[m] for r in runs[v]) for m in METRICS} for v in VARIANTS}
    for v in VARIANTS:
        results[v]["errors"] = sum(r["errors"] for r in runs[v])
        results[v]["exits"] = [r["exits"] for r in runs[v]]
    paired = {m: summary(t[m] / h[m] for t, h in zip(runs["toolweave"], runs["manual"]) if h[m])
              for m in METRICS}
    return {"variants": list(VARIANTS), "rounds": rounds, "duration_s": duration, "warmup_s": warmup,
            "concurrency": concurrency, "results": results, "paired_toolweave_over_manual": paired}


def print_table(doc: dict) -> None:
    labels = {"rps": "req/s", "p50_ms": "p50 ms", "p99_ms": "p99 ms", "cpu_ms_per_req": "CPU ms/req",
              "allocs_per_req": "allocs/req"}
    print(f"{'':22}" + "".join(f"{labels[m]:>13}" for m in METRICS))
    for v in doc["variants"]:
        print(f"{v:22}" + "".join(f"{doc['results'][v][m]['median']:13.3f}" for m in METRICS))
    paired = doc["paired_toolweave_over_manual"]
    print(f"{'toolweave/manual':22}" + "".join(f"{paired[m]['median']:13.3f}" for m in METRICS)
          + "   (median of per-round ratios)")
    print(f"{'  min-max':22}" + "".join(f"{paired[m]['min']:6.3f}-{paired[m]['max']:.3f}".rjust(13) for m in METRICS))


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--rounds", type=int, default=12, help="rounds, each runs every variant once")
    ap.add_argument("--duration", type=float, default=6, help="measured seconds per run")
    ap.add_argument("--warmup", type=float, default=2, help="unmeasured warm-up seconds per run")
    ap.add_argument("--concurrency", "-c", type=int, default=8, help="load generator workers")
    ap.add_argument("--json", metavar="OUT", help="also write the result here")
    args = ap.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="toolweave-ecobench-") as tmp:
        doc = measure(args.rounds, args.duration, args.warmup, args.concurrency, tmp,
                      log=lambda msg: print(msg, file=sys.stderr, flush=True))
    print()
    print_table(doc)
    if args.json:
        with open(args.json, "w") as f:
            json.dump(doc, f, indent=1)
            f.write("\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
