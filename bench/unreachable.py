#!/usr/bin/env python3
"""Exporter unreachable: the woven `multi` service under fixed load while its OTLP exporter
cannot deliver (not a test; issue 15).

    python3 bench/unreachable.py [--rounds 5] [--duration 10] [--warmup 3] [--concurrency 8]
                                 [--long 60] [--sample 5] [--json OUT]

multi/plain (bench/apps/multi) is built once with `toolweave go build` and run, with the same
binary and the same bench/loadgen load, in four configurations:

  disabled   OTEL_TRACES_EXPORTER=none, OTEL_METRICS_EXPORTER=none, OTEL_LOGS_EXPORTER=none:
             no SDK provider at all (the API's no-ops), the issue's baseline
  reachable  OTLP/HTTP to a loopback sink that answers at once (bench/stdlib_b.py's
             DiscardReceiver): what healthy export costs, to tell the instrumentation's cost
             from the failure's
  refused    OTLP/HTTP to a closed loopback port: every export fails at connect
  blackhole  OTLP/HTTP to a loopback listener that accepts and never reads nor answers: every
             export waits for the exporter's timeout (OTEL_EXPORTER_OTLP_TIMEOUT, 10 s)
  refused-shed, blackhole-shed (only when named): the same with
             TOOLWEAVE_SHED_UNDELIVERABLE=true, no span recorded while exports fail

Everything else is the SDK's defaults (batch queue 2048 spans, batches of 512, 5 s delay).
Latency rounds: every round runs every configuration once, the order rotated by one each
round, each run as bench/loadbench.py's (start with `-log-level warn`, wait for the port,
warm up, measure, then VmHWM from /proc/PID/status, SIGTERM, exit status). Long runs: one
per configuration, `--long` seconds of the same load, VmRSS sampled every `--sample` seconds;
RSS is bounded if the last third of the samples does not exceed the middle third's peak by
more than a few MB. Dropped telemetry: the service's own report on stderr (the runtime's
bootstrap prints `toolweave: telemetry lost in this run: N spans dropped (…)` at shutdown and
at most one `toolweave: telemetry export failed (…)` line per 30 s while it runs).

Side by side: in every round, after the runs one at a time, every configuration is served
at the same time, each with its own load generator, the servers pinned to one half of the
CPUs and the load generators to the other (bench/loadbench.py's load_servers): the host's
speed drifts by tens of percent within a minute, which runs one after another cannot tell
from a configuration's effect; the per-round ratio p99 / disabled of the side-by-side runs
can.

Printed: per run and per long run one line; per configuration the median and min-max of
req/s, p50, p99, peak RSS; p99 against disabled and against reachable. The load generator,
the service and (for reachable) the Python sink share the machine: compare ratios.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import socket
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH))

from buildbench import summary  # noqa: E402
from loadbench import MULTI, build, clean_env, cpu_plan, load_servers, stop  # noqa: E402
from stdlib_b import DiscardReceiver, free_port, run, wait_port  # noqa: E402

CONFIGS = ("disabled", "reachable", "refused", "blackhole")
# Not run unless named (--configs): refused and blackhole with TOOLWEAVE_SHED_UNDELIVERABLE=true
# (the runtime's bootstrap/shed.go: no span recorded while the export backoff lasts).
SHED = ("refused-shed", "blackhole-shed")
# Also only when named: any configuration with "-nometrics" or "-nologs" appended runs with
# OTEL_METRICS_EXPORTER=none or OTEL_LOGS_EXPORTER=none (that signal gets no provider: the
# API's no-ops), to tell what each signal's pipeline costs.
WITHOUT = {"-nometrics": "OTEL_METRICS_EXPORTER", "-nologs": "OTEL_LOGS_EXPORTER"}


def base_config(config: str) -> str:
    """config without its -nometrics / -nologs suffixes, in any order (as config_env reads them)."""
    for suffix in WITHOUT:
        if config.endswith(suffix):
            return base_config(config.removesuffix(suffix))
    return config


LOST = re.compile(r"toolweave: telemetry lost in this run: (\d+) spans dropped \((\d+) queue full, (\d+) in failed "
                  r"exports\), (\d+) log records dropped, (\d+) failed exports")
FAILED_LINE = "toolweave: telemetry export failed ("


class BlackHole:
    """A loopback TCP listener that accepts every connection and never reads from it or
    answers; the connections stay open until close()."""

    def __init__(self):
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(128)
        self.port = self.sock.getsockname()[1]
        self.conns: list[socket.socket] = []
        self.thread = threading.Thread(target=self._accept, daemon=True)
        self.thread.start()

    def _accept(self):
        while True:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return
            self.conns.append(conn)

    def close(self):
        self.sock.close()
        for c in self.conns:
            c.close()


def closed_port() -> int:
    """A loopback port nothing listens on (bound, then released)."""
    return free_port()


def config_env(config: str, receiver: DiscardReceiver, hole: BlackHole, refused: int) -> dict:
    for suffix, key in WITHOUT.items():
        if config.endswith(suffix):
            return {**config_env(config.removesuffix(suffix), receiver, hole, refused), key: "none"}
    if config.endswith("-shed"):
        return {**config_env(config.removesuffix("-shed"), receiver, hole, refused), "TOOLWEAVE_SHED_UNDELIVERABLE": "true"}
    if config == "disabled":
        return {"OTEL_TRACES_EXPORTER": "none", "OTEL_METRICS_EXPORTER": "none", "OTEL_LOGS_EXPORTER": "none"}
    if config == "reachable":
        return receiver.env()
    port = refused if config == "refused" else hole.port
    return {"OTEL_EXPORTER_OTLP_ENDPOINT": f"http://127.0.0.1:{port}", "OTEL_EXPORTER_OTLP_PROTOCOL": "http/protobuf"}


def proc_status(pid: int) -> dict[str, int]:
    """VmRSS and VmHWM of pid in KiB."""
    out = {}
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            key, _, value = line.partition(":")
            if key in ("VmRSS", "VmHWM"):
                out[key] = int(value.split()[0])
    return out


def dropped(stderr: str) -> dict:
    """The service's own report of lost telemetry (all zero if it printed none)."""
    m = LOST.search(stderr)
    keys = ("spans", "spans_queue_full", "spans_failed_exports", "log_records", "failed_exports")
    d = dict(zip(keys, map(int, m.groups()))) if m else dict.fromkeys(keys, 0)
    d["failure_lines"] = stderr.count(FAILED_LINE)
    return d


