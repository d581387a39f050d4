"""`toolweave receive` / `python -m toolweave.otlp`, run as a user runs it: a subprocess on a
free port, fed by the real OpenTelemetry Go SDK (tests/otlp/goemitter) or by hand-built OTLP
requests, read from its stdout and stderr."""

from __future__ import annotations

import http.client
import json
import os
import re
import signal
import socket
import subprocess
import sys
import threading
import time
from urllib.parse import urlsplit

import pytest
from opentelemetry.proto.collector.trace.v1.trace_service_pb2 import ExportTraceServiceRequest
from opentelemetry.proto.common.v1.common_pb2 import AnyValue, KeyValue
from opentelemetry.proto.trace.v1.trace_pb2 import Span as PbSpan

from toolweave.otlp import Span, jsonlines, spantree
from toolweave.otlp.lines import quantity, severity
from toolweave.otlp.model import LogRecord

SERVICE = "goemitter-test"  # conftest.emitter_env's OTEL_SERVICE_NAME
RECEIVE = ("toolweave.cli", "receive")
DURATION = r"\d+(\.\d+)? (ns|µs|ms|s)"
CLOCK = r"\d\d:\d\d:\d\d\.\d{3}"


class ReceiveCommand:
    """The command as a subprocess on a free port. ``env()`` is the environment it printed
    (so it stands in for a Receiver in conftest's ``run_goemitter``); stdout is collected by a
    thread so the test can wait for lines while the command runs."""

    def __init__(self, *args: str, module: tuple[str, ...] = RECEIVE):
        env = {k: v for k, v in os.environ.items() if not k.startswith("OTEL_")}
        env.update(PYTHONIOENCODING="utf-8", PYTHONWARNINGS="error::RuntimeWarning")
        env.pop("NO_COLOR", None)
        self.proc = subprocess.Popen(
            [sys.executable, "-m", *module, "--port", "0", *args], stdout=subprocess.PIPE,
            stderr=subprocess.PIPE, text=True, encoding="utf-8", env=env,
        )
        self.banner = [self.proc.stderr.readline() for _ in range(3)]
        self.lines: list[str] = []
        self._cond = threading.Condition()
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def _read(self) -> None:
        for line in self.proc.stdout:
            with self._cond:
                self.lines.append(line.rstrip("\n"))
                self._cond.notify_all()

    def env(self) -> dict[str, str]:
        m = re.fullmatch(r"export (OTEL_EXPORTER_OTLP_ENDPOINT)=(\S+) (OTEL_EXPORTER_OTLP_PROTOCOL)=(\S+)\n",
                         self.banner[2])
        assert m, self.banner
        return {m[1]: m[2], m[3]: m[4]}

    @property
    def endpoint(self) -> str:
        return self.env()["OTEL_EXPORTER_OTLP_ENDPOINT"]

    def summary(self) -> str:
        return "\n".join(self.lines)

    def wait_for(self, pattern: str, timeout: float = 20) -> str:
        """The first stdout line matching ``pattern``, waiting for it while the command runs."""
        deadline = time.monotonic() + timeout
        with self._cond:
            while True:
                for line in self.lines:
                    if re.search(pattern, line):
                        return line
                left = deadline - time.monotonic()
                assert left > 0 and self.proc.poll() is None, f"no line matches {pattern!r}:\n{self.summary()}"
                self._cond.wait(min(left, 0.5))

    def stop(self, sig: int | None = signal.SIGINT) -> tuple[list[str], str]:
        """Signal the command (or, with None, let it end by itself); its whole stdout (lines)
        and the rest of its stderr."""
        if sig is not None and self.proc.poll() is None:
            self.proc.send_signal(sig)
        try:
            err = self.proc.stderr.read()
            self.proc.wait(timeout=20)
        finally:
            if self.proc.poll() is None:
                self.proc.kill()
                self.proc.wait()
        self._reader.join(10)
        assert self.proc.returncode == 0, err
        return self.lines, err


def _post_spans(url: str, *spans: PbSpan) -> None:
    req = ExportTraceServiceRequest()
    rs = req.resource_spans.add()
    rs.resource.attributes.append(KeyValue(key="service.name", value=AnyValue(string_value="handmade")))
    rs.scope_spans.add().spans.extend(spans)
    u = urlsplit(url)
    conn = http.client.HTTPConnection(u.hostname, u.port, timeout=10)
    conn.request("POST", "/v1/traces", body=req.SerializeToString(),
                 headers={"Content-Type": "application/x-protobuf"})
    assert conn.getresponse().status == 200
    conn.close()


