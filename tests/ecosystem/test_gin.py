"""The gin integration end to end: apps/gin (unmodified) serves routes with parameters on the
engine and in a group, calls itself over HTTP and exits. Built with toolweave, each request
has exactly one server span (net/http's: the framework enriches it, never a second one), named
after the gin route template with http.route on it and on http.server.request.duration; the
unknown path keeps the plain name and no route; the client span is its parent.
"""

from __future__ import annotations

import pytest

from ecosystem_support import MODES, build, one, run
from toolweave.otlp.spantree import render

ROUTES = {"/users/7": "/users/:id", "/api/v1/items/9": "/api/v1/items/:id"}


@pytest.fixture(scope="module", params=MODES)
def traced(request, tw_env, tmp_path_factory):
    binary = build(request.param, "gin", tw_env, tmp_path_factory.mktemp(f"gin-{request.param}"), integration="gin")
    proc, receiver = run(binary, "ginapp")
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.splitlines() == ["/users/7 200 user 7", "/api/v1/items/9 200 item 9",
                                        "/nowhere 404 404 page not found"], proc.stdout
    return receiver.spans(), receiver.metrics()


@pytest.mark.parametrize("path, route", list(ROUTES.items()) + [("/nowhere", None)])
def test_one_server_span_per_request_named_after_the_route(traced, path, route):
    spans, _ = traced
    tree = render(spans)
    client = one([s for s in spans if s.kind == "CLIENT" and s.attributes.get("url.full", "").endswith(path)],
                 f"client span of {path}", tree)
    servers = [s for s in spans if s.kind == "SERVER" and s.trace_id == client.trace_id]
    server = one(servers, f"server span of {path}", tree)
    assert server.parent_span_id == client.span_id, tree
    assert server.name == (f"GET {route}" if route else "GET"), tree
    assert server.attributes.get("http.route") == route, server.attributes


def test_request_metrics_carry_the_route(traced):
    _, metrics = traced
    routes = {p.attributes.get("http.route") for m in metrics if m.name == "http.server.request.duration"
              for p in m.data_points}
    assert set(ROUTES.values()) <= routes, routes


def test_without_the_integration_spans_keep_the_plain_name(tw_env, tmp_path):
    binary = build("frontend", "gin", tw_env, tmp_path, {"TOOLWEAVE_DISABLED_INTEGRATIONS": "gin"})
    proc, receiver = run(binary, "ginapp")
    assert proc.returncode == 0, proc.stderr
    servers = [s for s in receiver.spans() if s.kind == "SERVER"]
    assert sorted(s.name for s in servers) == ["GET", "GET", "GET"], render(receiver.spans())
