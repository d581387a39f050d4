"""The gRPC integration end to end: apps/grpc (unmodified) serves the standard health service
on two loopback servers, one plain and one that adds otelgrpc itself, and calls them from
clients made with grpc.NewClient, grpc.Dial and grpc.DialContext (the last adding otelgrpc
itself), unary and server-streaming, each from a //weave:span function. Built with toolweave,
each call must give one trace:

    callPlain     INTERNAL
    ├─ grpc.health.v1.Health/Check  CLIENT
    │  └─ grpc.health.v1.Health/Check  SERVER
    └─ grpc.health.v1.Health/Watch  CLIENT
       └─ grpc.health.v1.Health/Watch  SERVER
    callDialed    INTERNAL ── Check CLIENT ── Check SERVER
    callInstrumented INTERNAL ── Check CLIENT ── Check SERVER   (one each: never a second handler)

with rpc.* attributes and otelgrpc's RPC duration metrics; TOOLWEAVE_DISABLED_INTEGRATIONS=grpc
leaves only the spans the program makes itself.
"""

from __future__ import annotations

import pytest

from ecosystem_support import build, modes, one, run
from toolweave.otlp.spantree import render

CHECK, WATCH = "grpc.health.v1.Health/Check", "grpc.health.v1.Health/Watch"


@pytest.fixture(scope="module", params=modes("grpc"))
def traced(request, tw_env, tmp_path_factory):
    binary = build(request.param, "grpc", tw_env, tmp_path_factory.mktemp(f"grpc-{request.param}"),
                   integration="grpc")
    proc, receiver = run(binary, "grpcapp")
    assert proc.returncode == 0 and proc.stdout == "ok\n", proc.stderr
    return receiver.spans(), receiver.metrics()


def children(spans, parent, name=None, kind=None):
    return [s for s in spans if s.parent_span_id == parent.span_id and s.trace_id == parent.trace_id
            and (name is None or s.name == name) and (kind is None or s.kind == kind)]


def caller(spans, function):
    tree = render(spans)
    return one([s for s in spans if s.name == function and s.kind == "INTERNAL"], function, tree), tree


@pytest.mark.parametrize("function, methods", [("callPlain", (CHECK, WATCH)), ("callDialed", (CHECK,)),
                                               ("callInstrumented", (CHECK,))])
def test_each_rpc_has_one_client_and_one_server_span_in_the_callers_trace(traced, function, methods):
    spans, _ = traced
    root, tree = caller(spans, function)
    for method in methods:
        client = one(children(spans, root, method, "CLIENT"), f"{method} client span under {function}", tree)
        server = one(children(spans, client, method, "SERVER"), f"{method} server span under its client", tree)
        for span in (client, server):
            assert span.attributes.get("rpc.system.name", span.attributes.get("rpc.system")) == "grpc", span
            assert "otelgrpc" in span.scope, span.scope
    in_trace = [s for s in spans if s.trace_id == root.trace_id and s.name in (CHECK, WATCH)]
    assert len(in_trace) == 2 * len(methods), tree         # no duplicate anywhere in the trace


def test_rpc_duration_metrics_are_recorded(traced):
    _, metrics = traced
    names = {m.name for m in metrics}
    assert any(n.startswith("rpc.server.") for n in names) and any(n.startswith("rpc.client.") for n in names), names


def test_disabling_the_integration_leaves_the_programs_own_spans(tw_env, tmp_path):
    binary = build("frontend", "grpc", tw_env, tmp_path, {"TOOLWEAVE_DISABLED_INTEGRATIONS": "grpc"})
    proc, receiver = run(binary, "grpcapp")
    assert proc.returncode == 0, proc.stderr
    spans = receiver.spans()
    rpc = [s for s in spans if s.name in (CHECK, WATCH)]
    # only the instrumented pair the program adds itself, none on the plain server
    assert sorted(s.kind for s in rpc) == ["CLIENT", "SERVER"], render(spans)
