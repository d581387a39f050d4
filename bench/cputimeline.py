#!/usr/bin/env python3
"""CPU time per request, second by second, of two exporter configurations of the woven
`multi` service served side by side (not a test; issue 15, docs/reliability.md).

    python3 bench/cputimeline.py [--configs disabled,blackhole-shed] [--repeats 3]
                                 [--seconds 24] [--concurrency 8] [--json OUT]

The configurations are bench/unreachable.py's (disabled, reachable, refused, blackhole, any of
them with -shed, -nometrics, -nologs). Each repetition starts a fresh pair of servers, pinned
to one half of the CPUs (the load generators to the other, bench/loadbench.py's cpu_plan), and
loads both at once in one-second windows (one bench/loadgen run per window and server); after
each window it reads each server's CPU time from /proc. Printed per window: the second
configuration's CPU per request over the first's, each repetition and their median. A
configuration whose cost is transient (an export that hangs at the start) shows in the first
windows; a steady one in all of them. Both servers see the same machine at the same moment,
so the ratio holds while the host's speed drifts.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH))

from loadbench import MULTI, Server, build, clean_env, cpu_plan, loadgen, stop  # noqa: E402
from stdlib_b import DiscardReceiver  # noqa: E402
from unreachable import BlackHole, closed_port, config_env  # noqa: E402


def timeline(configs: tuple[str, str], repeats: int, seconds: int, concurrency: int, workdir: Path,
             log=print) -> dict:
    """Per repetition, per one-second window: CPU µs per request of each configuration."""
    bins = build(workdir, log, {"toolweave": MULTI / "plain"})
    plan = cpu_plan()
    if plan:
        os.sched_setaffinity(0, plan[1])
    hole, refused = BlackHole(), closed_port()
    reps = []
    try:
        with DiscardReceiver() as receiver, ThreadPoolExecutor(2) as pool:
            envs = {c: clean_env(**config_env(c, receiver, hole, refused), OTEL_SERVICE_NAME=f"multi-{c}")
                    for c in configs}
            for rep in range(repeats):
                servers = {c: Server(bins["toolweave"], envs[c], workdir / f"{rep}-{c}.stderr",
                                     plan[0] if plan else None) for c in configs}
                try:
                    cpu = {c: s.snapshot()[0] for c, s in servers.items()}
                    windows = []
                    for _ in range(seconds):
                        url = {c: f"http://127.0.0.1:{s.port}/work/{{n}}" for c, s in servers.items()}
                        done = dict(zip(configs, pool.map(lambda c: loadgen(bins, url[c], 1, concurrency, workdir),
                                                          configs)))
                        now = {c: s.snapshot()[0] for c, s in servers.items()}
                        windows.append({c: (now[c] - cpu[c]) * 1e6 / max(done[c]["requests"], 1) for c in configs})
                        cpu = now
                finally:
                    for s in servers.values():
                        stop(s.proc, log)
                reps.append(windows)
                a, b = configs
                log(f"repetition {rep + 1}: " + " ".join(f"{w[b] / w[a]:.2f}" for w in windows))
    finally:
        hole.close()
    return {"configs": list(configs), "seconds": seconds, "concurrency": concurrency, "repetitions": reps}


def ratios(doc: dict) -> list[float]:
    """Per window, the median over repetitions of the second configuration's CPU per request
    over the first's."""
    a, b = doc["configs"]
    return [statistics.median(w[b] / w[a] for w in column) for column in zip(*doc["repetitions"])]


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--configs", default="disabled,blackhole-shed", help="two configurations, the baseline first")
    ap.add_argument("--repeats", type=int, default=3)
    ap.add_argument("--seconds", type=int, default=24, help="one-second windows per repetition")
    ap.add_argument("--concurrency", type=int, default=8)
    ap.add_argument("--json", help="write the windows here")
    args = ap.parse_args(argv)
    configs = tuple(args.configs.split(","))
    if len(configs) != 2:
        ap.error("--configs takes two configurations")
    with tempfile.TemporaryDirectory(prefix="cputimeline-") as tmp:
        doc = timeline(configs, args.repeats, args.seconds, args.concurrency, Path(tmp))
    per = ratios(doc)
    print(f"{configs[1]} / {configs[0]}, CPU per request, median per second: " + " ".join(f"{r:.2f}" for r in per))
    rest = per[3:] or per
    print(f"after the first 3 s: median {statistics.median(rest):.2f} ({min(rest):.2f}-{max(rest):.2f})")
    if args.json:
        Path(args.json).write_text(json.dumps(doc, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
