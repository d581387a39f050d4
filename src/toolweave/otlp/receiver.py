"""An OTLP/HTTP receiver on loopback: stdlib ``http.server`` in a background thread.

Accepts ``POST /v1/traces``, ``/v1/metrics`` and ``/v1/logs`` with
``Content-Type: application/x-protobuf`` (or ``application/json``, OTLP's JSON
mapping with hex ids), optionally ``Content-Encoding: gzip``; decodes them with
the real ``opentelemetry.proto.collector.*.v1`` request messages and answers 200
with the empty ``Export*ServiceResponse``. A body that does not decode gets 400
(with a ``google.rpc.Status``), an unknown content type 415, an unknown path 404;
the receiver stays up. ``GET /`` answers 200 ``ok`` (a readiness probe).

    with Receiver() as r:
        env = {**os.environ, **r.env()}        # OTEL_EXPORTER_OTLP_ENDPOINT, ...
        subprocess.run([app], env=env, check=True)
        r.wait_for(lambda r: len(r.spans()) >= 3)

Command line: ``toolweave receive`` (also ``python -m toolweave.otlp`` and, as before,
``python -m toolweave.otlp.receiver``): see toolweave.otlp.live.
"""

from __future__ import annotations

import base64
import gzip
import json
import socket
import sys
import threading
import time
import zlib
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Callable

from google.protobuf import json_format
from google.protobuf.message import DecodeError, Message
from opentelemetry.proto.collector.logs.v1.logs_service_pb2 import (
    ExportLogsServiceRequest,
    ExportLogsServiceResponse,
)
from opentelemetry.proto.collector.metrics.v1.metrics_service_pb2 import (
    ExportMetricsServiceRequest,
    ExportMetricsServiceResponse,
)
from opentelemetry.proto.collector.trace.v1.trace_service_pb2 import (
    ExportTraceServiceRequest,
    ExportTraceServiceResponse,
)

from toolweave.otlp.model import (
    LogRecord,
    Metric,
    Span,
    logs_from_request,
    metrics_from_request,
    spans_from_request,
)

__all__ = ["Receiver", "ENDPOINTS", "main"]

TRACES, METRICS, LOGS = "/v1/traces", "/v1/metrics", "/v1/logs"
ENDPOINTS = (TRACES, METRICS, LOGS)

_MESSAGES: dict[str, tuple[type[Message], type[Message]]] = {
    TRACES: (ExportTraceServiceRequest, ExportTraceServiceResponse),
    METRICS: (ExportMetricsServiceRequest, ExportMetricsServiceResponse),
    LOGS: (ExportLogsServiceRequest, ExportLogsServiceResponse),
}

PROTOBUF = "application/x-protobuf"
JSON = "application/json"
MAX_BODY = 64 << 20  # 64 MiB, far above any exporter's batch

# OTLP/JSON writes these ids as hex, protobuf's JSON mapping expects base64.
_ID_KEYS = frozenset({"traceId", "spanId", "parentSpanId", "trace_id", "span_id", "parent_span_id"})


class BadRequest(Exception):
    def __init__(self, status: HTTPStatus, message: str):
        super().__init__(message)
        self.status = status
        self.message = message


def _hex_ids_to_base64(node: Any) -> Any:
    if isinstance(node, dict):
        out = {}
        for k, v in node.items():
            if k in _ID_KEYS and isinstance(v, str):
                try:
                    v = base64.b64encode(bytes.fromhex(v)).decode("ascii")
                except ValueError as e:
                    raise BadRequest(HTTPStatus.BAD_REQUEST, f"{k}: not hex: {v!r}") from e
            else:
                v = _hex_ids_to_base64(v)
            out[k] = v
        return out
    if isinstance(node, list):
        return [_hex_ids_to_base64(v) for v in node]
    return node


def _rpc_status(code: int, message: str) -> bytes:
    """A ``google.rpc.Status`` {code, message}, hand-encoded (two fields)."""

    def varint(n: int) -> bytes:
        out = bytearray()
        while True:
            b, n = n & 0x7F, n >> 7
            out.append(b | (0x80 if n else 0))
            if not n:
                return bytes(out)

    msg = message.encode("utf-8")
    return b"\x08" + varint(code) + b"\x12" + varint(len(msg)) + msg


