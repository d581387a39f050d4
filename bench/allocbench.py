#!/usr/bin/env python3
"""Allocations per request of the `multi` app (bench/apps/multi): its Go benchmark BenchmarkWork.

    python3 bench/allocbench.py [--count 6] [--benchtime 2s] [--json OUT]

Runs `go test -run '^$' -bench '^BenchmarkWork$' -benchmem -count N -benchtime T` for each
variant (see bench/loadbench.py): plain and manual with `go test`, toolweave with
`toolweave go test` on multi/plain and TOOLWEAVE_TEST_BOOTSTRAP=1, so the woven test binary
starts the SDK from OTEL_* as multi/manual's TestMain does by hand, and
TOOLWEAVE_DB_QUERY_TEXT=raw, as manual's otelsql records statements. Every variant gets the
same environment: OTLP/HTTP export to one DiscardReceiver on loopback and
OTEL_SERVICE_NAME=multi-<variant>; the benchmark logs at info level (formatted, discarded),
so both instrumented variants export traces, metrics and one log record per request alike.

Allocations are process-wide: `testing` derives B/op and allocs/op from runtime.MemStats
(TotalAlloc, Mallocs) read before and after the timed loop, counters of the whole process,
not of the benchmark's goroutine. So every goroutine working during the loop counts: the
httptest server, SQLite, the /leaf downstream and the client, and also the SDK's background
batch processors and OTLP exporters (encoding and posting spans and logs). That is why the
export target is part of the measurement, and why all variants share one receiver.

Library use (bench/ is not a package):

    sys.path.insert(0, "<repo>/bench")
    import allocbench
    doc = allocbench.measure(count=6, benchtime="2s", workdir="/tmp/x")
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from loadbench import (BUILD_ENV, SOURCES, VARIANTS, clean_env, go_command, print_table,  # noqa: E402
                       requests_since)
from buildbench import summary  # noqa: E402
from stdlib_b import DiscardReceiver, run  # noqa: E402

# `BenchmarkWork-2   8917   132525 ns/op   16949 B/op   212 allocs/op` (-2: GOMAXPROCS)
LINE = re.compile(r"^BenchmarkWork(?:-\d+)?\s+\d+\s+([\d.]+) ns/op\s+([\d.]+) B/op\s+([\d.]+) allocs/op\s*$", re.M)


def bench_variant(variant: str, count: int, benchtime: str, receiver, workdir: Path, log) -> list[tuple]:
    """Run BenchmarkWork for variant; one (ns/op, B/op, allocs/op) per -count. The output of
    go test is kept in workdir/<variant>.txt."""
    env = clean_env(**BUILD_ENV, **receiver.env(), OTEL_SERVICE_NAME=f"multi-{variant}")
    if variant == "toolweave":
        env.update(TOOLWEAVE_TEST_BOOTSTRAP="1", TOOLWEAVE_DB_QUERY_TEXT="raw")  # like for like
    argv = go_command(variant, "test", "-run", "^$", "-bench", "^BenchmarkWork$", "-benchmem",
                      "-count", str(count), "-benchtime", benchtime)
    before = receiver.snapshot()
    t = time.monotonic()
    out = run(argv, SOURCES[variant], env)
    (workdir / f"{variant}.txt").write_text(out)
    received = requests_since(receiver, before)
    log(f"{variant}: go test took {time.monotonic() - t:.1f}s; OTLP requests received {received}")
    if variant != "plain" and not received.get("/v1/traces"):
        log(f"warning: {variant}: no traces exported: the SDK did not start, its figures mean nothing")
    rows = [tuple(map(float, m)) for m in LINE.findall(out)]
    if len(rows) != count:
        sys.exit(f"{variant}: expected {count} BenchmarkWork lines, found {len(rows)}:\n{out}")
    return rows


def measure(count: int, benchtime: str, workdir: str, log=print) -> dict:
    """BenchmarkWork `count` times per variant (-benchtime benchtime); medians and runs of
    allocs/op, B/op and ns/op. go test's outputs are kept in workdir."""
    results = {}
    with DiscardReceiver() as receiver:
        for variant in VARIANTS:
            ns, b, allocs = zip(*bench_variant(variant, count, benchtime, receiver, Path(workdir), log))
            results[variant] = {"allocs_per_op": summary(allocs), "bytes_per_op": summary(b),
                                "ns_per_op": summary(ns)}
    return {"variants": list(VARIANTS), "count": count, "benchtime": benchtime, "results": results}


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    # Defaults: about 15 s per variant with a warm build cache (6 × ~2.2 s plus the test build).
    ap.add_argument("--count", type=int, default=6, help="go test -count: benchmark runs per variant")
    ap.add_argument("--benchtime", default="2s", help="go test -benchtime (a duration or Nx)")
    ap.add_argument("--json", metavar="OUT", help="also write the result here")
    args = ap.parse_args(argv)
    if args.count < 1:
        ap.error("--count must be ≥ 1")
    with tempfile.TemporaryDirectory(prefix="toolweave-allocbench-") as tmp:
        doc = measure(args.count, args.benchtime, tmp, log=lambda msg: print(msg, file=sys.stderr, flush=True))
    print()
    print_table(doc, {"allocs_per_op": "allocs/op", "bytes_per_op": "B/op", "ns_per_op": "ns/op"})
    if args.json:
        Path(args.json).write_text(json.dumps(doc, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