def _pb_span(name: str, span_id: int, parent: int = 0) -> PbSpan:
    return PbSpan(trace_id=bytes.fromhex("4bf92f3577b34da6a3ce929d0e0e4736"),
                  span_id=span_id.to_bytes(8, "big"),
                  parent_span_id=parent.to_bytes(8, "big") if parent else b"", name=name,
                  kind=PbSpan.SPAN_KIND_INTERNAL, start_time_unix_nano=1_000_000_000 + span_id,
                  end_time_unix_nano=1_003_000_000)


# --------------------------------------------------------------------------- with the Go SDK


def test_receive_prints_a_go_programs_telemetry_as_it_arrives(run_goemitter):
    cmd = ReceiveCommand("--settle", "0.3", "--metrics-every", "0")  # --color auto: a pipe, no colour
    assert re.fullmatch(r"toolweave receive: listening on http://127\.0\.0\.1:(\d+) .*\n", cmd.banner[0])
    assert cmd.endpoint != "http://127.0.0.1:0" and cmd.endpoint in cmd.banner[0]
    run_goemitter(cmd)  # the environment the command printed, as is
    # Printed while the command still runs: the tree once settled, then the metrics summary.
    cmd.wait_for(r"^   └─ render ")
    cmd.wait_for(r"^  demo\.requests ")
    lines, err = cmd.stop(signal.SIGINT)
    text = "\n".join(lines)
    assert "\x1b[" not in text and err == ""

    # The legend comes first and explains each kind of number below.
    legend = lines[: lines.index("")]
    assert legend[0].startswith("legend: trace 4bf92f35… = the trace id's first 8 hex digits; 3 spans = ")
    for explained in ("12.3 ms = span name, kind and duration", "+2 = 2 more attributes not shown",
                      "12:00:03.123 = when it was emitted", "[trace 4bf92f35… span 00f067aa…] = ",
                      "4 points = data points received since the last summary",
                      "histograms: how many measurements, and their sum, min and max"):
        assert explained in "\n".join(legend), explained

    head = next(line for line in lines if line.startswith("trace "))
    tid = re.fullmatch(rf"trace ([0-9a-f]{{8}})…  service\.name={SERVICE}  3 spans", head)[1]
    tree = lines[lines.index(head): lines.index(head) + 4]
    assert re.fullmatch(rf"└─ GET /items  \[SERVER\] {DURATION}  ERROR: internal error  "
                        r"http\.request\.method=GET http\.route=/items http\.response\.status_code=500", tree[1])
    assert re.fullmatch(rf"   ├─ fetchItems  \[INTERNAL\] {DURATION}  ERROR: boom  "
                        r"items\.count=3 cache\.hit=false ratio=0\.5 \+1", tree[2])
    assert re.fullmatch(rf"   └─ render  \[INTERNAL\] {DURATION}  OK", tree[3])

    logs = [line for line in lines if re.match(CLOCK, line)]
    assert len(logs) == 2
    assert re.fullmatch(rf"{CLOCK}  INFO   {SERVICE}: starting request  component=api", logs[0])
    assert re.fullmatch(rf"{CLOCK}  ERROR  {SERVICE}: \{{(code=42 msg='fetch failed'|msg='fetch failed' code=42)\}}"
                        rf"  retryable=true  \[trace {tid}… span [0-9a-f]{{8}}…\]", logs[1])

    summary = lines.index(f"metrics  service.name={SERVICE}  3 points of 2 metrics since the last summary")
    assert lines[summary + 1] == "  demo.latency   histogram  1 point   3 measurements, sum 555 ms, min 5.0 ms, max 500 ms"
    assert lines[summary + 2] == "  demo.requests  sum        2 points"  # two series: one line each
    assert sorted(lines[summary + 3: summary + 5]) == ["      3  {route=/items}", "      5  {route=/health}"]
    assert lines[-1] == "received 3 spans, 3 metric points, 2 log records"
    assert text.count("trace " + tid + "…  ") == 1 and text.count("metrics  service.name=") == 1


