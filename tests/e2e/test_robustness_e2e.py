"""Robustness of the front end and of the woven program, on real builds and a real receiver.

tests/e2e/apps/robust (a small net/http service) plus a generated package of 160 files with
//weave:span functions, so that weaving lasts a few seconds, built by `toolweave go build`
with a private cache:

- an interrupted build: SIGINT mid-weave, then SIGTERM mid-weave of the next build; each
  stops cleanly (128+signal, one line, no traceback, no child left, no binary, the user's
  tree untouched), the cache holds only complete entries (no temporary file, every entry
  parses, each one byte-identical to an uninterrupted weave's), and the next build reuses
  them and produces a working program;
- that program under a fixed load, then a clean shutdown (SIGTERM), and in another run an
  os.Exit from a handler: every span it produced reaches the receiver, exactly once.
"""

from __future__ import annotations

import glob
import http.client
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from e2e_support import tree_hashes
from toolweave.otlp.receiver import Receiver

APP = Path(__file__).parent / "apps" / "robust"
FILES, FUNCS = 160, 3                # the generated package: 480 //weave:span functions
THRESHOLD = 30                       # cache entries this build must write before the signal
CLIENTS, PER_CLIENT = 4, 100         # the fixed load: 400 requests, 800 spans
REQUESTS = CLIENTS * PER_CLIENT


def _generate(root: Path) -> None:
    """The package main imports for its side of the build only: weaving it takes seconds."""
    gen = root / "gen"
    gen.mkdir()
    for f in range(FILES):
        body = ["package gen", "", 'import "context"', ""]
        for k in range(FUNCS):
            body += [f"// F{f}_{k} sums.", "//", "//weave:span", f"func F{f}_{k}(ctx context.Context, n int) int {{",
                     "\ts := 0", "\tfor i := 0; i < n; i++ {", f"\t\ts += i * {k + 1}", "\t}", "\treturn s", "}", ""]
        (gen / f"g{f:03d}.go").write_text("\n".join(body))
    main = root / "main.go"
    main.write_text(main.read_text().replace('\t"time"\n)', '\t"time"\n\n\t_ "example.com/robust/gen"\n)', 1))


def _entries(cache: Path) -> list[str]:
    """The committed woven entries: a .json per file looked at (written after its .go)."""
    return glob.glob(str(cache / "woven" / "*" / "*.json"))


def _group_alive(pgid: int) -> bool:
    try:
        os.killpg(pgid, 0)
    except ProcessLookupError:
        return False
    return True


@dataclass
class Interruption:
    signum: int
    returncode: int
    stderr: str
    before: int                      # committed entries when the build started
    at_signal: int                   # ... when the signal was sent
    after: int                       # ... when the build had stopped
    children_left: bool
    binary_made: bool


@dataclass
class Built:
    module: Path
    binary: Path
    cache: Path
    interruptions: list[Interruption] = field(default_factory=list)
    tree_before: dict = field(default_factory=dict)
    tree_after: dict = field(default_factory=dict)
    leftovers: list[str] = field(default_factory=list)      # temporary files after the interruptions
    entries_interrupted: dict = field(default_factory=dict)  # woven entries after them: name -> bytes
    final_log: str = ""
    reference: dict = field(default_factory=dict)            # an uninterrupted weave's entries


def _toolweave(args, cwd, env, **kw):
    return subprocess.Popen([sys.executable, "-m", "toolweave.cli", *args], cwd=cwd, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, **kw)


def _interrupt(signum: int, module: Path, binary: Path, cache: Path, env: dict) -> Interruption:
    """Start `toolweave go build`, send `signum` to it (its pid only, as `kill` does) once it
    has written THRESHOLD new woven entries, and wait for it to stop."""
    before = len(_entries(cache))
    proc = _toolweave(["go", "build", "-o", str(binary), "."], module, env, start_new_session=True)
    deadline = time.monotonic() + 120
    while len(_entries(cache)) < before + THRESHOLD:
        assert proc.poll() is None, f"the build ended before it was interrupted:\n{proc.communicate()[1]}"
        assert time.monotonic() < deadline, "weaving never got under way"
        time.sleep(0.005)
    at_signal = len(_entries(cache))
    proc.send_signal(signum)
    _, stderr = proc.communicate(timeout=60)
    deadline = time.monotonic() + 3           # a child killed on the way out has this long to go
    while _group_alive(proc.pid) and time.monotonic() < deadline:
        time.sleep(0.05)
    return Interruption(signum, proc.returncode, stderr, before, at_signal, len(_entries(cache)),
                        _group_alive(proc.pid), binary.exists())


