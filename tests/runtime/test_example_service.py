"""examples/service woven with the built-in aspects, built and run against an OTLP receiver:
the HTTP API, SQLite store and worker produce the spans their directives ask for, and no
way out of the program (return after SIGTERM, os.Exit, log.Fatal) loses telemetry."""

from __future__ import annotations

import hashlib
import json
import os
import re
import sys
import signal
import socket
import subprocess
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from runtime_support import ROOT, go_run, run_env
from toolweave.otlp import Receiver, spantree

EXAMPLE = ROOT / "examples" / "service"
MODULE = "example.com/service"


def _hashes(root: Path) -> dict:
    return {str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(root.rglob("*")) if p.is_file()}


@pytest.fixture(scope="module")
def service(go, tmp_path_factory) -> Path:
    """The example, plain-built first (it must not need toolweave), then built by the real
    front end, `toolweave go build`, which must leave every file of the module as it was."""
    root = tmp_path_factory.mktemp("service")
    go_run(go, ["mod", "tidy", "-diff"], EXAMPLE, mod="readonly")  # go.mod/go.sum committed tidy
    go_run(go, ["build", "-o", str(root / "plain"), "./..."], EXAMPLE, mod="readonly")  # not into the tree
    before = _hashes(EXAMPLE)
    env = {k: v for k, v in os.environ.items() if not k.startswith("OTEL_")}
    env["TOOLWEAVE_CACHE_DIR"] = str(root / "cache")
    proc = subprocess.run([sys.executable, "-m", "toolweave.cli", "go", "build", "-o", str(root / "service"), "."],
                          cwd=EXAMPLE, env=env, capture_output=True, text=True, timeout=900)
    assert proc.returncode == 0, proc.stderr
    assert _hashes(EXAMPLE) == before    # go.mod and go.sum included
    return root / "service"