def test_receive_json_lines(run_goemitter):
    cmd = ReceiveCommand("--json", "--color", "always")  # no colour in JSON, whatever is asked
    run_goemitter(cmd)
    cmd.wait_for(r'"name":"demo\.latency"')
    lines, err = cmd.stop(signal.SIGTERM)
    objects = [json.loads(line) for line in lines]  # every line is one JSON object: no legend
    by_type: dict[str, list[dict]] = {}
    for o in objects:
        by_type.setdefault(o["type"], []).append(o)
    assert sorted(by_type) == ["log", "metric", "span"]

    spans = {o["name"]: o for o in by_type["span"]}
    assert sorted(spans) == ["GET /items", "fetchItems", "render"]
    (trace_id,) = {o["trace_id"] for o in spans.values()}
    assert re.fullmatch(r"[0-9a-f]{32}", trace_id)
    root, fetch = spans["GET /items"], spans["fetchItems"]
    assert root["parent_span_id"] == "" and fetch["parent_span_id"] == root["span_id"]
    assert spans["render"]["parent_span_id"] == root["span_id"]
    assert fetch["status"] == {"code": "ERROR", "message": "boom"}
    assert fetch["attributes"] == {"items.count": 3, "cache.hit": False, "ratio": 0.5, "tags": ["a", "b"]}
    assert [e["name"] for e in fetch["events"]] == ["retry", "exception"]
    assert root["resource"]["service.name"] == SERVICE
    assert root["duration_ns"] == root["end_time_unix_nano"] - root["start_time_unix_nano"] >= 0

    logs = sorted(by_type["log"], key=lambda o: o["time_unix_nano"])
    assert [(o["severity_text"], o["body"]) for o in logs] == [
        ("INFO", "starting request"), ("ERROR", {"msg": "fetch failed", "code": 42})]
    assert (logs[0]["trace_id"], logs[1]["trace_id"], logs[1]["span_id"]) == ("", trace_id, fetch["span_id"])

    points = {(o["name"], o["attributes"].get("route")): o for o in by_type["metric"]}
    assert sorted(points) == [("demo.latency", None), ("demo.requests", "/health"), ("demo.requests", "/items")]
    assert (points["demo.requests", "/items"]["value"], points["demo.requests", "/health"]["value"]) == (3, 5)
    lat = points["demo.latency", None]
    assert (lat["kind"], lat["unit"], lat["count"], lat["sum"], lat["bucket_counts"]) == (
        "histogram", "ms", 3, 555.0, [1, 1, 1])
    assert "received 3 spans" not in err  # totals are for people


# --------------------------------------------------------------------------- the command itself