def _decode(path: str, content_type: str, body: bytes) -> Message:
    request_type, _ = _MESSAGES[path]
    req = request_type()
    if content_type == PROTOBUF:
        try:
            req.ParseFromString(body)
        except DecodeError as e:
            raise BadRequest(HTTPStatus.BAD_REQUEST, f"bad protobuf: {e}") from e
        return req
    # JSON
    try:
        doc = json.loads(body.decode("utf-8"))
        json_format.ParseDict(_hex_ids_to_base64(doc), req, ignore_unknown_fields=True)
    except BadRequest:
        raise
    except (ValueError, json_format.ParseError) as e:
        raise BadRequest(HTTPStatus.BAD_REQUEST, f"bad JSON: {e}") from e
    return req


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive, as the OTLP exporters expect
    server_version = "toolweave-otlp"
    timeout = 30  # idle keep-alive connections are dropped after this
    server: "_Server"

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002
        if self.server.receiver.verbose:
            sys.stderr.write("otlp: %s - %s\n" % (self.address_string(), format % args))

    def setup(self) -> None:
        super().setup()
        self.server.receiver._track(self.connection, add=True)

    def finish(self) -> None:
        try:
            super().finish()
        finally:
            self.server.receiver._track(self.connection, add=False)

    # ---------------------------------------------------------------- replies

    def _reply(self, status: int, body: bytes, content_type: str) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def _error(self, status: HTTPStatus, message: str, content_type: str = PROTOBUF) -> None:
        # OTLP/HTTP: the error body is a google.rpc.Status in the request's encoding.
        code = 3 if status == HTTPStatus.BAD_REQUEST else 12  # INVALID_ARGUMENT / UNIMPLEMENTED
        if content_type == JSON:
            body = json.dumps({"code": code, "message": message}).encode()
        else:
            content_type, body = PROTOBUF, _rpc_status(code, message)
        self._reply(status, body, content_type)

    # ---------------------------------------------------------------- body

    def _read_body(self) -> bytes:
        if "chunked" in self.headers.get("Transfer-Encoding", "").lower():
            chunks, total = [], 0
            while True:
                line = self.rfile.readline(65537)
                size = int(line.split(b";", 1)[0].strip() or b"0", 16)
                if size == 0:
                    while self.rfile.readline(65537) not in (b"\r\n", b"\n", b""):
                        pass  # trailers
                    break
                total += size
                if total > MAX_BODY:
                    self.close_connection = True
                    raise BadRequest(HTTPStatus.REQUEST_ENTITY_TOO_LARGE, "body too large")
                chunks.append(self.rfile.read(size))
                self.rfile.readline(65537)  # CRLF after the chunk
            return b"".join(chunks)
        length = int(self.headers.get("Content-Length") or 0)
        if length > MAX_BODY:
            self.close_connection = True
            raise BadRequest(HTTPStatus.REQUEST_ENTITY_TOO_LARGE, "body too large")
        return self.rfile.read(length) if length > 0 else b""

    # ---------------------------------------------------------------- verbs

    def do_GET(self) -> None:  # noqa: N802
        if self.path.split("?", 1)[0] in ("/", "/health"):
            self._reply(HTTPStatus.OK, b"ok\n", "text/plain; charset=utf-8")
        elif self.path.split("?", 1)[0] in ENDPOINTS:
            self._error(HTTPStatus.METHOD_NOT_ALLOWED, "use POST")
        else:
            self._error(HTTPStatus.NOT_FOUND, f"no such endpoint: {self.path}")

    def do_POST(self) -> None:  # noqa: N802
        receiver = self.server.receiver
        path = self.path.split("?", 1)[0].rstrip("/") or "/"
        content_type = self.headers.get("Content-Type", "").split(";", 1)[0].strip().lower()
        reply_type = JSON if content_type == JSON else PROTOBUF
        try:
            body = self._read_body()
        except BadRequest as e:
            receiver._rejected(path, e.message)
            self._error(e.status, e.message, reply_type)
            return
        except (ValueError, OSError) as e:
            self.close_connection = True
            receiver._rejected(path, f"unreadable body: {e}")
            self._error(HTTPStatus.BAD_REQUEST, f"unreadable body: {e}", reply_type)
            return
        if path not in _MESSAGES:
            receiver._rejected(path, "unknown path")
            self._error(HTTPStatus.NOT_FOUND, f"no such endpoint: {path}", reply_type)
            return
        receiver._count(path)
        try:
            if content_type not in (PROTOBUF, JSON):
                raise BadRequest(
                    HTTPStatus.UNSUPPORTED_MEDIA_TYPE,
                    f"unsupported Content-Type {content_type!r}; use {PROTOBUF} or {JSON}",
                )
            encoding = self.headers.get("Content-Encoding", "identity").strip().lower()
            if encoding == "gzip":
                try:
                    body = gzip.decompress(body)
                except (OSError, EOFError, zlib.error) as e:
                    raise BadRequest(HTTPStatus.BAD_REQUEST, f"bad gzip body: {e}") from e
            elif encoding not in ("", "identity"):
                raise BadRequest(
                    HTTPStatus.UNSUPPORTED_MEDIA_TYPE, f"unsupported Content-Encoding {encoding!r}"
                )
            req = _decode(path, content_type, body)
            receiver._store(path, req)
        except BadRequest as e:
            receiver._rejected(path, e.message)
            self._error(e.status, e.message, reply_type)
            return
        except Exception as e:  # never let a payload take the receiver down
            receiver._rejected(path, f"{type(e).__name__}: {e}")
            self._error(HTTPStatus.BAD_REQUEST, f"{type(e).__name__}: {e}", reply_type)
            return
        response = _MESSAGES[path][1]()
        if content_type == JSON:
            self._reply(HTTPStatus.OK, json_format.MessageToJson(response).encode(), JSON)
        else:
            self._reply(HTTPStatus.OK, response.SerializeToString(), PROTOBUF)


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, addr: tuple[str, int], receiver: "Receiver"):
        self.receiver = receiver
        if ":" in addr[0]:
            self.address_family = socket.AF_INET6
        super().__init__(addr, _Handler)


