#!/usr/bin/env python3
"""Goroutine-local context on a real open-source application (not a test): PocketBase.

PocketBase (github.com/pocketbase/pocketbase, from the Go module proxy) is an HTTP server over
SQLite (modernc.org/sqlite) whose database code passes no request context to database/sql on
most paths. A module of one file, `pocketbase.New().Start()`, is built unmodified with
`toolweave go build` four ways: goroutine-local context off, on, on with inheritance by the
main module's go statements, and with inheritance by golang.org/x/sync/errgroup's too (its
records list runs the COUNT and the SELECT on an errgroup). Each binary serves the same
requests (a superuser login, a collection created, 20 records created, 10 pages listed, the
collection list) with its telemetry sent to `toolweave receive`; the figures say where the
database spans went:

    python3 bench/glsapp.py          # JSON on stdout; ~4 minutes with a warm module cache

spans, traces, traces of one span; database spans started while a request was served, and
how many of them sit in the trace of that request (requests are sent one at a time, so the
request is the server span whose time window holds the query's start).
"""

from __future__ import annotations

import collections
import json
import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request

BENCH = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(BENCH)
VERSION = "v0.36.8"         # the newest PocketBase that builds with Go 1.26 (v0.40 needs 1.27)

MAIN = """package main

import (
	"log"

	"github.com/pocketbase/pocketbase"
)

func main() {
	if err := pocketbase.New().Start(); err != nil {
		log.Fatal(err)
	}
}
"""

VARIANTS = (
    ("off", "gls: false\n"),
    ("on", "gls: true\n"),
    ("inherit", "gls: {inherit: true}\n"),
    ("inherit+errgroup", "gls:\n  inherit: [golang.org/x/sync/errgroup]\n"),
)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def prepare(workdir: str, env: dict) -> str:
    """The one-file module, its dependencies resolved from the proxy."""
    module = os.path.join(workdir, "pbapp")
    os.makedirs(module, exist_ok=True)
    with open(os.path.join(module, "go.mod"), "w") as f:
        f.write("module example.com/pbapp\n\ngo 1.26\n")
    with open(os.path.join(module, "main.go"), "w") as f:
        f.write(MAIN)
    subprocess.run(["go", "get", f"github.com/pocketbase/pocketbase@{VERSION}"], cwd=module, env=env, check=True,
                   capture_output=True)
    subprocess.run(["go", "mod", "tidy"], cwd=module, env=env, check=True, capture_output=True)
    return module


def build(module: str, name: str, config: str, env: dict) -> str:
    with open(os.path.join(module, "toolweave.yml"), "w") as f:
        f.write(config)
    binary = os.path.join(module, f"pb-{name}")
    subprocess.run([sys.executable, "-m", "toolweave.cli", "go", "build", "-o", binary, "."], cwd=module,
                   env={k: v for k, v in env.items() if k != "TOOLWEAVE_GLS"}, check=True, capture_output=True)
    return binary


def _call(base: str, method: str, path: str, body=None, token: str | None = None) -> dict:
    headers = {"Content-Type": "application/json", **({"Authorization": token} if token else {})}
    data = json.dumps(body).encode() if body is not None else None
    with urllib.request.urlopen(urllib.request.Request(base + path, data, headers, method=method), timeout=10) as r:
        return json.loads(r.read() or b"{}")


def drive(binary: str, workdir: str, env: dict) -> list[dict]:
    """Serve the requests with this binary; the spans `toolweave receive --json` got."""
    otlp, port = _free_port(), _free_port()
    out = os.path.join(workdir, os.path.basename(binary) + ".jsonl")
    data = os.path.join(workdir, os.path.basename(binary) + "-data")
    run_env = {**env, "OTEL_EXPORTER_OTLP_ENDPOINT": f"http://127.0.0.1:{otlp}",
               "OTEL_EXPORTER_OTLP_PROTOCOL": "http/protobuf", "OTEL_BSP_SCHEDULE_DELAY": "200",
               "OTEL_METRICS_EXPORTER": "none"}
    with open(out, "w") as sink:
        receiver = subprocess.Popen([sys.executable, "-m", "toolweave.cli", "receive", "--json", "--port", str(otlp),
                                     "--settle", "0.2"], stdout=sink, stderr=subprocess.DEVNULL, env=env)
        try:
            time.sleep(1.0)
            subprocess.run([binary, "superuser", "upsert", "admin@example.com", "password12345", "--dir", data],
                           env=run_env, check=True, capture_output=True)
            server = subprocess.Popen([binary, "serve", "--http", f"127.0.0.1:{port}", "--dir", data], env=run_env,
                                      stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            try:
                _requests(f"http://127.0.0.1:{port}")
                time.sleep(1.0)
            finally:
                server.terminate()
                server.wait(timeout=30)
            time.sleep(2.0)
        finally:
            receiver.terminate()
            receiver.wait(timeout=30)
    with open(out) as f:
        return [s for s in (json.loads(line) for line in f if line.startswith("{")) if s.get("type") == "span"]


def _requests(base: str) -> None:
    for _ in range(200):
        try:
            _call(base, "GET", "/api/health")
            break
        except OSError:
            time.sleep(0.1)
    token = _call(base, "POST", "/api/collections/_superusers/auth-with-password",
                  {"identity": "admin@example.com", "password": "password12345"})["token"]
    _call(base, "POST", "/api/collections", {"name": "notes", "type": "base", "fields": [{"name": "title", "type": "text"}],
                                             "listRule": "", "viewRule": "", "createRule": ""}, token)
    for i in range(20):
        _call(base, "POST", "/api/collections/notes/records", {"title": f"note {i}"})
    for i in range(10):
        _call(base, "GET", f"/api/collections/notes/records?perPage=5&page={i % 4 + 1}")
    _call(base, "GET", "/api/collections", token=token)


def figures(spans: list[dict]) -> dict:
    traces = collections.Counter(s["trace_id"] for s in spans)
    servers = sorted((int(s["start_time_unix_nano"]), int(s["end_time_unix_nano"]), s["trace_id"])
                     for s in spans if s["kind"] == "SERVER")
    database = [s for s in spans if s["name"].startswith("sql.")]
    during = in_request = 0
    for s in database:
        start = int(s["start_time_unix_nano"])
        owner = next((t for a, b, t in servers if a <= start <= b), None)
        if owner is not None:
            during += 1
            in_request += s["trace_id"] == owner
    return {"requests": len(servers), "spans": len(spans), "traces": len(traces),
            "single_span_traces": sum(1 for n in traces.values() if n == 1),
            "db_spans": len(database), "db_spans_during_requests": during,
            "db_spans_in_their_request_trace": in_request}


def measure(workdir: str) -> dict:
    sys.path.insert(0, os.path.join(REPO, "src"))
    env = {**os.environ, "TOOLWEAVE_PROGRESS": "0", "GOFLAGS": "-mod=mod"}
    module = prepare(workdir, env)
    out = {"application": f"github.com/pocketbase/pocketbase@{VERSION}", "variants": {}}
    for name, config in VARIANTS:
        binary = build(module, name, config, env)
        out["variants"][name] = figures(drive(binary, workdir, env))
    return out


def main() -> int:
    with tempfile.TemporaryDirectory(prefix="tw-glsapp-") as root:
        print(json.dumps(measure(root), indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