def _woven(cache: Path) -> dict:
    return {os.path.basename(p): Path(p).read_bytes() for p in glob.glob(str(cache / "woven" / "*" / "*"))}


@pytest.fixture(scope="module")
def built(base_env, tmp_path_factory) -> Built:
    """Two interrupted builds, then an uninterrupted one, in a private toolweave cache (the
    go build cache is the session's, as a developer's would be)."""
    root = tmp_path_factory.mktemp("robust")
    module = root / "robust"
    shutil.copytree(APP, module)
    _generate(module)
    out = Built(module, root / "robust-bin", root / "cache")
    env = {**base_env, "TOOLWEAVE_CACHE_DIR": str(out.cache), "TOOLWEAVE_VERBOSE": "1"}
    out.tree_before = tree_hashes(module)
    for signum in (signal.SIGINT, signal.SIGTERM):
        out.interruptions.append(_interrupt(signum, module, out.binary, out.cache, env))
    out.tree_after = tree_hashes(module)
    out.leftovers = [str(p) for p in out.cache.rglob("*") if p.name.startswith(".tmp")]
    out.entries_interrupted = _woven(out.cache)
    proc = _toolweave(["go", "build", "-o", str(out.binary), "."], module, env)
    _, out.final_log = proc.communicate(timeout=600)
    assert proc.returncode == 0, out.final_log
    # The same weave, never interrupted, in a cache of its own (-n: go only prints its plan).
    reference = root / "reference-cache"
    proc = _toolweave(["go", "build", "-n", "-o", str(root / "unused"), "."], module,
                      {**env, "TOOLWEAVE_CACHE_DIR": str(reference)})
    _, err = proc.communicate(timeout=600)
    assert proc.returncode == 0, err[-3000:]
    out.reference = _woven(reference)
    return out


def test_an_interrupted_build_leaves_a_sound_cache_and_the_next_build_works(built):
    full = len([name for name in built.reference if name.endswith(".json")])
    assert full >= FILES                                     # the generated files, net/http, main
    for i, got in enumerate(built.interruptions):
        name = signal.Signals(got.signum).name
        # interrupted while weaving: this build had written entries, and far from all of them
        assert got.at_signal >= got.before + THRESHOLD and got.after < full, (name, got)
        # a clean stop: 128+signal, one line, no traceback
        assert got.returncode == 128 + got.signum, (name, got.returncode, got.stderr)
        assert got.stderr.strip() == "toolweave: interrupted", (name, got.stderr)
        assert not got.children_left and not got.binary_made, (name, got)
    assert built.interruptions[1].before == built.interruptions[0].after > 0   # the second reused the first's
    assert built.tree_after == built.tree_before              # the user's tree untouched
    # the cache: no temporary file; every entry complete: each .json parses, each rewritten
    # file's .go is there, and every entry is byte for byte what an uninterrupted weave wrote
    assert built.leftovers == []
    interrupted = built.entries_interrupted
    assert interrupted and set(interrupted) <= set(built.reference)
    for name, data in interrupted.items():
        assert data == built.reference[name], f"{name}: differs from an uninterrupted weave's"
        if name.endswith(".json"):
            info = json.loads(data)
            if info["status"] == "rewritten":
                assert name[:-5] + ".go" in interrupted, name
    go_files = [p for p in glob.glob(str(built.cache / "woven" / "*" / "*.go"))]
    gofmt = subprocess.run(["gofmt", "-e", "-l", *go_files], capture_output=True, text=True)
    assert gofmt.returncode == 0 and "error" not in gofmt.stderr, gofmt.stderr[-2000:]
    # the next build: every committed entry reused, the rest woven, a working binary
    m = re.search(r"\((\d+) woven now, (\d+) from cache\)", built.final_log)
    assert m, built.final_log
    now, cached = int(m.group(1)), int(m.group(2))
    assert cached == len([n for n in interrupted if n.endswith(".json")]) and now + cached == full, built.final_log
    assert _woven(built.cache) == built.reference             # the completed cache is the uninterrupted one
    assert built.binary.exists()


