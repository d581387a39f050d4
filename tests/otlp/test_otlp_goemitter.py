"""End to end: the real OpenTelemetry Go SDK exports to the Receiver over OTLP/HTTP."""

from __future__ import annotations

import re

import pytest

from toolweave.otlp import Receiver, spantree

SERVICE_NAME = "goemitter-test"  # conftest.emitter_env sets OTEL_SERVICE_NAME to this

RESOURCE = {
    "service.name": SERVICE_NAME,
    "telemetry.sdk.language": "go",
    "telemetry.sdk.name": "opentelemetry",
    "telemetry.sdk.version": "1.47.0",
}
SCOPE = "toolweave/goemitter"


@pytest.fixture(scope="module", params=["none", "gzip"])
def emitted(request, run_goemitter):
    """Run the emitter once per compression setting; return what the receiver decoded."""
    with Receiver() as r:
        run_goemitter(r, OTEL_EXPORTER_OTLP_COMPRESSION=request.param)
        # Shutdown() in the emitter waits for every export, but be tolerant anyway.
        r.wait_for(lambda r: len(r.spans()) >= 3 and len(r.metrics()) >= 2 and len(r.logs()) >= 2)
        yield r
    assert not r.running


def test_span_tree(emitted):
    spans = emitted.spans()
    assert sorted(s.name for s in spans) == ["GET /items", "fetchItems", "render"]
    assert len({s.trace_id for s in spans}) == 1
    assert all(re.fullmatch(r"[0-9a-f]{32}", s.trace_id) for s in spans)
    assert all(re.fullmatch(r"[0-9a-f]{16}", s.span_id) for s in spans)

    root = spantree.find(spans, "GET /items")
    fetch = spantree.find(spans, "fetchItems")
    render = spantree.find(spans, "render")
    assert root.parent_span_id == ""
    assert fetch.parent_span_id == root.span_id
    assert render.parent_span_id == root.span_id
    assert spantree.roots(spans) == [root]
    assert spantree.children(spans, root) == [fetch, render]
    assert spantree.parent(spans, fetch) == root
    assert spantree.parent(spans, root) is None
    assert spantree.assert_parent(spans, "fetchItems", "GET /items") == fetch
    assert spantree.assert_parent(spans, "render", "GET /items") == render
    with pytest.raises(AssertionError, match="its parent"):
        spantree.assert_parent(spans, "render", "fetchItems")

    assert root.start_ns <= fetch.start_ns <= fetch.end_ns <= render.start_ns <= root.end_ns


def test_span_fields(emitted):
    spans = emitted.spans()
    root = spantree.find(spans, "GET /items")
    fetch = spantree.find(spans, "fetchItems")
    render = spantree.find(spans, "render")

    assert root.kind == "SERVER"
    assert root.attributes == {
        "http.request.method": "GET",
        "http.route": "/items",
        "http.response.status_code": 500,
    }
    assert (root.status_code, root.status_message) == ("ERROR", "internal error")
    assert root.events == ()

    assert fetch.kind == "INTERNAL"
    assert fetch.attributes == {
        "items.count": 3,
        "cache.hit": False,
        "ratio": 0.5,
        "tags": ["a", "b"],
    }
    assert (fetch.status_code, fetch.status_message) == ("ERROR", "boom")
    assert [e.name for e in fetch.events] == ["retry", "exception"]
    assert fetch.events[0].attributes == {"attempt": 2}
    assert fetch.events[1].attributes == {
        "exception.type": "*errors.errorString",
        "exception.message": "boom",
    }
    assert fetch.start_ns <= fetch.events[0].time_ns <= fetch.end_ns

    assert render.kind == "INTERNAL"
    assert render.attributes == {}
    assert (render.status_code, render.status_message) == ("OK", "")

    for s in spans:
        assert s.resource == RESOURCE
        assert s.service_name == SERVICE_NAME
        assert s.scope == SCOPE
        assert s.links == ()
        assert s.end_ns >= s.start_ns > 1_600_000_000 * 10**9


def test_metrics(emitted):
    metrics = {m.name: m for m in emitted.metrics()}
    assert sorted(metrics) == ["demo.latency", "demo.requests"]

    req = metrics["demo.requests"]
    assert (req.kind, req.unit, req.description) == ("sum", "1", "requests served")
    assert req.is_monotonic is True
    assert req.temporality == "CUMULATIVE"
    assert sorted((p.attributes["route"], p.value) for p in req.data_points) == [
        ("/health", 5),
        ("/items", 3),
    ]
    assert req.point(route="/items").value == 3
    assert isinstance(req.point(route="/health").value, int)
    with pytest.raises(AssertionError, match="2 data points match"):
        req.point()

    lat = metrics["demo.latency"]
    assert (lat.kind, lat.unit, lat.temporality) == ("histogram", "ms", "CUMULATIVE")
    (p,) = lat.data_points
    assert p.attributes == {}
    assert p.count == 3
    assert p.sum == 555.0
    assert p.bucket_counts == (1, 1, 1)
    assert p.explicit_bounds == (10.0, 100.0)
    assert (p.min, p.max) == (5.0, 500.0)
    assert p.value is None

    for m in metrics.values():
        assert m.resource == RESOURCE
        assert m.scope == SCOPE


def test_logs(emitted):
    logs = sorted(emitted.logs(), key=lambda r: r.time_ns)
    assert len(logs) == 2
    first, second = logs

    assert first.body == "starting request"
    assert (first.severity_text, first.severity_number) == ("INFO", 9)
    assert first.attributes == {"component": "api"}
    assert (first.trace_id, first.span_id) == ("", "")

    assert second.body == {"msg": "fetch failed", "code": 42}
    assert (second.severity_text, second.severity_number) == ("ERROR", 17)
    assert second.attributes == {"retryable": True}
    fetch = spantree.find(emitted.spans(), "fetchItems")
    assert (second.trace_id, second.span_id) == (fetch.trace_id, fetch.span_id)

    for rec in logs:
        assert rec.resource == RESOURCE
        assert rec.scope == SCOPE
        assert rec.time_ns > 0


def test_request_counts_and_no_errors(emitted):
    assert emitted.request_counts() == {"/v1/traces": 1, "/v1/metrics": 1, "/v1/logs": 1}
    assert emitted.errors() == []


def test_render(emitted):
    text = spantree.render(emitted.spans())
    trace_id = emitted.spans()[0].trace_id
    dur = r"\d+(\.\d)? (ns|µs|ms|s)"
    pattern = "\n".join(
        [
            re.escape(f"trace {trace_id[:8]}…  service.name={SERVICE_NAME}  3 spans"),
            r"└─ GET /items  \[SERVER\] " + dur + r"  ERROR: internal error  "
            r"http\.request\.method=GET http\.route=/items http\.response\.status_code=500",
            r"   ├─ fetchItems  \[INTERNAL\] " + dur + r"  ERROR: boom  "
            r"items\.count=3 cache\.hit=false ratio=0\.5 \+1",
            r"   └─ render  \[INTERNAL\] " + dur + r"  OK",
        ]
    )
    assert re.fullmatch(pattern, text), text
