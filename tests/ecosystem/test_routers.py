"""The gin, chi, gorilla/mux and echo integrations end to end: each app (unmodified) serves a
route with a parameter on the router and one on a sub-router or group, calls itself over HTTP
(both routes and an unknown path) and exits. Built with toolweave, each request has exactly one
server span (net/http's: the router enriches it, never a second one), named after the route
template, with http.route on it and on http.server.request.duration; the unknown path keeps
the plain name and no route; the client span is its parent. Without the integration, every
server span keeps the plain name.
"""

from __future__ import annotations

import pytest

from ecosystem_support import build, modes, one, run
from toolweave.otlp.spantree import render

COLON = {"/users/7": "/users/:id", "/api/v1/items/9": "/api/v1/items/:id"}
BRACES = {"/users/7": "/users/{id}", "/api/v1/items/9": "/api/v1/items/{id}"}
ROUTERS = {"gin": COLON, "chi": BRACES, "gorillamux": BRACES, "echo": COLON}  # integration (= app): {path: route}
CASES = [(integration, mode) for integration in ROUTERS for mode in modes(integration)]


@pytest.fixture(scope="module", params=CASES, ids=[f"{i}-{m}" for i, m in CASES])
def traced(request, tw_env, tmp_path_factory):
    integration, mode = request.param
    binary = build(mode, integration, tw_env, tmp_path_factory.mktemp(f"{integration}-{mode}"), integration=integration)
    proc, receiver = run(binary, f"{integration}app")
    assert proc.returncode == 0, proc.stderr
    return integration, proc.stdout, receiver.spans(), receiver.metrics()


def test_one_server_span_per_request_named_after_the_route(traced):
    integration, stdout, spans, _ = traced
    routes = ROUTERS[integration]
    tree = render(spans)
    for path, route in [*routes.items(), ("/nowhere", None)]:
        client = one([s for s in spans if s.kind == "CLIENT" and s.attributes.get("url.full", "").endswith(path)],
                     f"client span of {path}", tree)
        server = one([s for s in spans if s.kind == "SERVER" and s.trace_id == client.trace_id],
                     f"server span of {path}", tree)
        assert server.parent_span_id == client.span_id, tree
        assert server.name == (f"GET {route}" if route else "GET"), tree
        assert server.attributes.get("http.route") == route, server.attributes
    assert stdout.startswith("/users/7 200 user 7\n/api/v1/items/9 200 item 9\n/nowhere 404"), stdout


def test_request_metrics_carry_the_route(traced):
    integration, _, _, metrics = traced
    routes = {p.attributes.get("http.route") for m in metrics if m.name == "http.server.request.duration"
              for p in m.data_points}
    assert set(ROUTERS[integration].values()) <= routes, routes


@pytest.mark.parametrize("integration", list(ROUTERS))
def test_without_the_integration_spans_keep_the_plain_name(tw_env, tmp_path, integration):
    binary = build("frontend", integration, tw_env, tmp_path, {"TOOLWEAVE_DISABLED_INTEGRATIONS": integration})
    proc, receiver = run(binary, f"{integration}app")
    assert proc.returncode == 0, proc.stderr
    servers = [s for s in receiver.spans() if s.kind == "SERVER"]
    assert sorted(s.name for s in servers) == ["GET", "GET", "GET"], render(receiver.spans())