def test_python_m_toolweave_otlp_help():
    proc = subprocess.run([sys.executable, "-m", "toolweave.otlp", "--help"],
                          capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.startswith("usage: python -m toolweave.otlp ")
    for option in ("--port", "--host", "--json", "--settle", "--metrics-every", "--duration", "--color"):
        assert option in proc.stdout


def test_python_m_toolweave_otlp_runs_and_stops_after_duration():
    started = time.monotonic()
    cmd = ReceiveCommand("--duration", "0.5", "--color", "always", module=("toolweave.otlp",))
    lines, err = cmd.stop(None)
    assert time.monotonic() - started < 15
    assert cmd.banner[1] == "in the shell that runs your program, set:\n"
    assert re.fullmatch(r"http://127\.0\.0\.1:\d+", cmd.endpoint) and not cmd.endpoint.endswith(":0")
    assert cmd.env()["OTEL_EXPORTER_OTLP_PROTOCOL"] == "http/protobuf"
    assert lines[0].startswith("\x1b[2mlegend: ")  # --color always
    assert lines[-1] == "received 0 spans, 0 metric points, 0 log records"


def test_a_trace_is_printed_once_settled_and_again_when_more_spans_come():
    cmd = ReceiveCommand("--settle", "0.2", "--color", "never")
    _post_spans(cmd.endpoint, _pb_span("child", 2, parent=1))
    cmd.wait_for(r"^└─ child .*\(orphan")  # the parent has not arrived (yet)
    _post_spans(cmd.endpoint, _pb_span("root", 1))
    cmd.wait_for(r"^   └─ child ")
    lines, _ = cmd.stop(signal.SIGTERM)
    body = lines[lines.index("") + 1:]
    assert body == [
        "trace 4bf92f35…  service.name=handmade  1 span",
        "└─ child  [INTERNAL] 3.0 ms  (orphan: parent 00000000… not received)",
        "",
        "(1 more span of trace 4bf92f35… arrived; the whole trace again:)",
        "trace 4bf92f35…  service.name=handmade  2 spans",
        "└─ root  [INTERNAL] 3.0 ms",
        "   └─ child  [INTERNAL] 3.0 ms",
        "",
        "received 2 spans, 0 metric points, 0 log records",
    ]


def test_pending_traces_are_printed_at_exit():
    cmd = ReceiveCommand("--settle", "60", "--color", "never")
    _post_spans(cmd.endpoint, _pb_span("root", 1), _pb_span("child", 2, parent=1))
    time.sleep(0.5)
    lines, _ = cmd.stop(signal.SIGINT)
    assert lines[lines.index("") + 1:] == [
        "trace 4bf92f35…  service.name=handmade  2 spans",
        "└─ root  [INTERNAL] 3.0 ms",
        "   └─ child  [INTERNAL] 3.0 ms",
        "",
        "received 2 spans, 0 metric points, 0 log records",
    ]


def test_a_port_in_use_is_one_line_and_exit_1():
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        proc = subprocess.run([sys.executable, "-m", "toolweave.cli", "receive", "--port", str(port)],
                              capture_output=True, text=True, timeout=60)
    assert proc.returncode == 1
    assert proc.stdout == ""
    assert proc.stderr == (f"toolweave receive: cannot listen on 127.0.0.1:{port}: Address already in use "
                           "(is another receiver or collector running there? choose another --port)\n")


# --------------------------------------------------------------------------- the pieces


def test_render_with_legend_explains_the_numbers():
    span = Span(trace_id="4bf92f3577b34da6a3ce929d0e0e4736", span_id="01", parent_span_id="", name="x",
                kind="SERVER", start_ns=0, end_ns=12_300_000, attributes={"a": 1, "b": 2, "c": 3, "d": 4, "e": 5},
                status_code="UNSET", status_message="", events=(), resource={}, scope="")
    text = spantree.render([span], legend=True)
    legend, tree = text.split("\n\n")
    assert legend == spantree.legend()
    assert tree.splitlines()[1] == "└─ x  [SERVER] 12.3 ms  a=1 b=2 c=3 +2"
    assert "+2 = 2 more attributes not shown" in legend and "12.3 ms = span name, kind and duration" in legend
    assert spantree.render([span]) == tree  # no legend unless asked


@pytest.mark.parametrize("text, number, shown", [
    ("WARNING", 13, "WARNING"), ("", 9, "INFO"), ("", 10, "INFO2"), ("", 17, "ERROR"),
    ("", 24, "FATAL4"), ("", 0, "-"),
])
def test_log_severity(text, number, shown):
    record = LogRecord(body="b", severity_text=text, severity_number=number, attributes={},
                       trace_id="", span_id="", resource={}, scope="", time_ns=0)
    assert severity(record) == shown


@pytest.mark.parametrize("value, unit, shown", [
    (0.000273977, "s", "274 µs"), (5.0, "ms", "5.0 ms"), (2.5, "min", "150.00 s"), (17, "By", "17 B"),
    (2353216, "By", "2.2 MiB"), (21, "{goroutine}", "21 goroutines"), (1, "{thread}", "1 thread"),
    (0, "ms", "0 ms"), (0, "By", "0 B"), (100, "%", "100 %"), (3, "1", "3"), (1.5, "", "1.5"),
])
def test_metric_quantities_carry_their_unit(value, unit, shown):
    assert quantity(value, unit) == shown


def test_json_objects_are_strict_json():
    span = Span(trace_id="ab", span_id="cd", parent_span_id="", name="x", kind="INTERNAL", start_ns=1,
                end_ns=3, attributes={"raw": b"\x00\x01", "nan": float("nan"), "inf": float("-inf")},
                status_code="UNSET", status_message="", events=(), resource={}, scope="s")
    obj = json.loads(jsonlines.dumps(jsonlines.span_object(span)))
    assert obj["type"] == "span" and obj["duration_ns"] == 2
    assert obj["attributes"] == {"raw": "AAE=", "nan": "NaN", "inf": "-Infinity"}


def test_drain_takes_what_arrived_once():
    from toolweave.otlp import Receiver

    with Receiver() as r:
        _post_spans(r.endpoint, _pb_span("a", 1), _pb_span("b", 2, parent=1))
        spans, metrics, logs = r.drain()
        assert ([s.name for s in spans], metrics, logs) == (["a", "b"], [], [])
        assert r.drain() == ([], [], []) and r.spans() == []
        assert r.request_counts()["/v1/traces"] == 1  # counts stay
        _post_spans(r.endpoint, _pb_span("c", 3))
        assert [s.name for s in r.drain()[0]] == ["c"]
