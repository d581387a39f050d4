"""The Receiver's HTTP behaviour with hand-built OTLP payloads (real proto messages)."""

from __future__ import annotations

import gzip
import http.client
import json
import os
import re
import signal
import subprocess
import sys
import threading
import time
from urllib.parse import urlsplit

import pytest
from opentelemetry.proto.collector.logs.v1.logs_service_pb2 import ExportLogsServiceRequest
from opentelemetry.proto.collector.metrics.v1.metrics_service_pb2 import (
    ExportMetricsServiceRequest,
)
from opentelemetry.proto.collector.trace.v1.trace_service_pb2 import (
    ExportTraceServiceRequest,
    ExportTraceServiceResponse,
)
from opentelemetry.proto.common.v1.common_pb2 import AnyValue, KeyValue
from opentelemetry.proto.trace.v1.trace_pb2 import Span as PbSpan, Status

from toolweave.otlp import Receiver

TRACE_ID = bytes.fromhex("4bf92f3577b34da6a3ce929d0e0e4736")


def kv(key, **value):
    return KeyValue(key=key, value=AnyValue(**value))


def trace_request(*names: str, parent: bytes = b"", service: str = "handmade") -> bytes:
    req = ExportTraceServiceRequest()
    rs = req.resource_spans.add()
    rs.resource.attributes.append(kv("service.name", string_value=service))
    ss = rs.scope_spans.add()
    ss.scope.name = "hand"
    ss.scope.version = "0.1"
    for i, name in enumerate(names, start=1):
        ss.spans.append(
            PbSpan(
                trace_id=TRACE_ID,
                span_id=i.to_bytes(8, "big"),
                parent_span_id=parent,
                name=name,
                kind=PbSpan.SPAN_KIND_CLIENT,
                start_time_unix_nano=1_000_000_000,
                end_time_unix_nano=1_002_500_000,
                attributes=[
                    kv("s", string_value="x"),
                    kv("i", int_value=-7),
                    kv("d", double_value=1.5),
                    kv("b", bool_value=True),
                    kv("raw", bytes_value=b"\x00\x01"),
                    KeyValue(key="empty", value=AnyValue()),
                ],
                status=Status(code=Status.STATUS_CODE_ERROR, message="nope"),
            )
        )
    return req.SerializeToString()


def post(r: Receiver, path: str, body: bytes, headers: dict[str, str] | None = None):
    u = urlsplit(r.endpoint)
    conn = http.client.HTTPConnection(u.hostname, u.port, timeout=10)
    try:
        hdrs = {"Content-Type": "application/x-protobuf"}
        hdrs.update(headers or {})
        conn.request("POST", path, body=body, headers=hdrs)
        resp = conn.getresponse()
        return resp.status, resp.getheader("Content-Type"), resp.read()
    finally:
        conn.close()


def test_endpoint_and_env(receiver):
    assert re.fullmatch(r"http://127\.0\.0\.1:\d+", receiver.endpoint)
    assert receiver.port > 0 and receiver.endpoint.endswith(f":{receiver.port}")
    assert receiver.env()["OTEL_EXPORTER_OTLP_ENDPOINT"] == receiver.endpoint
    assert receiver.env()["OTEL_EXPORTER_OTLP_PROTOCOL"] == "http/protobuf"
    assert receiver.running


def test_protobuf_trace_decoding(receiver):
    status, ctype, body = post(receiver, "/v1/traces", trace_request("a", parent=b"\x00" * 8))
    assert (status, ctype) == (200, "application/x-protobuf")
    ExportTraceServiceResponse.FromString(body)  # a valid (empty) response
    assert body == b""
    (span,) = receiver.spans()
    assert span.trace_id == TRACE_ID.hex()
    assert span.span_id == "0000000000000001"
    assert span.parent_span_id == ""  # all-zero parent id means "no parent"
    assert span.kind == "CLIENT"
    assert span.duration_ns == 2_500_000 and span.duration_ms == 2.5
    assert span.attributes == {"s": "x", "i": -7, "d": 1.5, "b": True, "raw": b"\x00\x01", "empty": None}
    assert (span.status_code, span.status_message) == ("ERROR", "nope")
    assert span.resource == {"service.name": "handmade"}
    assert (span.scope, span.scope_version) == ("hand", "0.1")
    assert receiver.request_counts() == {"/v1/traces": 1, "/v1/metrics": 0, "/v1/logs": 0}


