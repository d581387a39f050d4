"""The README's main job, scripts/demo.py, run as a new user runs it: it builds the example
with toolweave, runs it against toolweave's receiver and prints what arrived. What it prints
must be true: log records are there, and each //weave:log record names a trace it printed."""

from __future__ import annotations

import os
import re
import subprocess
import sys

from runtime_support import ROOT


def test_demo_prints_traces_logs_and_metrics(tmp_path):
    env = {k: v for k, v in os.environ.items() if not k.startswith(("OTEL_", "TOOLWEAVE_"))}
    env["TOOLWEAVE_CACHE_DIR"] = str(tmp_path / "cache")
    proc = subprocess.run([sys.executable, str(ROOT / "scripts" / "demo.py")], env=env, capture_output=True,
                          text=True, timeout=900)
    out = proc.stdout
    assert proc.returncode == 0, proc.stderr + out
    sent = re.search(r"the service sent (\d+) spans, (\d+) log records and (\d+) metrics", out)
    assert sent and all(int(n) > 0 for n in sent.groups()), out
    assert "legend: " in out and "+2 = 2 more attributes not shown" in out
    traces = set(re.findall(r"^trace ([0-9a-f]{8})…", out, re.M))
    woven = re.findall(r"INFO +example-service: (enter|exit) +code\.function\.name=(\w+).*\[trace ([0-9a-f]{8})… "
                       r"span [0-9a-f]{8}…\]$", out, re.M)
    assert {fn for _, fn in [(m[0], m[1]) for m in woven]} >= {"getItem", "Create", "tick"}, out
    assert {m[2] for m in woven} <= traces, out
    assert re.search(r"^  http\.server\.request\.duration +histogram", out, re.M), out
