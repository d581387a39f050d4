#!/usr/bin/env python3
"""Benchmark: service B built with toolweave vs the same B instrumented by hand (not a test).

    python3 bench/stdlib_b.py [--rounds 3] [--duration 20] [--warmup 3] [--concurrency 8]
                              [--receiver discard|decode] [--json OUT.json]
    python3 bench/stdlib_b.py --smoke          # a few seconds: checks that the pipeline works

Variants, both exporting everything over OTLP/HTTP to one receiver on loopback:

  woven   tests/integrations/apps/svcb (no OpenTelemetry in its source) built with
          `toolweave go build`
  manual  tests/integrations/apps/svcb-manual: the same service instrumented by hand with
          the same contrib libraries (otelhttp, otelsql, otelslog, runtime, autoexport) and
          plain `go build`

Both run against one throwaway PostgreSQL (tests/pgcluster.py; the `greetings`
table is dropped before every run so each starts empty) and are driven by bench/loadgen
(a Go load generator: N keep-alive workers GET /greet/user{n}, a new name per request so the
indexed count stays cheap as the table grows, for D seconds after a warm-up; latencies of 200
answers only). The variants are interleaved: round i runs woven then
manual, or manual then woven on odd rounds, so drift on a busy machine hits both alike.
Each run: start the service with the SDK's default batching and export intervals (as in
production), wait for its port, load, SIGTERM (a clean exit flushes), record.

Printed: per run requests/s, p50, p99, errors and telemetry received; per variant the
median requests/s and p99 over the rounds; and the ratios woven/manual (requests/s: higher
is better, 1.0 = parity; p99: lower is better). `--receiver discard` (default) answers
exports without decoding them (cheap, so the receiver does not compete for the CPU);
`decode` uses toolweave.otlp.Receiver and also counts spans and log records per request.

On a 2-core machine the load generator, the service, PostgreSQL and the receiver share the
cores: compare ratios, not absolute numbers.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
APPS = ROOT / "tests" / "integrations" / "apps"
LOADGEN = ROOT / "bench" / "loadgen"
sys.path.insert(0, str(ROOT / "tests"))

from pgcluster import PgCluster, free_port  # noqa: E402

VARIANTS = ("woven", "manual")


# --------------------------------------------------------------------------- receivers


class DiscardReceiver:
    """OTLP/HTTP sink: reads each body, answers 200 with an empty (valid) protobuf response,
    counts requests and bytes per path. Nothing is decoded."""

    def __init__(self):
        counts = self.counts = {}
        lock = self.lock = threading.Lock()

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args):
                pass

            def do_POST(self):  # noqa: N802
                n = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(n) if n else b""
                with lock:
                    c = counts.setdefault(self.path, [0, 0])
                    c[0] += 1
                    c[1] += len(body)
                self.send_response(200)
                self.send_header("Content-Type", "application/x-protobuf")
                self.send_header("Content-Length", "0")
                self.end_headers()

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.thread = threading.Thread(target=self.server.serve_forever, kwargs={"poll_interval": 0.2},
                                       daemon=True)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.server.shutdown()
        self.server.server_close()

    def env(self) -> dict:
        return {"OTEL_EXPORTER_OTLP_ENDPOINT": f"http://127.0.0.1:{self.server.server_address[1]}",
                "OTEL_EXPORTER_OTLP_PROTOCOL": "http/protobuf"}

    def snapshot(self) -> dict:
        with self.lock:
            return {p: {"requests": c[0], "bytes": c[1]} for p, c in sorted(self.counts.items())}


class DecodeReceiver:
    """toolweave.otlp.Receiver, reporting decoded spans, metrics and log records."""

    def __init__(self):
        from toolweave.otlp.receiver import Receiver
        self.r = Receiver()

    def __enter__(self):
        self.r.start()
        return self

    def __exit__(self, *exc):
        self.r.stop()

    def env(self) -> dict:
        return self.r.env()

    def snapshot(self) -> dict:
        return {"spans": len(self.r.spans()), "metrics": len(self.r.metrics()), "logs": len(self.r.logs()),
                "requests": self.r.request_counts()}


def delta(after: dict, before: dict) -> dict:
    out = {}
    for k, v in after.items():
        b = before.get(k)
        if isinstance(v, dict):
            out[k] = delta(v, b or {})
        elif isinstance(v, (int, float)):
            out[k] = v - (b or 0)
    return out


# --------------------------------------------------------------------------- building


def run(argv, cwd, env=None, timeout=900) -> str:
    proc = subprocess.run(argv, cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout)
    if proc.returncode != 0:
        sys.exit(f"{' '.join(map(str, argv))} (in {cwd}) failed:\n{proc.stdout}\n{proc.stderr}")
    return proc.stdout


def build_all(out: Path) -> dict[str, Path]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("OTEL_", "TOOLWEAVE_"))}
    env.update(TOOLWEAVE_STRICT="1", GOFLAGS="-buildvcs=false")
    bins = {"woven": out / "svcb", "manual": out / "svcb-manual", "loadgen": out / "loadgen"}
    t = time.monotonic()
    run([sys.executable, "-m", "toolweave.cli", "go", "build", "-o", str(bins["woven"]), "."], APPS / "svcb", env)
    run(["go", "build", "-o", str(bins["manual"]), "."], APPS / "svcb-manual", env)
    run(["go", "build", "-o", str(bins["loadgen"]), "."], LOADGEN, env)
    print(f"built woven, manual and loadgen in {time.monotonic() - t:.1f}s", file=sys.stderr)
    return bins


# --------------------------------------------------------------------------- one run


def wait_port(port: int, proc: subprocess.Popen, errfile: Path, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            sys.exit(f"the service exited early ({proc.returncode}):\n{errfile.read_text(errors='replace')[-3000:]}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return
        except OSError:
            time.sleep(0.05)
    sys.exit(f"the service is not listening on {port} after {timeout}s")


def one_run(variant: str, binary: Path, bins: dict, pg: PgCluster, receiver, args, workdir: Path) -> dict:
    pg.psql("DROP TABLE IF EXISTS greetings")
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith(("OTEL_", "TOOLWEAVE_"))}
    env.update(receiver.env(), OTEL_SERVICE_NAME=f"svcb-{variant}")
    errfile = workdir / f"{variant}.stderr"
    before = receiver.snapshot()
    with open(errfile, "wb") as err:
        # stderr gets one JSON slog record per request: a file, as a real deployment's log.
        proc = subprocess.Popen([str(binary), "-addr", f"127.0.0.1:{port}", "-pg", pg.dsn], env=env,
                                stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=err)
    try:
        wait_port(port, proc, errfile)
        out = run([str(bins["loadgen"]), "-url", f"http://127.0.0.1:{port}/greet/user{{n}}",
                   "-c", str(args.concurrency), "-d", f"{args.duration}s", "-warmup", f"{args.warmup}s"],
                  workdir, timeout=args.duration + args.warmup + 60)
        result = json.loads(out)
        proc.send_signal(signal.SIGTERM)
        try:
            result["exit"] = proc.wait(30)
        except subprocess.TimeoutExpired:
            proc.kill()
            result["exit"] = "killed after 30s"
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    time.sleep(0.2)
    result["variant"] = variant
    result["telemetry"] = delta(receiver.snapshot(), before)
    return result


# --------------------------------------------------------------------------- main


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--rounds", type=int, default=3, help="interleaved rounds (each runs both variants; ≥ 3)")
    ap.add_argument("--duration", type=float, default=20, help="measured seconds per run")
    ap.add_argument("--warmup", type=float, default=3, help="unmeasured warm-up seconds per run")
    ap.add_argument("--concurrency", "-c", type=int, default=8, help="load generator workers")
    ap.add_argument("--receiver", choices=("discard", "decode"), default="discard")
    ap.add_argument("--json", metavar="OUT", help="also write every run and the summary here")
    ap.add_argument("--smoke", action="store_true",
                    help="a quick check of the pipeline: 3 rounds of 1 s, 2 workers (numbers mean nothing)")
    args = ap.parse_args(argv)
    if args.smoke:
        args.rounds, args.duration, args.warmup, args.concurrency = 3, 1.0, 0.5, 2
    if args.rounds < 1:
        ap.error("--rounds must be ≥ 1")

    runs: list[dict] = []
    with tempfile.TemporaryDirectory(prefix="toolweave-bench-") as tmp:
        workdir = Path(tmp)
        bins = build_all(workdir)
        receiver_cls = DiscardReceiver if args.receiver == "discard" else DecodeReceiver
        with PgCluster("app") as pg, receiver_cls() as receiver:
            for i in range(args.rounds):
                order = VARIANTS if i % 2 == 0 else VARIANTS[::-1]
                for variant in order:
                    r = one_run(variant, bins[variant], bins, pg, receiver, args, workdir)
                    r["round"] = i + 1
                    runs.append(r)
                    print(f"round {i + 1} {variant:6}  {r['rps']:9.1f} req/s  p50 {r['p50_ms']:7.2f} ms  "
                          f"p99 {r['p99_ms']:7.2f} ms  errors {r['errors']}  exit {r['exit']}  "
                          f"telemetry {json.dumps(r['telemetry'], separators=(',', ':'))}", flush=True)

    summary = {}
    for v in VARIANTS:
        mine = [r for r in runs if r["variant"] == v]
        summary[v] = {"rps_median": statistics.median(r["rps"] for r in mine),
                      "p99_ms_median": statistics.median(r["p99_ms"] for r in mine),
                      "p50_ms_median": statistics.median(r["p50_ms"] for r in mine),
                      "errors": sum(r["errors"] for r in mine), "runs": len(mine)}
    w, m = summary["woven"], summary["manual"]
    ratios = {"rps_woven_over_manual": w["rps_median"] / m["rps_median"] if m["rps_median"] else None,
              "p99_woven_over_manual": w["p99_ms_median"] / m["p99_ms_median"] if m["p99_ms_median"] else None}
    print()
    print(f"{'variant':8} {'req/s (median)':>15} {'p50 ms':>9} {'p99 ms (median)':>16} {'errors':>7}")
    for v in VARIANTS:
        s = summary[v]
        print(f"{v:8} {s['rps_median']:15.1f} {s['p50_ms_median']:9.2f} {s['p99_ms_median']:16.2f} {s['errors']:7}")
    fmt = lambda x: "n/a" if x is None else f"{x:.3f}"  # noqa: E731
    print(f"ratio woven/manual: req/s {fmt(ratios['rps_woven_over_manual'])} (1.0 = parity, higher is better), "
          f"p99 {fmt(ratios['p99_woven_over_manual'])} (lower is better)")
    if args.json:
        doc = {"args": vars(args), "machine": {"cpus": os.cpu_count(), "python": platform.python_version(),
                                               "go": run(["go", "version"], ROOT).strip()},
               "runs": runs, "summary": summary, "ratios": ratios}
        Path(args.json).write_text(json.dumps(doc, indent=2) + "\n")
    for v in VARIANTS:
        traces = [r["telemetry"].get("/v1/traces", {}).get("requests", 0) if args.receiver == "discard"
                  else r["telemetry"].get("spans", 0) for r in runs if r["variant"] == v]
        if not all(traces):
            print(f"warning: the {v} variant exported no traces in some run: it is not instrumented "
                  f"(are the stdlib integrations in src/toolweave/data/aspects/?); the ratios mean nothing",
                  file=sys.stderr)
    bad = [r for r in runs if r["errors"] or r["exit"] != 0 or not r["requests"]]
    if bad:
        print(f"{len(bad)} run(s) had errors, no requests or an unclean exit", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