def test_nested_any_values(receiver):
    from opentelemetry.proto.common.v1.common_pb2 import ArrayValue, KeyValueList

    req = ExportLogsServiceRequest()
    rec = req.resource_logs.add().scope_logs.add().log_records.add()
    rec.body.CopyFrom(
        AnyValue(
            kvlist_value=KeyValueList(
                values=[
                    kv("list", array_value=ArrayValue(values=[AnyValue(int_value=1), AnyValue(string_value="two")])),
                    kv("map", kvlist_value=KeyValueList(values=[kv("deep", bool_value=False)])),
                ]
            )
        )
    )
    assert post(receiver, "/v1/logs", req.SerializeToString())[0] == 200
    (log,) = receiver.logs()
    assert log.body == {"list": [1, "two"], "map": {"deep": False}}
    assert (log.trace_id, log.span_id, log.scope, log.resource) == ("", "", "", {})


def test_gzip(receiver):
    body = gzip.compress(trace_request("zipped"))
    status, _, _ = post(receiver, "/v1/traces", body, {"Content-Encoding": "gzip"})
    assert status == 200
    assert [s.name for s in receiver.spans()] == ["zipped"]


def test_malformed_bodies_get_400_and_receiver_stays_up(receiver):
    for path, body, headers in [
        ("/v1/traces", b"\x0a\xff\xff", {}),  # truncated length-delimited field
        ("/v1/metrics", b"\xff\xff\xff\xff", {}),
        ("/v1/logs", b"this is not gzip", {"Content-Encoding": "gzip"}),
        ("/v1/traces", b"{not json", {"Content-Type": "application/json"}),
    ]:
        status, ctype, reply = post(receiver, path, body, headers)
        assert status == 400, (path, body)
        assert reply  # a google.rpc.Status (protobuf or JSON) saying why
    assert len(receiver.errors()) == 4
    assert receiver.spans() == [] and receiver.metrics() == [] and receiver.logs() == []
    # still serving
    assert post(receiver, "/v1/traces", trace_request("after"))[0] == 200
    assert [s.name for s in receiver.spans()] == ["after"]
    assert receiver.request_counts() == {"/v1/traces": 3, "/v1/metrics": 1, "/v1/logs": 1}


def test_other_errors(receiver):
    assert post(receiver, "/v1/nothing", b"")[0] == 404
    assert post(receiver, "/v1/traces", trace_request("x"), {"Content-Type": "text/plain"})[0] == 415
    assert post(receiver, "/v1/traces", b"", {"Content-Encoding": "br"})[0] == 415
    u = urlsplit(receiver.endpoint)
    conn = http.client.HTTPConnection(u.hostname, u.port, timeout=10)
    conn.request("GET", "/")
    resp = conn.getresponse()
    assert (resp.status, resp.read()) == (200, b"ok\n")
    conn.request("GET", "/v1/traces")
    resp = conn.getresponse()
    resp.read()
    assert resp.status == 405
    conn.close()
    assert receiver.spans() == []


def test_empty_request_is_fine(receiver):
    assert post(receiver, "/v1/metrics", b"")[0] == 200
    assert receiver.metrics() == []
    assert receiver.request_counts()["/v1/metrics"] == 1