def one_run(config: str, bins: dict, env_extra: dict, workdir: Path, tag: str, duration: float, warmup: float,
            concurrency: int, log, sample: float = 0) -> dict:
    """Serve, load, (sample RSS every `sample` s if > 0), read VmHWM, stop: loadgen's JSON plus
    "exit", "hwm_kib", "rss_kib" (samples), "dropped"."""
    port = free_port()
    env = clean_env(**env_extra, OTEL_SERVICE_NAME="multi-unreachable")
    errfile = workdir / f"{tag}.stderr"
    with open(workdir / f"{tag}.stdout", "wb") as out, open(errfile, "wb") as err:
        proc = subprocess.Popen([str(bins["toolweave"]), "-addr", f"127.0.0.1:{port}", "-log-level", "warn"],
                                env=env, stdin=subprocess.DEVNULL, stdout=out, stderr=err)
    samples = []
    try:
        wait_port(port, proc, errfile)
        gen = subprocess.Popen([str(bins["loadgen"]), "-url", f"http://127.0.0.1:{port}/work/{{n}}",
                                "-c", str(concurrency), "-d", f"{duration}s", "-warmup", f"{warmup}s"],
                               cwd=workdir, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        if sample > 0:
            t0 = time.monotonic()
            while gen.poll() is None:
                samples.append((round(time.monotonic() - t0, 1), proc_status(proc.pid)["VmRSS"]))
                deadline = time.monotonic() + sample
                while gen.poll() is None and time.monotonic() < deadline:
                    time.sleep(0.1)
        stdout, stderr = gen.communicate(timeout=duration + warmup + 60)
        if gen.returncode != 0:
            sys.exit(f"loadgen failed ({gen.returncode}):\n{stderr}")
        result = json.loads(stdout)
        result["hwm_kib"] = proc_status(proc.pid)["VmHWM"]
        result["exit"] = stop(proc, log)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    result["rss_kib"] = samples
    result["dropped"] = dropped(errfile.read_text(errors="replace"))
    return result


def plateau(samples: list) -> dict:
    """RSS growth between the middle third and the last third of a long run's samples (MiB)."""
    rss = [kib for _, kib in samples]
    n = len(rss)
    middle, last = rss[n // 3: 2 * n // 3], rss[2 * n // 3:]
    if not middle or not last:
        return {"growth_mib": None}
    return {"first_mib": rss[0] / 1024, "middle_max_mib": max(middle) / 1024, "last_max_mib": max(last) / 1024,
            "final_mib": rss[-1] / 1024, "growth_mib": (max(last) - max(middle)) / 1024}


def measure(rounds: int, duration: float, warmup: float, concurrency: int, long: float, sample: float,
            workdir: str, configs=CONFIGS, log=print) -> dict:
    workdir = Path(workdir)
    bins = build(workdir, log, {"toolweave": MULTI / "plain"})
    runs: dict[str, list[dict]] = {c: [] for c in configs}
    side: dict[str, list[dict]] = {c: [] for c in configs}
    longs: dict[str, dict] = {}
    hole = BlackHole()
    refused = closed_port()
    try:
        with DiscardReceiver() as receiver:
            envs = {c: config_env(c, receiver, hole, refused) for c in configs}
            for i in range(rounds):
                order = list(configs[i % len(configs):]) + list(configs[:i % len(configs)])
                for c in order:
                    r = one_run(c, bins, envs[c], workdir, f"{c}-{i + 1}", duration, warmup, concurrency, log)
                    runs[c].append(r)
                    d = r["dropped"]
                    log(f"round {i + 1} {c:9} {r['rps']:8.1f} req/s  p50 {r['p50_ms']:6.2f} ms  "
                        f"p99 {r['p99_ms']:6.2f} ms  HWM {r['hwm_kib'] / 1024:6.1f} MiB  "
                        f"dropped {d['spans']} spans ({d['spans_queue_full']} queue full)  "
                        f"errors {r['errors']}  exit {r['exit']}")
                for c, r in side_by_side(configs, bins, envs, workdir, f"side-{i + 1}", duration, warmup,
                                         concurrency, log).items():
                    side[c].append(r)
                    log(f"round {i + 1} {c:9} side by side {r['rps']:8.1f} req/s  p50 {r['p50_ms']:6.2f} ms  "
                        f"p99 {r['p99_ms']:6.2f} ms  cpu {r['cpu_us_per_req']:6.1f} µs/req  "
                        f"dropped {r['dropped']['spans']} spans  errors {r['errors']}  exit {r['exit']}")
            if long > 0:
                for c in configs:
                    r = one_run(c, bins, envs[c], workdir, f"{c}-long", long, 0, concurrency, log, sample=sample)
                    r["plateau"] = plateau(r["rss_kib"])
                    longs[c] = r
                    p = r["plateau"]
                    log(f"long {c:9} {long:.0f}s {r['rps']:8.1f} req/s  p99 {r['p99_ms']:6.2f} ms  RSS "
                        + " ".join(f"{kib / 1024:.0f}" for _, kib in r["rss_kib"])
                        + f" MiB  HWM {r['hwm_kib'] / 1024:.1f} MiB  growth last/middle third "
                        f"{p['growth_mib']:+.1f} MiB  dropped {r['dropped']['spans']} spans  exit {r['exit']}")
    finally:
        hole.close()
    results = {}
    for c in configs:
        rs = runs[c]
        results[c] = {"rps": summary(r["rps"] for r in rs), "p50_ms": summary(r["p50_ms"] for r in rs),
                      "p99_ms": summary(r["p99_ms"] for r in rs), "hwm_mib": summary(r["hwm_kib"] / 1024 for r in rs),
                      "dropped_spans": summary(r["dropped"]["spans"] for r in rs),
                      "dropped": [r["dropped"] for r in rs], "errors": sum(r["errors"] for r in rs),
                      "exits": [r["exit"] for r in rs]}
        if c in longs:
            lr = longs[c]
            results[c]["long"] = {k: lr[k] for k in ("rps", "p50_ms", "p99_ms", "hwm_kib", "rss_kib", "plateau",
                                                     "dropped", "exit", "requests", "errors")}
    base = configs[0]
    side_results = {c: {"rps": summary(r["rps"] for r in side[c]), "p99_ms": summary(r["p99_ms"] for r in side[c]),
                        "cpu_us_per_req": summary(r["cpu_us_per_req"] for r in side[c]),
                        "p99_over_" + base: summary(r["p99_ms"] / b["p99_ms"] for r, b in zip(side[c], side[base])),
                        "errors": sum(r["errors"] for r in side[c]), "exits": [r["exit"] for r in side[c]]}
                    for c in configs}
    return {"configs": list(configs), "rounds": rounds, "duration_s": duration, "warmup_s": warmup,
            "concurrency": concurrency, "long_s": long, "sample_s": sample, "results": results,
            "side_by_side": {"base": base, "results": side_results}, "loadavg": os.getloadavg()}


def side_by_side(configs, bins: dict, envs: dict, workdir: Path, tag: str, duration: float, warmup: float,
                 concurrency: int, log) -> dict[str, dict]:
    """Every configuration served at the same time, each with its own load generator (the
    servers on one half of the CPUs, the load generators on the other, as bench/loadbench.py
    pins them): the host's drift, tens of percent within a minute, hits all alike, so the
    per-round ratio of p99s is the configuration's own effect. Per configuration
    load_servers' result plus "dropped"."""
    plan = cpu_plan()
    allowed = os.sched_getaffinity(0)
    specs = {c: (bins["toolweave"], clean_env(**envs[c], OTEL_SERVICE_NAME=f"multi-{c}")) for c in configs}
    if plan:
        os.sched_setaffinity(0, plan[1])   # this thread, so the load generators it starts
    try:
        results = load_servers(specs, bins["loadgen"], workdir, tag, duration, warmup, concurrency, log,
                               plan[0] if plan else None)
    finally:
        os.sched_setaffinity(0, allowed)
    for r in results.values():
        r["dropped"] = dropped(r["stderr"].read_text(errors="replace"))
    return results


def print_table(doc: dict) -> None:
    res = doc["results"]

    def cell(s, fmt="{:.2f}"):
        return f"{fmt.format(s['median'])} ({fmt.format(s['min'])}-{fmt.format(s['max'])})"

    print(f"{'':10} {'req/s':>22} {'p50 ms':>20} {'p99 ms':>20} {'peak RSS MiB':>20} {'dropped spans/run':>26}")
    for c in doc["configs"]:
        r = res[c]
        print(f"{c:10} {cell(r['rps'], '{:.0f}'):>22} {cell(r['p50_ms']):>20} {cell(r['p99_ms']):>20} "
              f"{cell(r['hwm_mib'], '{:.1f}'):>20} {cell(r['dropped_spans'], '{:.0f}'):>26}")
    for base in ("disabled", "reachable"):
        if base not in res:
            continue
        b = res[base]["p99_ms"]["median"]
        print(f"p99 / {base}: " + ", ".join(f"{c} {res[c]['p99_ms']['median'] / b:.3f}" for c in doc["configs"]))
    side = doc.get("side_by_side")
    if side:
        key = "p99_over_" + side["base"]
        print(f"side by side, per-round p99 / {side['base']}: " + ", ".join(
            f"{c} {cell(side['results'][c][key], '{:.3f}')}" for c in doc["configs"] if c != side["base"]))


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--rounds", type=int, default=5, help="rounds, each runs every configuration once")
    ap.add_argument("--duration", type=float, default=10, help="measured seconds per run")
    ap.add_argument("--warmup", type=float, default=3, help="unmeasured warm-up seconds per run")
    ap.add_argument("--concurrency", "-c", type=int, default=8, help="load generator workers")
    ap.add_argument("--long", type=float, default=60, help="seconds of the long RSS run per configuration (0: none)")
    ap.add_argument("--sample", type=float, default=5, help="RSS sampling interval of the long runs")
    ap.add_argument("--configs", default=",".join(CONFIGS),
                    help=f"comma list of {','.join(CONFIGS + SHED)} (any with {' or '.join(WITHOUT)} appended)")
    ap.add_argument("--json", metavar="OUT", help="also write the result here")
    args = ap.parse_args(argv)
    configs = tuple(args.configs.split(","))
    if {base_config(c) for c in configs} - set(CONFIGS + SHED) or args.rounds < 1 or args.duration <= 0:
        ap.error("bad --configs, --rounds or --duration")
    log = lambda msg: print(msg, file=sys.stderr, flush=True)  # noqa: E731
    log(f"{os.cpu_count()} CPUs, load average {os.getloadavg()}")
    with tempfile.TemporaryDirectory(prefix="toolweave-unreachable-") as tmp:
        doc = measure(args.rounds, args.duration, args.warmup, args.concurrency, args.long, args.sample, tmp,
                      configs, log)
    print()
    print_table(doc)
    print(f"load average after: {doc['loadavg']}")
    if args.json:
        Path(args.json).write_text(json.dumps(doc, indent=2) + "\n")
    res = doc["results"]
    return 1 if any(res[c]["errors"] or any(res[c]["exits"]) for c in configs) else 0


if __name__ == "__main__":
    sys.exit(main())