class Running:
    """The service running against a receiver on a free port."""

    def __init__(self, binary: Path, receiver: Receiver, *flags: str):
        self.proc = subprocess.Popen([str(binary), "-addr", "127.0.0.1:0", *flags], env=run_env(receiver),
                                     stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        seen = []
        while not (m := re.search(r"listening on (\S+)", seen[-1] if seen else "")):
            line = self.proc.stderr.readline()
            assert line, f"the service exited before listening:\n{''.join(seen)}"
            seen.append(line)
        self.base = f"http://{m.group(1)}"

    def call(self, method: str, path: str, body: dict | None = None) -> tuple[int, object]:
        data = json.dumps(body).encode() if body is not None else None
        req = urllib.request.Request(self.base + path, data=data, method=method)
        try:
            with urllib.request.urlopen(req, timeout=10) as resp:
                return resp.status, json.load(resp)
        except urllib.error.HTTPError as err:
            return err.code, json.load(err)

    def wait(self) -> tuple[int, str]:
        _, stderr = self.proc.communicate(timeout=30)
        return self.proc.returncode, stderr


def test_service_spans(service):
    with Receiver() as r:
        svc = Running(service, r, "-interval", "100ms")
        assert svc.call("POST", "/items", {"name": "widget"})[0] == 201
        assert svc.call("POST", "/items", {"name": " "}) == (400, {"error": "name is empty"})
        assert svc.call("GET", "/items/1")[1]["name"] == "widget"
        assert svc.call("GET", "/items/9") == (404, {"error": "item not found"})
        assert svc.call("GET", "/items")[0] == 200
        time.sleep(0.3)  # a few worker ticks
        svc.proc.send_signal(signal.SIGTERM)
        code, stderr = svc.wait()
        assert code == 0, stderr
        r.wait_for(lambda r: len(r.logs()) >= 4)
        spans, logs = r.spans(), r.logs()

    creates = [s for s in spans if s.name == "createItem"]
    assert len(creates) == 2
    for create_span in creates:       # under the nethttp integration's server span
        server = spantree.parent(spans, create_span)
        assert (server.name, server.kind, server.attributes["http.route"]) == ("POST /items", "SERVER", "/items")
    decodes = [s for s in spans if s.name == "decodeName"]
    assert {s.parent_span_id for s in decodes} == {s.span_id for s in creates}  # via the re-bound request
    assert [s.status_message for s in decodes if s.status_code == "ERROR"] == ["name is empty"]
    create = spantree.assert_parent(spans, "Create", "createItem")
    assert create.attributes == {"store.op": "create"}

    gets = [s for s in spans if s.name == "Get"]
    assert {spantree.parent(spans, s).name for s in gets} == {"getItem"}
    assert sorted(s.status_code for s in gets) == ["ERROR", "UNSET"]
    assert [s.status_message for s in gets if s.status_code == "ERROR"] == ["item not found"]
    # listItems is not marked: List's parent is the server span itself
    assert spantree.parent(spans, spantree.find(spans, "List")).name == "GET /items"

    ticks = [s for s in spans if s.name == "worker.tick"]
    assert ticks and all(s.is_root for s in ticks)
    counts = [s for s in spans if s.name == "Count"]
    assert {s.parent_span_id for s in counts} <= {s.span_id for s in ticks}
    assert {s.resource["service.name"] for s in spans} == {"service"}

    # //weave:log records go to slog's default logger, i.e. the log package's stderr, with
    # the ids of the span they were logged in ...
    get_items = {(s.trace_id, s.span_id) for s in spans if s.name == "getItem"}
    logged = re.findall(r"INFO enter code\.function\.name=getItem (?:.* )?trace_id=(\S+) span_id=(\S+)$", stderr, re.M)
    assert len(logged) == 2 and set(logged) == get_items, stderr
    assert re.search(r"INFO exit code\.function\.name=Create duration=\S+ trace_id=[0-9a-f]{32} "
                     r"span_id=[0-9a-f]{16}$", stderr, re.M), stderr
    # ... and each is an OTLP log record correlated with that span.
    woven = [rec for rec in logs if "code.function.name" in rec.attributes]
    by_span = {s.span_id: s for s in spans}
    assert {rec.attributes["code.function.name"] for rec in woven} >= {"getItem", "Create", "tick"}
    own_span = {"getItem": "getItem", "Create": "Create", "tick": "worker.tick"}
    for rec in woven:                 # logged inside the function's own //weave:span
        span = by_span[rec.span_id]
        assert rec.trace_id == span.trace_id and rec.body in ("enter", "exit")
        assert span.name == own_span[rec.attributes["code.function.name"]], (rec, span.name)
    assert {rec.body for rec in woven if rec.attributes["code.function.name"] == "getItem"} == {"enter", "exit"}


@pytest.mark.parametrize("flag, code, line", [
    ("-exit-after", 3, r"exiting with status 3 after 400ms"),
    ("-fatal-after", 1, r"fatal after 400ms"),
])
def test_service_exit_paths_lose_nothing(service, flag, code, line):
    with Receiver() as r:
        svc = Running(service, r, "-interval", "100ms", flag, "400ms")
        assert svc.call("POST", "/items", {"name": "widget"})[0] == 201
        got, stderr = svc.wait()
        assert got == code, stderr
        # (the worker may log once more while the flush runs: other goroutines go on until
        # the process exits, as they do during any os.Exit)
        assert re.search(r"^\S+ \S+ " + line + "$", stderr, re.M), stderr
        # Everything ended before the exit arrived: the request and every finished tick.
        names = [s.name for s in r.spans()]
        assert "createItem" in names and "Create" in names and "worker.tick" in names


def _closed_port() -> int:
    """A loopback port nothing listens on (yet)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class _Lines:
    """A stream's lines, read to its end by a thread; wait() polls them."""

    def __init__(self, stream):
        self.lines: list[str] = []
        self._thread = threading.Thread(target=lambda: self.lines.extend(iter(stream.readline, "")), daemon=True)
        self._thread.start()

    def wait(self, pattern: str, timeout: float) -> re.Match:
        deadline = time.monotonic() + timeout
        while not (m := re.search(pattern, "".join(self.lines), re.M)):
            assert time.monotonic() < deadline, f"no {pattern!r} within {timeout} s:\n{''.join(self.lines)}"
            time.sleep(0.02)
        return m

    def text(self) -> str:
        self._thread.join(timeout=30)
        return "".join(self.lines)


def test_service_sheds_while_its_collector_is_down(service):
    """TOOLWEAVE_SHED_UNDELIVERABLE=true through the woven service and a real receiver: the
    collector refuses connections, the first export fails and is said on stderr; requests
    served while the backoff lasts record no span (none of them ever reaches the collector)
    and are counted; once the collector listens again, the next requests' spans arrive whole;
    the summary at shutdown names what was dropped and what was not recorded."""
    port = _closed_port()
    receiver = Receiver(port=port)      # not started: the collector is down
    env = run_env(receiver, TOOLWEAVE_SHED_UNDELIVERABLE="true", OTEL_BSP_SCHEDULE_DELAY="50")
    proc = subprocess.Popen([str(service), "-addr", "127.0.0.1:0", "-interval", "1h"], env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    try:
        err = _Lines(proc.stderr)
        base = "http://" + err.wait(r"listening on (\S+)", 30).group(1)

        def status(method: str, path: str, body: bytes | None = None) -> int:
            try:
                with urllib.request.urlopen(urllib.request.Request(base + path, data=body, method=method),
                                            timeout=10) as resp:
                    return resp.status
            except urllib.error.HTTPError as e:
                return e.code

        assert status("POST", "/items", b'{"name": "widget"}') == 201  # item 1
        err.wait(r"^toolweave: telemetry export failed \(\d+ spans dropped", 30)
        # The backoff (1 s from that failure) is on: these are served, not recorded.
        shed_paths = [f"/items/{100 + i}" for i in range(20)]
        assert {status("GET", path) for path in shed_paths} == {404}

        receiver.start()                # the collector is back
        deadline = time.monotonic() + 60  # the backoff is at most 30 s
        while not any(s.attributes.get("url.path") == "/items/1" for s in receiver.spans()):
            assert time.monotonic() < deadline, "no span received after the collector came back"
            assert status("GET", "/items/1") == 200
            time.sleep(0.1)
        proc.send_signal(signal.SIGTERM)
        assert proc.wait(timeout=30) == 0
        stderr = err.text()
    finally:
        proc.kill()
        receiver.stop()

    spans = receiver.spans()
    paths = {s.attributes.get("url.path") for s in spans if s.kind == "SERVER"}
    assert not paths & set(shed_paths), paths
    servers = [s for s in spans if s.kind == "SERVER" and s.attributes.get("url.path") == "/items/1"]
    for server in servers:              # recorded whole again: the handler's span, its store call
        handler = [c for c in spans if c.parent_span_id == server.span_id]
        assert [c.name for c in handler] == ["getItem"], handler
        assert "Get" in {c.name for c in spans if c.parent_span_id == handler[0].span_id}
    m = re.search(r"^toolweave: telemetry lost in this run: (\d+) spans dropped \(0 queue full, (\d+) in failed "
                  r"exports\), \d+ log records dropped, (\d+) failed exports; not recorded while exports failed: "
                  r"(\d+) spans, (\d+) metric measurements$", stderr, re.M)
    assert m, stderr
    dropped, failed, exports, shed, measurements = map(int, m.groups())
    assert dropped == failed > 0 and exports > 0, m.group(0)  # the first request's spans, at least
    # every shed request started a server span and the handler's spans under it
    assert shed > len(shed_paths), m.group(0)
    assert measurements >= len(shed_paths), m.group(0)  # the HTTP server's duration, for one


def test_diff_prints_every_woven_file(tmp_path):
    """`toolweave diff` on the example (whose build weaves net/http in GOROOT and adds the
    generated links file) prints a diff for every file `toolweave list` names, the generated
    one as a new file marked generated, with clean paths in every header."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("OTEL_")}
    env["TOOLWEAVE_CACHE_DIR"] = str(tmp_path / "cache")
    before = _hashes(EXAMPLE)
    run = lambda cmd: subprocess.run([sys.executable, "-m", "toolweave.cli", cmd, "."], cwd=EXAMPLE, env=env,  # noqa: E731
                                     capture_output=True, text=True, timeout=900)
    diff, listing = run("diff"), run("list")
    assert (diff.returncode, diff.stderr, listing.returncode) == (0, "", 0), diff.stderr + listing.stderr
    headers = re.findall(r"^--- (.*)\n\+\+\+ (.*)$", diff.stdout, re.M)
    shown = {new.split("\t")[0].removeprefix("b/") for _, new in headers}
    listed = set(re.findall(r"^ +(?:\(generated\) )?(\S+\.go): ", listing.stdout, re.M))
    assert shown == listed and len(shown) >= 8, (shown, listed)
    assert {"api.go", "store.go", "zz_toolweave_links.go"} <= shown
    assert any(name.endswith("/src/net/http/server.go") and os.path.isabs(name) for name in shown)
    for old, new in headers:
        assert "//" not in old + new.split("\t")[0], (old, new)
    generated = [(old, new) for old, new in headers if "generated by toolweave" in new]
    assert generated == [("/dev/null", generated[0][1])] and generated[0][1].startswith("b/zz_toolweave_links.go\t")
    assert "+\t_ \"toolweave.dev/runtime/nethttp/_register\"" in diff.stdout
    assert _hashes(EXAMPLE) == before
