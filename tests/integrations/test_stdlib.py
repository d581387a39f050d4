"""The standard-library integrations end to end: unmodified services, built with toolweave.

apps/svca (HTTP server + client, slog) calls apps/svcb (HTTP server, database/sql on a real
PostgreSQL through pgx and on SQLite through modernc.org/sqlite, slog with a JSON handler);
both are built with `toolweave go build` into a temporary directory and run against one
OTLP receiver. One request to A must give one trace across both services:

    A  GET /hello/{name}   SERVER
    └─ A  GET              CLIENT
       └─ B  GET /greet/{name}   SERVER
          ├─ B  sql.*  CLIENT  db.system.name=postgresql  db.query.text=…
          └─ B  sql.*  CLIENT  db.system.name=sqlite      db.query.text=…

plus HTTP, DB connection-pool and runtime metrics, and B's slog records carrying the server
span's ids both in its JSON output and as OTLP logs. Then: code already wrapped in otelhttp
is not instrumented twice, TOOLWEAVE_DISABLED_INTEGRATIONS removes exactly what it names,
and the exporter never traces itself. The integrations are `nethttp`, `databasesql`, `slog`
and `runtimemetrics` (src/toolweave/data/aspects/).
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import signal
import socket
import subprocess
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

import pytest

import buildmodes
from buildmodes import MODES
from toolweave.otlp.model import LogRecord, Metric, Span
from toolweave.otlp.receiver import Receiver
from toolweave.otlp.spantree import render

APPS = Path(__file__).parent / "apps"
APP_NAMES = ("svca", "svcb", "svca-handwrapped", "svcb-manual")

HTTP_SERVER_DURATION = "http.server.request.duration"
HTTP_CLIENT_DURATION = "http.client.request.duration"
DB_POOL_PREFIXES = ("db.sql.connection.", "db.client.connection.")  # otelsql: the former today
RUNTIME_METRICS = ("go.memory.used", "go.goroutine.count")  # contrib runtime (semconv names)


# --------------------------------------------------------------------------- helpers


def tree_hashes(root: Path) -> dict[str, str]:
    return {str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(root.rglob("*")) if p.is_file()}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


_NO_PROXY = urllib.request.build_opener(urllib.request.ProxyHandler({}))


def http_get(url: str, timeout: float = 30) -> tuple[int, bytes]:
    try:
        with _NO_PROXY.open(url, timeout=timeout) as resp:
            return resp.status, resp.read()
    except urllib.error.HTTPError as e:
        return e.code, e.read()


def run_env(receiver: Receiver, service: str) -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("OTEL_", "TOOLWEAVE_"))}
    env.update(receiver.env())
    env.update(OTEL_SERVICE_NAME=service, OTEL_BSP_SCHEDULE_DELAY="100",
               OTEL_METRIC_EXPORT_INTERVAL="500", OTEL_BLRP_SCHEDULE_DELAY="100")
    return env


class Service:
    """A running service: stdout/stderr to files, SIGTERM to stop."""

    def __init__(self, name: str, argv: list[str], env: dict, workdir: Path):
        self.name = name
        self.stdout_path = workdir / f"{name}.stdout"
        self.stderr_path = workdir / f"{name}.stderr"
        with open(self.stdout_path, "wb") as out, open(self.stderr_path, "wb") as err:
            self.proc = subprocess.Popen(argv, env=env, stdin=subprocess.DEVNULL, stdout=out, stderr=err)
        self.returncode: int | None = None

    def stderr(self) -> str:
        return self.stderr_path.read_text(errors="replace")

    def _check_alive(self) -> None:
        if self.proc.poll() is not None:
            pytest.fail(f"{self.name} exited early with {self.proc.returncode}:\n{self.stderr()}")

    def listening_addr(self, timeout: float = 30) -> str:
        """The address from the service's `listening on ADDR` line."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            m = re.search(r"listening on (\S+)", self.stderr())
            if m:
                return m.group(1)
            self._check_alive()
            time.sleep(0.05)
        pytest.fail(f"{self.name} did not print `listening on` within {timeout}s:\n{self.stderr()}")

    def wait_port(self, port: int, timeout: float = 30) -> None:
        """Wait until something accepts TCP connections on 127.0.0.1:port (no HTTP request,
        so no span)."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            self._check_alive()
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=1):
                    return
            except OSError:
                time.sleep(0.05)
        pytest.fail(f"{self.name} is not listening on port {port} after {timeout}s:\n{self.stderr()}")

    def terminate(self, timeout: float = 20) -> int:
        """SIGTERM, then wait: a clean exit is 0 (main returned, telemetry flushed)."""
        if self.returncode is None:
            if self.proc.poll() is None:
                self.proc.send_signal(signal.SIGTERM)
            try:
                self.returncode = self.proc.wait(timeout)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
                pytest.fail(f"{self.name} did not exit within {timeout}s of SIGTERM:\n{self.stderr()}")
        return self.returncode

    def kill(self) -> None:
        if self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait()

    def json_records(self) -> list[dict]:
        """The JSON lines of stderr (slog's JSON handler)."""
        out = []
        for line in self.stderr().splitlines():
            if line.startswith("{"):
                try:
                    out.append(json.loads(line))
                except ValueError:
                    pass
        return out


@dataclass
class Run:
    """What one scenario produced: the receiver's data (after every service exited) and the
    services' outputs."""

    receiver_endpoint: str
    receiver_port: int
    responses: list[tuple[int, bytes]]
    spans: list[Span]
    metrics: list[Metric]
    logs: list[LogRecord]
    services: dict[str, Service] = field(default_factory=dict)

    def tree(self) -> str:
        return render(self.spans, max_attrs=6) if self.spans else "(no spans)"

    def spans_of(self, service: str, kind: str | None = None) -> list[Span]:
        return [s for s in self.spans if s.service_name == service and (kind is None or s.kind == kind)]

    def metric_names(self, service: str) -> set[str]:
        return {m.name for m in self.metrics if m.resource.get("service.name") == service}

    def metrics_named(self, name: str, service: str) -> list[Metric]:
        return [m for m in self.metrics if m.name == name and m.resource.get("service.name") == service]


def is_db_span(s: Span) -> bool:
    return "db.system.name" in s.attributes or "db.system" in s.attributes or "otelsql" in s.scope


def is_http_span(s: Span) -> bool:
    return "otelhttp" in s.scope or any(k.startswith(("http.", "url.")) for k in s.attributes)


def descendants(spans: list[Span], root: Span) -> list[Span]:
    kids: dict[str, list[Span]] = {}
    for s in spans:
        if s.trace_id == root.trace_id:
            kids.setdefault(s.parent_span_id, []).append(s)
    out, todo = [], [root.span_id]
    while todo:
        for k in kids.get(todo.pop(), []):
            out.append(k)
            todo.append(k.span_id)
    return out


def one(items: list, what: str, run: Run):
    assert len(items) == 1, f"expected exactly one {what}, found {len(items)}; spans:\n{run.tree()}"
    return items[0]


# --------------------------------------------------------------------------- building


class Builder:
    """A woven `go build -o TMP/… .` in an app directory, once per (app, disabled set), the
    way `mode` builds (buildmodes.MODES: the front end, -toolexec, GOFLAGS)."""

    def __init__(self, env: dict, out_dir: Path, pristine: dict[str, dict[str, str]], mode: str = "frontend"):
        self.env, self.out_dir, self.pristine, self.mode = env, out_dir, pristine, mode
        self.built: dict[tuple[str, str], Path] = {}
        self.failed: dict[tuple[str, str], str] = {}  # a failed build is not retried per test

    def __call__(self, app: str, disabled: str = "") -> Path:
        key = (app, disabled)
        if key in self.failed:
            pytest.fail(self.failed[key], pytrace=False)
        if key not in self.built:
            out = self.out_dir / (app + (f"-no-{disabled.replace(',', '-')}" if disabled else "")) / app
            env = dict(self.env)
            if disabled:
                env["TOOLWEAVE_DISABLED_INTEGRATIONS"] = disabled
            started = time.monotonic()
            proc = buildmodes.go(self.mode, "build", ["-o", str(out), "."], APPS / app, env)
            if proc.returncode != 0:
                self.failed[key] = (f"{self.mode} build of {app} (disabled={disabled!r}) failed, "
                                    f"exit {proc.returncode}:\n{proc.stdout}\n{proc.stderr}")
                pytest.fail(self.failed[key], pytrace=False)
            assert tree_hashes(APPS / app) == self.pristine[app], f"building {app} wrote into {APPS / app}"
            print(f"built {app} ({self.mode}) disabled={disabled!r} in {time.monotonic() - started:.1f}s")
            self.built[key] = out
        return self.built[key]


@pytest.fixture(scope="module")
def pristine() -> dict[str, dict[str, str]]:
    return {name: tree_hashes(APPS / name) for name in APP_NAMES}


@pytest.fixture(scope="module", params=MODES)
def build(request, tw_env, tmp_path_factory, pristine) -> Builder:
    return Builder(tw_env, tmp_path_factory.mktemp(f"stdlib-bin-{request.param}"), pristine, request.param)


def full_matrix_only(build: Builder) -> None:
    """A configuration of its own costs the drop-in driver a cold build of every package
    (the compiler's identity carries it): in CI only the front end builds it; the drop-in
    modes run in scripts/test-matrix (TOOLWEAVE_FULL_MATRIX=1)."""
    if build.mode != "frontend":
        buildmodes.full_matrix_only("a configuration of its own under the drop-in driver")


# --------------------------------------------------------------------------- scenarios


def run_chain(build: Builder, pg_dsn: str, workdir: Path, *, a_app: str = "svca", disabled: str = "",
              requests: int = 1, with_a: bool = True) -> Run:
    """Run B (and A in front of it), send `requests` GETs, SIGTERM both, collect everything.

    With with_a=False the requests go straight to B's /greet/gopher."""
    b_bin = build("svcb", disabled)
    a_bin = build(a_app, disabled) if with_a else None
    workdir.mkdir(parents=True, exist_ok=True)
    services: dict[str, Service] = {}
    with Receiver() as receiver:
        try:
            b_port = free_port()
            b = services["svcb"] = Service("svcb", [str(b_bin), "-addr", f"127.0.0.1:{b_port}", "-pg", pg_dsn],
                                           run_env(receiver, "svcb"), workdir)
            b.wait_port(b_port)
            url = f"http://127.0.0.1:{b_port}/greet/gopher"
            if a_bin is not None:
                a = services[a_app] = Service(a_app, [str(a_bin), "-addr", "127.0.0.1:0", "-b",
                                                      f"http://127.0.0.1:{b_port}"],
                                              run_env(receiver, a_app), workdir)
                url = f"http://{a.listening_addr()}/hello/gopher"
            responses = [http_get(url) for _ in range(requests)]
            # Let every service export metrics at least twice more while it still runs (every
            # 500 ms): observable gauges such as the pool metrics are read at collection, and
            # a DB closed on the way out is no longer observed at the final one.
            exports = receiver.request_counts()["/v1/metrics"]
            try:
                receiver.wait_for(lambda r: r.request_counts()["/v1/metrics"] >= exports + 2 * len(services),
                                  timeout=5)
            except AssertionError:
                pass  # the assertions on the metrics say what is missing
            for name in (a_app, "svcb"):  # A first: its last client call is over
                if name in services:
                    rc = services[name].terminate()
                    assert rc == 0, f"{name} exited {rc} on SIGTERM:\n{services[name].stderr()}"
        finally:
            for s in services.values():
                s.kill()
        # Every service flushed before exiting; give late exports a moment all the same.
        time.sleep(0.2)
        return Run(receiver.endpoint, receiver.port, responses, receiver.spans(), receiver.metrics(),
                   receiver.logs(), services)


@pytest.fixture(scope="module")
def chain(build, pg_dsn, tmp_path_factory) -> Run:
    run = run_chain(build, pg_dsn, tmp_path_factory.mktemp("chain"))
    status, body = run.responses[0]
    assert status == 200, f"A answered {status}: {body!r}\nA:\n{run.services['svca'].stderr()}\nB:\n{run.services['svcb'].stderr()}"
    answer = json.loads(body)
    assert answer["greeting"] == "HELLO gopher" and answer["count"] >= 1, answer
    return run


# --------------------------------------------------------------------------- the trace


@dataclass
class Chain:
    a_server: Span
    a_client: Span
    b_server: Span
    db: list[Span]


def chain_spans(run: Run) -> Chain:
    a_server = one(run.spans_of("svca", "SERVER"), "SERVER span of svca", run)
    a_client = one(run.spans_of("svca", "CLIENT"), "CLIENT span of svca", run)
    b_server = one(run.spans_of("svcb", "SERVER"), "SERVER span of svcb", run)
    db = [s for s in descendants(run.spans, b_server) if is_db_span(s)]
    return Chain(a_server, a_client, b_server, db)


def test_one_trace_across_both_services(chain):
    c = chain_spans(chain)
    assert c.a_server.is_root, f"A's server span has a parent:\n{chain.tree()}"
    assert c.a_client.trace_id == c.a_server.trace_id == c.b_server.trace_id, chain.tree()
    assert c.a_client.parent_span_id == c.a_server.span_id, f"A's client span is not the server span's child:\n{chain.tree()}"
    assert c.b_server.parent_span_id == c.a_client.span_id, f"B's server span is not A's client span's child:\n{chain.tree()}"
    assert c.a_server.service_name == "svca" and c.b_server.service_name == "svcb"
    # every span of A belongs to that one trace: A does nothing else
    assert {s.trace_id for s in chain.spans_of("svca")} == {c.a_server.trace_id}, chain.tree()


def test_http_server_spans_follow_semconv(chain):
    c = chain_spans(chain)
    for span, route in ((c.a_server, "/hello/{name}"), (c.b_server, "/greet/{name}")):
        assert span.name == f"GET {route}", f"server span name {span.name!r}:\n{chain.tree()}"
        attrs = span.attributes
        assert attrs.get("http.request.method") == "GET", attrs
        assert attrs.get("http.route") == route, f"{span.service_name}: http.route missing or wrong: {attrs}"
        assert attrs.get("http.response.status_code") == 200, attrs
        assert attrs.get("url.path") == route.replace("{name}", "gopher"), attrs


def test_http_client_span_follows_semconv(chain):
    c = chain_spans(chain)
    attrs = c.a_client.attributes
    assert c.a_client.name in ("GET", "HTTP GET"), c.a_client.name  # semconv; otelhttp's default
    assert attrs.get("http.request.method") == "GET", attrs
    assert attrs.get("http.response.status_code") == 200, attrs
    assert str(attrs.get("url.full", "")).endswith("/greet/gopher"), attrs
    assert attrs.get("server.address") == "127.0.0.1", attrs


def test_db_spans_under_b_server_span(chain):
    c = chain_spans(chain)
    assert c.db, f"no DB spans below B's server span:\n{chain.tree()}"
    systems = {s.attributes.get("db.system.name") for s in c.db}
    assert systems == {"postgresql", "sqlite"}, f"db.system.name values {systems}:\n{chain.tree()}"
    assert all(s.kind == "CLIENT" for s in c.db), [(s.name, s.kind) for s in c.db]
    queries = [(s.attributes.get("db.system.name"), s.attributes["db.query.text"])
               for s in c.db if "db.query.text" in s.attributes]
    assert any(sys_ == "postgresql" and "INSERT INTO greetings" in q for sys_, q in queries), queries
    assert any(sys_ == "postgresql" and "SELECT count(*) FROM greetings" in q for sys_, q in queries), queries
    assert any(sys_ == "sqlite" and "FROM salutations" in q for sys_, q in queries), queries
    # the transaction is traced too (begin/commit), and nothing of B's request escapes the trace
    assert any("commit" in s.name.lower() for s in c.db), [s.name for s in c.db]


def test_http_metrics(chain):
    for service in ("svca", "svcb"):
        found = chain.metrics_named(HTTP_SERVER_DURATION, service)
        assert found, f"{service}: no {HTTP_SERVER_DURATION}; metrics: {sorted(chain.metric_names(service))}"
        routes = {p.attributes.get("http.route") for m in found for p in m.data_points}
        assert routes & {"/hello/{name}", "/greet/{name}"}, f"{service}: http.route on the duration: {routes}"
    assert chain.metrics_named(HTTP_CLIENT_DURATION, "svca"), \
        f"svca: no {HTTP_CLIENT_DURATION}; metrics: {sorted(chain.metric_names('svca'))}"


def test_db_pool_metrics(chain):
    names = chain.metric_names("svcb")
    pool = sorted(n for n in names if n.startswith(DB_POOL_PREFIXES))
    assert pool, f"svcb: no connection-pool metrics ({'/'.join(DB_POOL_PREFIXES)}*); metrics: {sorted(names)}"
    systems = {p.attributes.get("db.system.name") for m in chain.metrics
               if m.name in pool and m.resource.get("service.name") == "svcb" for p in m.data_points}
    assert "postgresql" in systems, f"pool metrics carry db.system.name {systems}"


def test_runtime_metrics(chain):
    for service in ("svca", "svcb"):
        names = chain.metric_names(service)
        assert set(RUNTIME_METRICS) <= names, f"{service}: runtime metrics missing; metrics: {sorted(names)}"


def _greeted(records: list[dict]) -> dict:
    found = [r for r in records if r.get("msg") == "greeted"]
    assert len(found) == 1, f"expected one `greeted` record in B's JSON output, found {records}"
    return found[0]


def test_slog_json_output_carries_the_server_span(chain):
    c = chain_spans(chain)
    record = _greeted(chain.services["svcb"].json_records())
    assert record.get("name") == "gopher", record  # the record itself is unchanged
    assert record.get("trace_id") == c.b_server.trace_id, f"{record} vs B's server span {c.b_server.trace_id}"
    assert record.get("span_id") == c.b_server.span_id, f"{record} vs B's server span {c.b_server.span_id}"


def test_slog_records_arrive_as_otlp_logs(chain):
    c = chain_spans(chain)
    logs = [r for r in chain.logs if r.resource.get("service.name") == "svcb" and r.body == "greeted"]
    assert len(logs) == 1, f"OTLP log records of svcb: {[(r.body, r.trace_id) for r in chain.logs]}"
    rec = logs[0]
    assert (rec.trace_id, rec.span_id) == (c.b_server.trace_id, c.b_server.span_id), rec
    assert rec.attributes.get("name") == "gopher" and rec.attributes.get("count") is not None, rec.attributes
    assert rec.severity_text == "INFO" or rec.severity_number == 9, rec


def test_default_slog_logger_records_arrive_as_otlp_logs(chain):
    """A never calls slog.SetDefault: its records go through the default logger."""
    c = chain_spans(chain)
    logs = [r for r in chain.logs if r.resource.get("service.name") == "svca" and r.body == "said hello"]
    assert len(logs) == 1, f"OTLP log records of svca: {[(r.body, r.trace_id) for r in chain.logs]}"
    assert (logs[0].trace_id, logs[0].span_id) == (c.a_server.trace_id, c.a_server.span_id), logs[0]


def test_the_exporter_never_traces_itself(chain):
    receiver_hostport = f"127.0.0.1:{chain.receiver_port}"
    bad = []
    for s in chain.spans:
        values = [str(v) for v in s.attributes.values() if isinstance(v, str)]
        if (any(receiver_hostport in v or re.search(r"(^|/)v1/(traces|metrics|logs)", v) for v in values)
                or s.attributes.get("server.port") == chain.receiver_port):
            bad.append(s)
    assert not bad, "spans of the OTLP exporter's own requests:\n" + render(bad, max_attrs=8)
    # and the receiver got every export it was sent (none rejected)
    assert chain.spans and chain.logs, "nothing arrived"


# --------------------------------------------------------------------------- already instrumented


def test_hand_wrapped_code_is_not_instrumented_twice(build, pg_dsn, tmp_path):
    run = run_chain(build, pg_dsn, tmp_path, a_app="svca-handwrapped", requests=2)
    assert all(status == 200 for status, _ in run.responses), run.responses
    a_traces = {s.trace_id for s in run.spans_of("svca-handwrapped")}
    assert len(a_traces) == 2, f"expected 2 traces (one per request):\n{run.tree()}"
    for trace_id in a_traces:
        servers = [s for s in run.spans_of("svca-handwrapped", "SERVER") if s.trace_id == trace_id]
        clients = [s for s in run.spans_of("svca-handwrapped", "CLIENT") if s.trace_id == trace_id]
        assert len(servers) == 1, f"{len(servers)} server spans for one request:\n{run.tree()}"
        assert len(clients) == 1, f"{len(clients)} client spans for one outgoing call:\n{run.tree()}"
        assert clients[0].parent_span_id == servers[0].span_id, run.tree()
        b_servers = [s for s in run.spans_of("svcb", "SERVER") if s.trace_id == trace_id]
        assert len(b_servers) == 1 and b_servers[0].parent_span_id == clients[0].span_id, run.tree()
    # the hand-written wrappers' metrics are not doubled either: one data point series per route
    for m in run.metrics_named(HTTP_SERVER_DURATION, "svca-handwrapped"):
        counts = [p.count for p in m.data_points]
        assert sum(counts) == 2, f"{HTTP_SERVER_DURATION} counted {counts} for 2 requests"


# --------------------------------------------------------------------------- switching off


def test_disabling_databasesql_removes_exactly_the_db_telemetry(build, pg_dsn, tmp_path):
    full_matrix_only(build)
    run = run_chain(build, pg_dsn, tmp_path, disabled="databasesql", with_a=False)
    assert run.responses[0][0] == 200, run.responses
    assert not [s for s in run.spans if is_db_span(s)], f"DB spans with databasesql off:\n{run.tree()}"
    db_metrics = sorted(m.name for m in run.metrics if m.name.startswith("db."))
    assert not db_metrics, f"DB metrics with databasesql off: {db_metrics}"
    server = one(run.spans_of("svcb", "SERVER"), "SERVER span of svcb", run)
    assert server.name == "GET /greet/{name}", run.tree()
    assert run.metrics_named(HTTP_SERVER_DURATION, "svcb"), sorted(run.metric_names("svcb"))
    record = _greeted(run.services["svcb"].json_records())
    assert record.get("trace_id") == server.trace_id, record  # slog still on


def test_disabling_nethttp_removes_exactly_the_http_telemetry(build, pg_dsn, tmp_path):
    full_matrix_only(build)
    run = run_chain(build, pg_dsn, tmp_path, disabled="nethttp")
    status, body = run.responses[0]
    assert status == 200 and json.loads(body)["greeting"] == "HELLO gopher", run.responses
    http_spans = [s for s in run.spans if is_http_span(s) or s.kind in ("SERVER",)]
    assert not http_spans, f"HTTP spans with nethttp off:\n{render(http_spans, max_attrs=6)}"
    http_metrics = sorted(m.name for m in run.metrics if m.name.startswith("http."))
    assert not http_metrics, f"HTTP metrics with nethttp off: {http_metrics}"
    db = [s for s in run.spans if is_db_span(s)]
    assert {s.attributes.get("db.system.name") for s in db} == {"postgresql", "sqlite"}, run.tree()
    inserts = [s for s in db if "INSERT INTO greetings" in str(s.attributes.get("db.query.text", ""))]
    assert inserts, f"no INSERT span:\n{run.tree()}"
    # no HTTP span above them any more: the request's DB spans start their own traces
    queries = [s for s in db if "db.query.text" in s.attributes]
    assert all(s.is_root for s in queries), run.tree()
    assert [m for m in run.metrics if m.name.startswith(DB_POOL_PREFIXES)], sorted(m.name for m in run.metrics)


def test_disabling_slog_removes_the_log_correlation_and_export(build, pg_dsn, tmp_path):
    full_matrix_only(build)
    run = run_chain(build, pg_dsn, tmp_path, disabled="slog", with_a=False)
    assert run.responses[0][0] == 200, run.responses
    server = one(run.spans_of("svcb", "SERVER"), "SERVER span of svcb", run)  # tracing still on
    assert run.logs == [], f"OTLP logs with slog off: {[(r.body, r.scope) for r in run.logs]}"
    record = _greeted(run.services["svcb"].json_records())
    assert "trace_id" not in record and "span_id" not in record, record
    assert [s for s in descendants(run.spans, server) if is_db_span(s)], run.tree()


# --------------------------------------------------------------------------- the sources


def test_app_directories_are_untouched(build, pristine):
    """Every build above went to a temporary directory: the apps are byte-identical."""
    for name in APP_NAMES:
        assert tree_hashes(APPS / name) == pristine[name], f"{name} changed"
    assert build.built, "nothing was built"
