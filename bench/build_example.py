#!/usr/bin/env python3
"""Benchmark: build examples/service with plain `go build` and with `toolweave go build`
(not a test; not run in CI). The scenarios and how they are measured are bench/buildbench.py's;
bench/run.py runs the same for the benchmark apps, with targets.

    python3 bench/build_example.py [--runs N] [--scenarios cold,noop,incremental]

Results go to bench/results/build_example-<UTC date>.json.
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

from buildbench import TOOLWEAVE, App, Variant, measure  # noqa: E402

EXAMPLE = os.path.normpath(os.path.join(HERE, os.pardir, "examples", "service"))
SCENARIOS = ("cold", "noop", "incremental")


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=5, help="runs per variant and scenario (default 5)")
    parser.add_argument("--scenarios", default=",".join(SCENARIOS), help="comma-separated subset")
    args = parser.parse_args(argv)
    chosen = {s.strip() for s in args.scenarios.split(",")}
    if not chosen <= set(SCENARIOS) or args.runs < 1:
        parser.error(f"scenarios must be among {','.join(SCENARIOS)} and runs >= 1")
    app = App("example", "examples/service (HTTP API, SQLite via modernc, worker, //weave:span and //weave:log)",
              (Variant("plain", EXAMPLE), Variant("toolweave", EXAMPLE, TOOLWEAVE)), edited="store.go")
    with tempfile.TemporaryDirectory(prefix="toolweave-bench-") as root:
        result = measure(app, root, os.path.join(root, "twcache"),
                         {s: (args.runs if s in chosen else 0) for s in SCENARIOS})
    for name, figures in result["scenarios"].items():
        p, t = figures["plain"]["wall"]["median"], figures["toolweave"]["wall"]["median"]
        print(f"{name:12s} plain {p:7.2f} s  toolweave {t:7.2f} s  ratio {t / p:5.2f}")
    day = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d")
    path = os.path.join(HERE, "results", f"build_example-{day}.json")
    with open(path, "w") as f:
        json.dump(result, f, indent=1)
        f.write("\n")
    print(f"written {os.path.relpath(path)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