class Service:
    """The woven service, running against `receiver`; the fixed load is sent by CLIENTS
    threads on keep-alive connections."""

    def __init__(self, binary: Path, receiver: Receiver):
        env = {k: v for k, v in os.environ.items() if not k.startswith("OTEL_")}
        # Nothing leaves on a timer: full batches (512 spans) go out under load, the rest only
        # through the flush at exit; the queue (2,048) holds the whole load. The SDK counts
        # the spans it started and those still live (OTEL_GO_X_OBSERVABILITY), exported once,
        # by that flush.
        env.update(receiver.env(), OTEL_BSP_SCHEDULE_DELAY="600000", OTEL_METRIC_EXPORT_INTERVAL="600000",
                   OTEL_GO_X_OBSERVABILITY="true", OTEL_LOGS_EXPORTER="none", OTEL_SERVICE_NAME="robust")
        self.proc = subprocess.Popen([str(binary)], env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        line = self.proc.stdout.readline()
        m = re.match(r"listening on (\S+):(\d+)", line)
        assert m, line + self.proc.stderr.read()
        self.host, self.port = m.group(1), int(m.group(2))

    def load(self) -> None:
        errors: list[str] = []

        def client(c: int) -> None:
            conn = http.client.HTTPConnection(self.host, self.port, timeout=10)
            try:
                for i in range(PER_CLIENT):
                    n = c * PER_CLIENT + i
                    conn.request("GET", f"/work/{n}")
                    resp = conn.getresponse()
                    body = resp.read().decode()
                    if resp.status != 200 or body != f"{n * (n + 1) // 2}\n":
                        errors.append(f"/work/{n}: {resp.status} {body!r}")
            except Exception as err:  # noqa: BLE001 (reported below)
                errors.append(f"client {c}: {err!r}")
            finally:
                conn.close()

        threads = [threading.Thread(target=client, args=(c,)) for c in range(CLIENTS)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        assert errors == []

    def wait(self) -> tuple[int, str, str]:
        out, err = self.proc.communicate(timeout=30)
        return self.proc.returncode, out, err


def _sdk_count(receiver: Receiver, name: str) -> int:
    """The SDK's own count `name` (otel.sdk.span.*), summed over its attribute sets, from
    the one export of metrics (the flush at exit)."""
    found = [m for m in receiver.metrics() if m.name == name]
    assert len(found) == 1, f"{name}: {len(found)} exports"
    return sum(p.value for p in found[0].data_points)


def _assert_every_span_arrived(receiver: Receiver, unended: int) -> None:
    """The program produced one server span and one compute span per /work request (and
    nothing else that ends): the receiver holds exactly those, each once, by the time the
    program has exited (the flush waits for the receiver's answers). The SDK's count agrees:
    spans started minus those never ended (`unended`, still live at exit) = spans received."""
    spans = receiver.spans()
    servers = [s for s in spans if s.kind == "SERVER"]
    computes = [s for s in spans if s.name == "compute"]
    assert len(spans) == 2 * REQUESTS, (len(spans), sorted({s.name for s in spans}))
    assert len({s.span_id for s in spans}) == len(spans)                   # none twice
    assert {s.name for s in servers} == {"GET /work/{id}"} and len(servers) == len(computes) == REQUESTS
    assert sorted(int(s.attributes["url.path"].rsplit("/", 1)[1]) for s in servers) == list(range(REQUESTS))
    assert {c.parent_span_id for c in computes} == {s.span_id for s in servers}
    started, live = _sdk_count(receiver, "otel.sdk.span.started"), _sdk_count(receiver, "otel.sdk.span.live")
    assert (started, live) == (2 * REQUESTS + unended, unended)
    assert started - live == len(spans)
    time.sleep(0.5)                                                        # and nothing arrives late
    assert len(receiver.spans()) == 2 * REQUESTS and receiver.errors() == []


def test_a_fixed_load_then_a_clean_shutdown_loses_no_span(built):
    with Receiver() as receiver:
        svc = Service(built.binary, receiver)
        svc.load()
        svc.proc.send_signal(signal.SIGTERM)
        code, out, err = svc.wait()
        assert code == 0, err
        assert out.splitlines()[-1] == f"served {REQUESTS}", out
        _assert_every_span_arrived(receiver, unended=0)


def test_a_fixed_load_then_os_exit_loses_no_span(built):
    """GET /exit calls os.Exit(0) inside its handler (woven into bootstrap.Exit, which
    flushes): that request's server span never ends, so it is never sent."""
    with Receiver() as receiver:
        svc = Service(built.binary, receiver)
        svc.load()
        conn = http.client.HTTPConnection(svc.host, svc.port, timeout=10)
        conn.request("GET", "/exit")
        with pytest.raises((http.client.RemoteDisconnected, ConnectionError)):
            conn.getresponse()                         # the process is gone before it answers
        code, out, err = svc.wait()
        assert code == 0, err
        assert out.splitlines()[-1] == f"served {REQUESTS}", out
        _assert_every_span_arrived(receiver, unended=1)       # /exit's own server span