class Receiver:
    """An OTLP/HTTP receiver running in a background thread.

    ``Receiver(host="127.0.0.1", port=0)``; ``start()``/``stop()`` or use it as a
    context manager. ``endpoint`` is the base URL for
    ``OTEL_EXPORTER_OTLP_ENDPOINT``. All accessors return snapshots and are safe
    to call from any thread while exports are arriving.
    """

    def __init__(self, host: str = "127.0.0.1", port: int = 0, *, verbose: bool = False):
        self.host = host
        self._port = port
        self.verbose = verbose
        self._lock = threading.Lock()
        self._spans: list[Span] = []
        self._metrics: list[Metric] = []
        self._logs: list[LogRecord] = []
        self._counts: dict[str, int] = {p: 0 for p in ENDPOINTS}
        self._errors: list[str] = []
        self._conns: set[socket.socket] = set()
        self._server: _Server | None = None
        self._thread: threading.Thread | None = None
        self._on_export: list[Callable[[str, int], None]] = []

    # ---------------------------------------------------------------- lifecycle

    def start(self) -> "Receiver":
        if self._server is not None:
            return self
        self._server = _Server((self.host, self._port), self)
        self._port = self._server.server_address[1]
        self._thread = threading.Thread(
            target=self._server.serve_forever,
            kwargs={"poll_interval": 0.1},
            name=f"otlp-receiver:{self._port}",
            daemon=True,
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        server, self._server = self._server, None
        if server is None:
            return
        server.shutdown()
        server.server_close()
        with self._lock:
            conns = list(self._conns)
        for c in conns:  # wake handler threads parked on idle keep-alive reads
            try:
                c.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
        if self._thread is not None:
            self._thread.join(timeout=5)
            self._thread = None

    close = stop

    def __enter__(self) -> "Receiver":
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    @property
    def running(self) -> bool:
        return self._server is not None

    @property
    def port(self) -> int:
        return self._port

    @property
    def endpoint(self) -> str:
        """Base URL, e.g. ``http://127.0.0.1:43817`` (no path, no trailing slash)."""
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"http://{host}:{self._port}"

    def env(self) -> dict[str, str]:
        """Environment for an OTel SDK to export here over OTLP/HTTP protobuf."""
        return {
            "OTEL_EXPORTER_OTLP_ENDPOINT": self.endpoint,
            "OTEL_EXPORTER_OTLP_PROTOCOL": "http/protobuf",
            "OTEL_EXPORTER_OTLP_INSECURE": "true",
        }

    # ---------------------------------------------------------------- data

    def spans(self) -> list[Span]:
        with self._lock:
            return list(self._spans)

    def metrics(self) -> list[Metric]:
        with self._lock:
            return list(self._metrics)

    def logs(self) -> list[LogRecord]:
        with self._lock:
            return list(self._logs)

    def request_counts(self) -> dict[str, int]:
        """POSTs received per endpoint path (accepted or rejected), e.g. ``{"/v1/traces": 2, ...}``."""
        with self._lock:
            return dict(self._counts)

    def errors(self) -> list[str]:
        """One line per rejected request: ``"<path>: <reason>"``."""
        with self._lock:
            return list(self._errors)

    def drain(self) -> tuple[list[Span], list[Metric], list[LogRecord]]:
        """Take the spans, metrics and log records stored so far, leaving none behind (for a
        consumer that must not hold everything forever); request counts and errors stay."""
        with self._lock:
            # Copied and emptied in place: _store holds on to these very lists.
            out = (list(self._spans), list(self._metrics), list(self._logs))
            self._spans.clear()
            self._metrics.clear()
            self._logs.clear()
        return out

    def clear(self) -> None:
        with self._lock:
            self._spans.clear()
            self._metrics.clear()
            self._logs.clear()
            self._errors.clear()
            self._counts = {p: 0 for p in ENDPOINTS}

    def on_export(self, callback: Callable[[str, int], None]) -> None:
        """Call ``callback(path, n_items)`` (on a server thread) after each accepted export."""
        self._on_export.append(callback)

    def summary(self) -> str:
        with self._lock:
            spans, metrics, logs = list(self._spans), list(self._metrics), list(self._logs)
            counts, errors = dict(self._counts), list(self._errors)
        lines = [
            "requests: " + ", ".join(f"{p}={n}" for p, n in counts.items()),
            f"spans ({len(spans)}): " + ", ".join(repr(s.name) for s in spans),
            f"metrics ({len(metrics)}): " + ", ".join(f"{m.name!r}[{m.kind}]" for m in metrics),
            f"logs ({len(logs)}): " + ", ".join(_short(repr(r.body), 40) for r in logs),
        ]
        if errors:
            lines.append(f"rejected ({len(errors)}): " + "; ".join(errors[-5:]))
        return "\n".join(lines)

    def wait_for(
        self,
        predicate: Callable[["Receiver"], Any],
        timeout: float = 10.0,
        interval: float = 0.05,
    ) -> Any:
        """Poll until ``predicate(self)`` is truthy and return its value.

        Raises AssertionError with a summary of what arrived on timeout; an
        exception raised by the predicate counts as "not yet".
        """
        deadline = time.monotonic() + timeout
        last_exc: BaseException | None = None
        while True:
            try:
                result = predicate(self)
                if result:
                    return result
                last_exc = None
            except Exception as e:  # e.g. IndexError while data is still arriving
                last_exc = e
            if time.monotonic() >= deadline:
                break
            time.sleep(interval)
        why = f" (last predicate error: {type(last_exc).__name__}: {last_exc})" if last_exc else ""
        raise AssertionError(
            f"OTLP receiver at {self.endpoint}: condition not met within {timeout:g}s{why}\n"
            + self.summary()
        )

    # ---------------------------------------------------------------- server side

    def _track(self, conn: socket.socket, add: bool) -> None:
        with self._lock:
            if add:
                self._conns.add(conn)
            else:
                self._conns.discard(conn)

    def _count(self, path: str) -> None:
        with self._lock:
            self._counts[path] = self._counts.get(path, 0) + 1

    def _rejected(self, path: str, reason: str) -> None:
        with self._lock:
            self._errors.append(f"{path}: {reason}")

    def _store(self, path: str, req: Message) -> None:
        if path == TRACES:
            items: list[Any] = list(spans_from_request(req))  # type: ignore[arg-type]
            target = self._spans
        elif path == METRICS:
            items = list(metrics_from_request(req))  # type: ignore[arg-type]
            target = self._metrics
        else:
            items = list(logs_from_request(req))  # type: ignore[arg-type]
            target = self._logs
        with self._lock:
            target.extend(items)
            callbacks = list(self._on_export)
        for cb in callbacks:
            try:
                cb(path, len(items))
            except Exception:  # a callback must not fail the export
                pass


def _short(text: str, n: int) -> str:
    return text if len(text) <= n else text[: n - 1] + "…"


# --------------------------------------------------------------------------- CLI


def main(argv: list[str] | None = None) -> int:
    """The first command line of the receiver: now ``toolweave receive`` (toolweave.otlp.live),
    which prints what arrives as it arrives and what is pending at exit. The old
    ``--print-tree-on-exit`` is accepted and changes nothing."""
    from toolweave.otlp.live import main as live_main

    argv = sys.argv[1:] if argv is None else argv
    return live_main([a for a in argv if a != "--print-tree-on-exit"],
                     prog="python -m toolweave.otlp.receiver")


if __name__ == "__main__":
    sys.exit(main())
