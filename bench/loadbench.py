#!/usr/bin/env python3
"""Load benchmark of the `multi` app (bench/apps/multi): requests/s and latency per variant.

    python3 bench/loadbench.py [--rounds 3] [--duration 10] [--warmup 3] [--concurrency 8] [--json OUT]

Variants (see bench/apps/README.md):

  plain      multi/plain built with `go build`: no telemetry, the baseline
  manual     multi/manual built with `go build`: instrumented by hand
  toolweave  multi/plain built with `toolweave go build`: instrumentation woven in

The instrumented variants export everything over OTLP/HTTP to one DiscardReceiver on
loopback (bench/stdlib_b.py); all three get its environment. Each round runs every variant
once, in reverse order on odd rounds, so drift on a busy machine hits all alike. One run:
start the binary with `-log-level warn` (no per-request log line), wait for its port, drive
`GET /work/{n}` with bench/loadgen (n grows; the app reads row n%100+1, so any n is valid),
SIGTERM it (a clean exit flushes telemetry), check it exited 0.

Library use (bench/ is not a package):

    sys.path.insert(0, "<repo>/bench")
    import loadbench
    doc = loadbench.measure(rounds=3, duration=10, warmup=3, concurrency=8, workdir="/tmp/x")

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
VARIANTS = ("plain", "manual", "toolweave")
SOURCES = {"plain": MULTI / "plain", "manual": MULTI / "manual", "toolweave": MULTI / "plain"}
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


def one_run(variant: str, bins: dict, receiver, workdir: Path, tag: str,
            duration: float, warmup: float, concurrency: int, log) -> dict:
    """Serve variant, load it, stop it: loadgen's JSON plus "exit", "telemetry" and "stderr"."""
    port = free_port()
    env = clean_env(**receiver.env(), OTEL_SERVICE_NAME=f"multi-{variant}")
    errfile = workdir / f"{tag}.stderr"
    before = receiver.snapshot()
    with open(workdir / f"{tag}.stdout", "wb") as out, open(errfile, "wb") as err:
        proc = subprocess.Popen([str(bins[variant]), "-addr", f"127.0.0.1:{port}", "-log-level", "warn"],
                                env=env, stdin=subprocess.DEVNULL, stdout=out, stderr=err)
    try:
        wait_port(port, proc, errfile)
        result = json.loads(run([str(bins["loadgen"]), "-url", f"http://127.0.0.1:{port}/work/{{n}}",
                                 "-c", str(concurrency), "-d", f"{duration}s", "-warmup", f"{warmup}s"],
                                workdir, timeout=duration + warmup + 60))
        result["exit"] = stop(proc, log)
    finally:
        if proc.poll() is None:  # loadgen failed: do not leave the service behind
            proc.kill()
            proc.wait()
    # No wait needed: the receiver counts a request before answering it, and the exporter
    # waits for that answer before the service exits.
    result["telemetry"] = requests_since(receiver, before)
    result["stderr"] = errfile
    return result


def check(variant: str, r: dict, log) -> None:
    """Log a warning for each sign of a bad run: errors, no requests, an unclean exit, or an
    instrumented variant that exported no traces."""
    if r["errors"]:
        log(f"warning: {variant}: {r['errors']} failed request(s), the first: {r.get('first_error')}")
    if not r["requests"]:
        log(f"warning: {variant}: no successful request was measured")
    if r["exit"] != 0:
        tail = r["stderr"].read_text(errors="replace")[-2000:]
        log(f"warning: {variant}: exit status {r['exit']}; stderr ends with:\n{tail}")
    if variant != "plain" and not r["telemetry"].get("/v1/traces"):
        log(f"warning: {variant}: no traces exported: it is not instrumented, its figures mean nothing")