def test_json_encoding(receiver):
    doc = {
        "resourceSpans": [
            {
                "resource": {"attributes": [{"key": "service.name", "value": {"stringValue": "js"}}]},
                "scopeSpans": [
                    {
                        "scope": {"name": "json-scope"},
                        "spans": [
                            {
                                "traceId": TRACE_ID.hex(),
                                "spanId": "00f067aa0ba902b7",
                                "parentSpanId": "",
                                "name": "json-span",
                                "kind": 2,
                                "startTimeUnixNano": "1544712660000000000",
                                "endTimeUnixNano": "1544712661000000000",
                                "attributes": [
                                    {"key": "n", "value": {"intValue": "5"}},
                                    {"key": "arr", "value": {"arrayValue": {"values": [{"stringValue": "a"}]}}},
                                ],
                                "status": {"code": 1},
                            }
                        ],
                    }
                ],
            }
        ]
    }
    status, ctype, body = post(
        receiver, "/v1/traces", json.dumps(doc).encode(), {"Content-Type": "application/json"}
    )
    assert (status, ctype) == (200, "application/json")
    assert json.loads(body) == {}
    (s,) = receiver.spans()
    assert (s.trace_id, s.span_id, s.parent_span_id) == (TRACE_ID.hex(), "00f067aa0ba902b7", "")
    assert (s.name, s.kind, s.status_code) == ("json-span", "SERVER", "OK")
    assert s.attributes == {"n": 5, "arr": ["a"]}
    assert s.duration_ns == 10**9
    assert s.resource == {"service.name": "js"} and s.scope == "json-scope"


def test_metric_kinds(receiver):
    req = ExportMetricsServiceRequest()
    sm = req.resource_metrics.add().scope_metrics.add()
    sm.scope.name = "m"
    g = sm.metrics.add(name="g", unit="By")
    g.gauge.data_points.add(as_double=2.5).attributes.append(kv("k", string_value="v"))
    eh = sm.metrics.add(name="eh")
    eh.exponential_histogram.aggregation_temporality = 1
    eh.exponential_histogram.data_points.add(count=4, sum=10.0, scale=3, zero_count=1, min=0.0, max=5.0)
    su = sm.metrics.add(name="su")
    p = su.summary.data_points.add(count=2, sum=3.0)
    p.quantile_values.add(quantile=0.5, value=1.0)
    p.quantile_values.add(quantile=1.0, value=2.0)
    sm.metrics.add(name="nothing")
    assert post(receiver, "/v1/metrics", req.SerializeToString())[0] == 200
    ms = {m.name: m for m in receiver.metrics()}
    assert (ms["g"].kind, ms["g"].unit, ms["g"].temporality) == ("gauge", "By", "")
    assert ms["g"].point(k="v").value == 2.5
    e = ms["eh"]
    assert (e.kind, e.temporality) == ("exponential_histogram", "DELTA")
    (ep,) = e.data_points
    assert (ep.count, ep.sum, ep.scale, ep.zero_count, ep.min, ep.max) == (4, 10.0, 3, 1, 0.0, 5.0)
    (sp,) = ms["su"].data_points
    assert ms["su"].kind == "summary"
    assert (sp.count, sp.sum, sp.quantiles) == (2, 3.0, ((0.5, 1.0), (1.0, 2.0)))
    assert ms["nothing"].kind == "empty" and ms["nothing"].data_points == ()


def test_wait_for(receiver):
    threading.Timer(0.2, post, (receiver, "/v1/traces", trace_request("late"))).start()
    got = receiver.wait_for(lambda r: r.spans()[0].name, timeout=5)  # IndexError = not yet
    assert got == "late"
    with pytest.raises(AssertionError) as exc:
        receiver.wait_for(lambda r: len(r.spans()) >= 2, timeout=0.2)
    msg = str(exc.value)
    assert "condition not met within 0.2s" in msg
    assert "spans (1): 'late'" in msg
    assert "/v1/traces=1" in msg


