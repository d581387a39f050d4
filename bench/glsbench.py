#!/usr/bin/env python3
"""Goroutine-local context: what it costs, and that its state stays bounded (not a test).

Builds tests/e2e/apps/glsload (also run by tests/e2e/test_gls_e2e.py) with `toolweave go build` three times: with
the built-in gls.yml, with it and gls-inherit.yml, and without either (TOOLWEAVE_GLS=1, inherit and 0), both exporting over OTLP/HTTP to a loopback sink that
answers every request at once (the SDK's batcher drops what it cannot queue: the figures are
the instrumented code's, not an exporter's). Rounds alternate the variants.

    python3 bench/glsbench.py [ROUNDS]      # JSON on stdout; ~2 minutes with warm caches

bench:       ns per goroutine started and exited (with no span, and with a live span on the
             starting goroutine, which inheritance hands on), per span started and ended, per span
             started with a context that carries no span (the goroutine's span is its parent
             with gls); allocations per span.
goroutines:  1,000,000 goroutines (10,000 at a time), each starting and ending a span, one in
             ten exiting with a span it never ended; RSS and live heap after 100,000 and at the
             end; goroutines started afterwards (on the recycled goroutine structs) that found
             a parent (must be 0).
application: PocketBase built unmodified four ways (bench/glsapp.py): where its database spans
             went.
"""

from __future__ import annotations

import http.server
import json
import os
import shutil
import subprocess
import sys
import tempfile
import threading

from buildbench import summary  # noqa: E402  (bench/ is on sys.path: run.py, or this script's own dir)

BENCH = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(BENCH)
APP = os.path.join(REPO, "tests", "e2e", "apps", "glsload")


class _Sink(http.server.BaseHTTPRequestHandler):
    def do_POST(self):  # noqa: N802 - http.server's name
        self.rfile.read(int(self.headers.get("Content-Length") or 0))
        self.send_response(200)
        self.send_header("Content-Type", "application/x-protobuf")
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, *args):
        pass


def measure(workdir: str, rounds: int = 5) -> dict:
    sink = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Sink)
    threading.Thread(target=sink.serve_forever, daemon=True).start()
    env = {**os.environ, "OTEL_EXPORTER_OTLP_ENDPOINT": f"http://127.0.0.1:{sink.server_address[1]}",
           "OTEL_EXPORTER_OTLP_PROTOCOL": "http/protobuf", "OTEL_METRICS_EXPORTER": "none",
           "OTEL_LOGS_EXPORTER": "none", "OTEL_TRACES_EXPORTER": "otlp", "TOOLWEAVE_PROGRESS": "0",
           "TOOLWEAVE_CACHE_DIR": os.path.join(workdir, "twcache")}
    binaries = {}
    for variant, on in (("gls", "1"), ("gls-inherit", "inherit"), ("no-gls", "0")):
        src = os.path.join(workdir, variant)
        shutil.copytree(APP, src)
        build_env = {**env, "TOOLWEAVE_GLS": on}
        subprocess.run([sys.executable, "-m", "toolweave.cli", "go", "build", "-o", "app", "."], cwd=src,
                       env=build_env, check=True, capture_output=True)
        binaries[variant] = os.path.join(src, "app")
    runs = {v: [] for v in binaries}
    for _ in range(rounds):
        for variant, binary in binaries.items():
            out = subprocess.run([binary, "bench"], env=env, check=True, capture_output=True, text=True).stdout
            runs[variant].append(json.loads(out))
    goroutines = {v: json.loads(subprocess.run([b, "goroutines"], env=env, check=True, capture_output=True,
                                               text=True).stdout) for v, b in binaries.items()}
    sink.shutdown()
    import glsapp   # PocketBase built four ways: where its database spans go
    application = glsapp.measure(os.path.join(workdir, "app"))
    keys = ("goroutine_ns", "spawn_ns", "span_ns", "span_allocs", "child_ns", "child_allocs")
    return {"rounds": rounds,
            "bench": {v: {k: summary([r[k] for r in rs]) for k in keys} for v, rs in runs.items()},
            "goroutines": goroutines, "application": application}


def main() -> int:
    sys.path.insert(0, os.path.join(REPO, "src"))
    with tempfile.TemporaryDirectory(prefix="tw-glsbench-") as root:
        print(json.dumps(measure(root, int(sys.argv[1]) if len(sys.argv) > 1 else 5), indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
