"""The demo: build examples/service with toolweave, run it against toolweave's embedded OTLP
receiver, drive a few requests, and print what it sent as `toolweave receive` would: a legend
of the numbers, the span trees, the log records (the //weave:log ones carry their span's trace
and span ids) and a summary of the metrics.

    python3 scripts/demo.py        (scripts/demo installs toolweave first)
"""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

from toolweave.otlp import Receiver, lines, spantree

EXAMPLE = Path(__file__).resolve().parent.parent / "examples" / "service"


def say(msg: str) -> None:
    print(f"\033[1m==> {msg}\033[0m" if sys.stdout.isatty() else f"==> {msg}", flush=True)


def build(out: Path) -> None:
    say(f"toolweave go build -o {out} .   (in examples/service: no telemetry code in its source)")
    started = time.monotonic()
    proc = subprocess.run([sys.executable, "-m", "toolweave.cli", "go", "build", "-o", str(out), "."], cwd=EXAMPLE)
    if proc.returncode != 0:
        sys.exit(proc.returncode)
    say(f"built in {time.monotonic() - started:.1f} s")


def start(binary: Path, receiver: Receiver) -> tuple[subprocess.Popen, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("OTEL_")}
    env.update(receiver.env(), OTEL_SERVICE_NAME="example-service", OTEL_BSP_SCHEDULE_DELAY="200")
    proc = subprocess.Popen([str(binary), "-addr", "127.0.0.1:0", "-interval", "300ms"], env=env,
                            stderr=subprocess.PIPE, text=True)
    for line in proc.stderr:
        m = re.search(r"listening on (\S+)", line)
        if m:
            return proc, f"http://{m.group(1)}"
    sys.exit("the service exited before it was listening")


def call(base: str, method: str, path: str, body: dict | None = None) -> None:
    data = json.dumps(body).encode() if body is not None else None
    req = urllib.request.Request(base + path, data=data, method=method)
    try:
        with urllib.request.urlopen(req, timeout=10) as resp:
            status, text = resp.status, resp.read().decode()
    except urllib.error.HTTPError as err:
        status, text = err.code, err.read().decode()
    print(f"    {method:4} {path:<10} -> {status} {text.strip()[:60]}")


def show(receiver: Receiver) -> None:
    spans, logs, metrics = receiver.spans(), receiver.logs(), receiver.metrics()
    say(f"the service sent {len(spans)} spans, {len(logs)} log records and {len(metrics)} metrics")
    color = sys.stdout.isatty()
    print(spantree.legend(color=color))
    print(lines.legend(color=color))
    print()
    print(spantree.render(spans, color=color))
    say("its log records (//weave:log on getItem, Create and tick; each with its span's ids)")
    for record in sorted(logs, key=lambda r: r.time_ns):
        print(lines.log_line(record, color=color))
    say("its metrics")
    board = lines.MetricBoard()
    board.add(metrics)
    print(board.summary(color=color))


def main() -> int:
    with tempfile.TemporaryDirectory(prefix="toolweave-demo-") as tmp, Receiver() as receiver:
        binary = Path(tmp) / "service"
        build(binary)
        say(f"running it with OTEL_EXPORTER_OTLP_ENDPOINT={receiver.endpoint} (toolweave's receiver)")
        proc, base = start(binary, receiver)
        for method, path, body in [("POST", "/items", {"name": "widget"}), ("POST", "/items", {"name": "gadget"}),
                                   ("POST", "/items", {"name": " "}), ("GET", "/items", None),
                                   ("GET", "/items/1", None), ("GET", "/items/42", None)]:
            call(base, method, path, body)
        time.sleep(0.7)                      # a couple of background worker ticks
        proc.send_signal(signal.SIGTERM)     # main returns: the woven shutdown flushes
        proc.wait(timeout=30)
        receiver.wait_for(lambda r: len(r.spans()) >= 8 and r.logs())
        show(receiver)
    return 0


if __name__ == "__main__":
    sys.exit(main())