def test_concurrent_keepalive_clients(receiver):
    u = urlsplit(receiver.endpoint)
    body = trace_request("c1", "c2")
    failures = []

    def client():
        conn = http.client.HTTPConnection(u.hostname, u.port, timeout=10)
        try:
            for _ in range(10):  # one connection, many requests (keep-alive)
                conn.request("POST", "/v1/traces", body=body, headers={"Content-Type": "application/x-protobuf"})
                resp = conn.getresponse()
                resp.read()
                if resp.status != 200:
                    failures.append(resp.status)
        finally:
            conn.close()

    threads = [threading.Thread(target=client) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    assert failures == []
    assert len(receiver.spans()) == 8 * 10 * 2
    assert receiver.request_counts()["/v1/traces"] == 80


def test_stop_with_idle_connection_is_prompt():
    r = Receiver().start()
    u = urlsplit(r.endpoint)
    conn = http.client.HTTPConnection(u.hostname, u.port, timeout=10)
    conn.request("POST", "/v1/traces", body=trace_request("x"), headers={"Content-Type": "application/x-protobuf"})
    conn.getresponse().read()  # the connection now idles, kept alive
    t0 = time.monotonic()
    r.stop()
    assert time.monotonic() - t0 < 3
    assert not r.running
    r.stop()  # idempotent
    conn.close()
    assert [s.name for s in r.spans()] == ["x"]  # data survives stop


def test_clear(receiver):
    post(receiver, "/v1/traces", trace_request("x"))
    receiver.clear()
    assert receiver.spans() == []
    assert receiver.request_counts() == {"/v1/traces": 0, "/v1/metrics": 0, "/v1/logs": 0}


def _start_cli(*args: str) -> tuple[subprocess.Popen, str]:
    env = {**os.environ, "PYTHONWARNINGS": "error::RuntimeWarning"}
    proc = subprocess.Popen(
        [sys.executable, "-m", "toolweave.otlp.receiver", "--port", "0", *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )
    line = proc.stderr.readline()
    m = re.search(r"listening on (http://\S+)", line)
    assert m, line + proc.stderr.read()
    return proc, m.group(1)


class _Endpoint:
    def __init__(self, url: str):
        self.endpoint = url


def test_cli_prints_tree_on_sigterm():
    proc, url = _start_cli("--print-tree-on-exit", "--color", "never")
    try:
        req = ExportTraceServiceRequest.FromString(trace_request("root"))
        child = req.resource_spans[0].scope_spans[0].spans.add()
        child.CopyFrom(req.resource_spans[0].scope_spans[0].spans[0])
        child.span_id = (2).to_bytes(8, "big")
        child.parent_span_id = (1).to_bytes(8, "big")
        child.name = "child"
        assert post(_Endpoint(url), "/v1/traces", req.SerializeToString())[0] == 200
        assert post(_Endpoint(url), "/v1/logs", ExportLogsServiceRequest().SerializeToString())[0] == 200
        proc.send_signal(signal.SIGTERM)
        out, err = proc.communicate(timeout=10)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    assert proc.returncode == 0, err
    assert "Warning" not in err
    # The command is now `toolweave receive`'s: a legend first, what is pending at exit, totals.
    assert _after_legend(out) == [
        "trace 4bf92f35…  service.name=handmade  2 spans",
        "└─ root  [CLIENT] 2.5 ms  ERROR: nope  s=x i=-7 d=1.5 +3",
        "   └─ child  [CLIENT] 2.5 ms  ERROR: nope  s=x i=-7 d=1.5 +3",
        "",
        "received 2 spans, 0 metric points, 0 log records",
    ]


def test_cli_duration():
    t0 = time.monotonic()
    proc, _ = _start_cli("--duration", "0.5", "--print-tree-on-exit")
    out, err = proc.communicate(timeout=10)
    assert proc.returncode == 0, err
    assert time.monotonic() - t0 < 8
    assert _after_legend(out) == ["received 0 spans, 0 metric points, 0 log records"]


def _after_legend(out: str) -> list[str]:
    """The lines after the legend block (which starts with "legend:" and ends with a blank line)."""
    assert out.startswith("legend: "), out
    return out.split("\n\n", 1)[1].splitlines()