def aggregate(runs: list[dict]) -> dict:
    """One variant's result over its runs."""
    telemetry: dict[str, int] = {}
    for r in runs:
        for path, n in r["telemetry"].items():
            telemetry[path] = telemetry.get(path, 0) + n
    return {"rps": summary(r["rps"] for r in runs), "p50_ms": summary(r["p50_ms"] for r in runs),
            "p99_ms": summary(r["p99_ms"] for r in runs), "errors": sum(r["errors"] for r in runs),
            "exits": [r["exit"] for r in runs], "telemetry": telemetry}


def measure(rounds: int, duration: float, warmup: float, concurrency: int, workdir: str, log=print) -> dict:
    """Build everything into workdir and run `rounds` interleaved rounds of every variant.
    Failed requests and unclean exits are logged as warnings and kept in the result
    ("errors", "exits": one exit status per run)."""
    workdir = Path(workdir)
    bins = build(workdir, log)
    runs: dict[str, list[dict]] = {v: [] for v in VARIANTS}
    with DiscardReceiver() as receiver:
        for i in range(rounds):
            for variant in VARIANTS if i % 2 == 0 else VARIANTS[::-1]:
                r = one_run(variant, bins, receiver, workdir, f"{variant}-{i + 1}",
                            duration, warmup, concurrency, log)
                runs[variant].append(r)
                log(f"round {i + 1} {variant:9} {r['rps']:9.1f} req/s  p50 {r['p50_ms']:6.2f} ms  "
                    f"p99 {r['p99_ms']:6.2f} ms  errors {r['errors']}  exit {r['exit']}")
                check(variant, r, log)
    return {"variants": list(VARIANTS), "rounds": rounds, "duration_s": duration, "warmup_s": warmup,
            "concurrency": concurrency, "results": {v: aggregate(runs[v]) for v in VARIANTS}}


def print_table(doc: dict, metrics: dict[str, str]) -> None:
    """Per variant the median of each metric (result key -> column label), then the rows
    toolweave/manual and toolweave/plain: the ratios of those medians."""
    res = doc["results"]
    print(f"{'':18}" + "".join(f"{label:>14}" for label in metrics.values()))
    for v in doc["variants"]:
        print(f"{v:18}" + "".join(f"{res[v][k]['median']:14.2f}" for k in metrics))
    for base in ("manual", "plain"):
        cells = [res["toolweave"][k]["median"] / res[base][k]["median"] if res[base][k]["median"] else None
                 for k in metrics]
        print(f"{'toolweave/' + base:18}" + "".join("           n/a" if c is None else f"{c:14.3f}" for c in cells))


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--rounds", type=int, default=3, help="interleaved rounds, each runs every variant once")
    ap.add_argument("--duration", type=float, default=10, help="measured seconds per run")
    ap.add_argument("--warmup", type=float, default=3, help="unmeasured warm-up seconds per run")
    ap.add_argument("--concurrency", "-c", type=int, default=8, help="load generator workers")
    ap.add_argument("--json", metavar="OUT", help="also write the result here")
    args = ap.parse_args(argv)
    if args.rounds < 1 or args.duration <= 0 or args.warmup < 0 or args.concurrency < 1:
        ap.error("need --rounds ≥ 1, --duration > 0, --warmup ≥ 0, --concurrency ≥ 1")
    with tempfile.TemporaryDirectory(prefix="toolweave-loadbench-") as tmp:
        doc = measure(args.rounds, args.duration, args.warmup, args.concurrency, tmp,
                      log=lambda msg: print(msg, file=sys.stderr, flush=True))
    print()
    print_table(doc, {"rps": "req/s", "p50_ms": "p50 ms", "p99_ms": "p99 ms"})
    res = doc["results"]
    print("errors: " + ", ".join(f"{v} {res[v]['errors']}" for v in VARIANTS)
          + "; exit statuses: " + ", ".join(f"{v} {res[v]['exits']}" for v in VARIANTS))
    if args.json:
        Path(args.json).write_text(json.dumps(doc, indent=2) + "\n")
    bad = any(res[v]["errors"] or any(res[v]["exits"]) for v in VARIANTS)
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
