"""One distributed trace across the ecosystem, from unmodified sources: apps/distributed runs
as two processes, a gin frontend whose GET /items/:id calls a gRPC backend, which looks the item
up in Redis (go-redis) and, on a miss, in PostgreSQL (a pgx pool), caches it, and logs the
lookup with zap. Built with toolweave and asked twice for one item, each request is one trace
across both processes: the frontend's server span named by gin's route, its gRPC client span,
the backend's gRPC server span under it, and under that the Redis and PostgreSQL client spans
(PostgreSQL only on the miss); the backend's own zap line carries the trace id.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import time
import urllib.error
import urllib.request
from contextlib import ExitStack

import pytest

from ecosystem_support import build, modes, one
from redisserver import command
from toolweave.otlp.receiver import Receiver
from toolweave.otlp.spantree import render


class Service:
    """One role of the app, started with the receiver's environment; `addr` once it serves."""

    def __init__(self, binary, role: str, env: dict):
        self.proc = subprocess.Popen([str(binary), role], env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                     text=True)
        line = self.proc.stdout.readline()
        if not line.startswith("listening "):
            self.proc.kill()
            pytest.fail(f"{role} did not start: {line}{self.proc.stderr.read()}", pytrace=False)
        self.addr = line.split()[1]

    def stop(self) -> tuple[str, str]:
        """SIGTERM, then (stdout, stderr): the program flushes its telemetry as main returns."""
        self.proc.send_signal(signal.SIGTERM)
        out, err = self.proc.communicate(timeout=60)
        assert self.proc.returncode == 0, err
        return out, err


def svc(span) -> str:
    return span.resource.get("service.name", "")


def get(url: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=30) as resp:
            return resp.status, resp.read().decode()
    except urllib.error.HTTPError as err:
        return err.code, err.read().decode()


@pytest.fixture(scope="module", params=modes("distributed"))
def traced(request, tw_env, tmp_path_factory, redis_servers, pg_dsn):
    binary = build(request.param, "distributed", tw_env, tmp_path_factory.mktemp(f"distributed-{request.param}"))
    base = {k: v for k, v in os.environ.items() if not k.startswith(("OTEL_", "TOOLWEAVE_"))}
    with Receiver() as receiver, ExitStack() as stack:
        env = {**base, **receiver.env(), "OTEL_BSP_SCHEDULE_DELAY": "100", "OTEL_BLRP_SCHEDULE_DELAY": "100",
               "PG_DSN": pg_dsn, "REDIS_ADDR": f"127.0.0.1:{redis_servers.plain}"}
        backend = Service(binary, "backend", {**env, "OTEL_SERVICE_NAME": "backend"})
        stack.callback(backend.proc.kill)
        frontend = Service(binary, "frontend", {**env, "OTEL_SERVICE_NAME": "frontend", "BACKEND_ADDR": backend.addr})
        stack.callback(frontend.proc.kill)
        command(redis_servers.plain, "DEL", "item:1")       # a cold cache
        responses = [get(f"http://{frontend.addr}/items/1") for _ in range(2)] + [get(f"http://{frontend.addr}/items/9")]
        frontend.stop()
        _, backend_log = backend.stop()
        time.sleep(0.2)
    return responses, receiver.spans(), backend_log


def test_the_service_answers(traced):
    responses, _, _ = traced
    assert responses == [(200, "lamp"), (200, "lamp"), (404, "not found")]


def _requests(spans):
    servers = sorted((s for s in spans if s.kind == "SERVER" and svc(s) == "frontend"), key=lambda s: s.start_ns)
    assert [s.name for s in servers] == ["GET /items/:id"] * 3, render(spans)
    return [[s for s in spans if s.trace_id == server.trace_id] for server in servers]


def test_each_request_is_one_trace_across_both_processes(traced):
    _, spans, _ = traced
    tree = render(spans)
    for trace in _requests(spans):
        by_id = {s.span_id: s for s in trace}
        server = one([s for s in trace if s.kind == "SERVER" and svc(s) == "frontend"], "frontend server span", tree)
        assert server.parent_span_id == "" and server.attributes.get("http.route") == "/items/:id", tree
        client = one([s for s in trace if s.kind == "CLIENT" and s.name == "inventory.Inventory/Get"], "gRPC client", tree)
        assert svc(client) == "frontend" and svc(by_id[client.parent_span_id]) == "frontend", tree
        backend = one([s for s in trace if s.kind == "SERVER" and svc(s) == "backend"], "backend server span", tree)
        assert backend.name == "inventory.Inventory/Get" and backend.parent_span_id == client.span_id, tree
        for s in trace:                               # nothing of the backend outside its server span
            ancestor = s
            while ancestor.parent_span_id and ancestor is not backend and svc(s) == "backend":
                ancestor = by_id[ancestor.parent_span_id]
            assert svc(s) != "backend" or ancestor is backend, tree


def test_the_backend_calls_redis_then_postgresql_only_on_a_miss(traced):
    _, spans, _ = traced
    tree = render(spans)
    miss, hit, missing = _requests(spans)

    def calls(trace):
        """The client calls right under the backend's server span, in order."""
        server = one([s for s in trace if s.kind == "SERVER" and svc(s) == "backend"], "backend span", tree)
        return [(s.attributes.get("db.system.name") or s.attributes.get("db.system"), s.name)
                for s in sorted(trace, key=lambda s: s.start_ns) if s.parent_span_id == server.span_id]

    pg = [("postgresql", "pool.acquire"), ("postgresql", "SELECT")]
    assert calls(miss) == [("redis", "get"), *pg, ("redis", "set")], tree
    assert calls(hit) == [("redis", "get")], tree
    assert calls(missing) == [("redis", "get"), *pg], tree
    query = sorted((s for s in miss if s.name == "SELECT"), key=lambda s: s.start_ns)[0]
    assert query.attributes.get("db.query.text") == "SELECT name FROM items WHERE id = $1 AND name <> ?", tree
    grpc_server = one([s for s in missing if s.kind == "SERVER" and svc(s) == "backend"], "backend span", tree)
    assert grpc_server.attributes.get("rpc.response.status_code") == "NOT_FOUND", grpc_server.attributes


def test_zap_lines_carry_the_trace_id(traced):
    _, spans, backend_log = traced
    lookups = [json.loads(line) for line in backend_log.splitlines() if line.startswith("{") and '"lookup"' in line]
    traces = [[s for s in trace if s.kind == "SERVER" and svc(s) == "backend"][0] for trace in _requests(spans)]
    assert [(line.get("trace_id"), line.get("span_id")) for line in lookups] == \
        [(s.trace_id, s.span_id) for s in traces], backend_log
