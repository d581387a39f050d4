"""Plain Python views of OTLP data, decoded from the real protobuf messages.

Every record is a frozen dataclass. Attribute maps are ``dict[str, Any]`` with
OTLP ``AnyValue`` decoded to Python: str, bool, int, float, bytes, list (array)
and dict (kvlist); an empty AnyValue decodes to None. Ids are lowercase hex
strings ("" when absent); timestamps are integer nanoseconds since the epoch.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Iterable, Iterator

from opentelemetry.proto.collector.logs.v1.logs_service_pb2 import ExportLogsServiceRequest
from opentelemetry.proto.collector.metrics.v1.metrics_service_pb2 import (
    ExportMetricsServiceRequest,
)
from opentelemetry.proto.collector.trace.v1.trace_service_pb2 import ExportTraceServiceRequest

__all__ = [
    "DataPoint",
    "Event",
    "Link",
    "LogRecord",
    "Metric",
    "Span",
    "decode_any",
    "decode_attributes",
    "logs_from_request",
    "metrics_from_request",
    "spans_from_request",
]


# --------------------------------------------------------------------------- records


@dataclass(frozen=True)
class Event:
    name: str
    time_ns: int
    attributes: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Link:
    trace_id: str
    span_id: str
    attributes: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Span:
    trace_id: str
    span_id: str
    parent_span_id: str  # "" for a root span
    name: str
    kind: str  # "INTERNAL", "SERVER", "CLIENT", "PRODUCER", "CONSUMER", "UNSPECIFIED"
    start_ns: int
    end_ns: int
    attributes: dict[str, Any]
    status_code: str  # "UNSET", "OK", "ERROR"
    status_message: str
    events: tuple[Event, ...]
    resource: dict[str, Any]
    scope: str
    scope_version: str = ""
    links: tuple[Link, ...] = ()

    @property
    def duration_ns(self) -> int:
        return max(0, self.end_ns - self.start_ns)

    @property
    def duration_ms(self) -> float:
        return self.duration_ns / 1e6

    @property
    def is_root(self) -> bool:
        return not self.parent_span_id

    @property
    def service_name(self) -> str:
        return str(self.resource.get("service.name", ""))


@dataclass(frozen=True)
class DataPoint:
    """One metric data point; which fields are set depends on the metric kind.

    sum/gauge: ``value``. histogram: ``count``, ``sum``, ``bucket_counts``,
    ``explicit_bounds``, ``min``, ``max``. exponential_histogram: ``count``,
    ``sum``, ``min``, ``max``, ``scale``, ``zero_count``. summary: ``count``,
    ``sum``, ``quantiles`` ((quantile, value) pairs).
    """

    attributes: dict[str, Any]
    start_ns: int
    time_ns: int
    value: int | float | None = None
    count: int | None = None
    sum: float | None = None
    bucket_counts: tuple[int, ...] = ()
    explicit_bounds: tuple[float, ...] = ()
    min: float | None = None
    max: float | None = None
    scale: int | None = None
    zero_count: int | None = None
    quantiles: tuple[tuple[float, float], ...] = ()


@dataclass(frozen=True)
class Metric:
    name: str
    kind: str  # "sum", "gauge", "histogram", "exponential_histogram", "summary", "empty"
    description: str
    unit: str
    data_points: tuple[DataPoint, ...]
    resource: dict[str, Any]
    scope: str
    scope_version: str = ""
    temporality: str = ""  # "CUMULATIVE", "DELTA", "UNSPECIFIED"; "" for gauge/summary
    is_monotonic: bool | None = None  # sums only

    def point(self, **attributes: Any) -> DataPoint:
        """The single data point whose attributes include ``attributes``.

        Keys with dots can be given through ``**{"http.route": "/x"}``.
        """
        found = [
            p
            for p in self.data_points
            if all(k in p.attributes and p.attributes[k] == v for k, v in attributes.items())
        ]
        if len(found) != 1:
            have = [p.attributes for p in self.data_points]
            raise AssertionError(
                f"metric {self.name!r}: {len(found)} data points match {attributes!r}; "
                f"data point attributes: {have!r}"
            )
        return found[0]


@dataclass(frozen=True)
class LogRecord:
    body: Any
    severity_text: str
    severity_number: int
    attributes: dict[str, Any]
    trace_id: str
    span_id: str
    resource: dict[str, Any]
    scope: str
    time_ns: int
    observed_time_ns: int = 0
    event_name: str = ""
    scope_version: str = ""


# --------------------------------------------------------------------------- decoding


def decode_any(value: Any) -> Any:
    """OTLP ``AnyValue`` -> Python value."""
    which = value.WhichOneof("value")
    if which is None:
        return None
    if which == "array_value":
        return [decode_any(v) for v in value.array_value.values]
    if which == "kvlist_value":
        return decode_attributes(value.kvlist_value.values)
    return getattr(value, which)


def decode_attributes(kvs: Iterable[Any]) -> dict[str, Any]:
    """Repeated OTLP ``KeyValue`` -> dict (a later duplicate key wins)."""
    return {kv.key: decode_any(kv.value) for kv in kvs}


def _hex(raw: bytes) -> str:
    return raw.hex() if raw and any(raw) else ""


_SPAN_KINDS = {
    0: "UNSPECIFIED",
    1: "INTERNAL",
    2: "SERVER",
    3: "CLIENT",
    4: "PRODUCER",
    5: "CONSUMER",
}
_STATUS_CODES = {0: "UNSET", 1: "OK", 2: "ERROR"}
_TEMPORALITIES = {0: "UNSPECIFIED", 1: "DELTA", 2: "CUMULATIVE"}


def _scope_of(scoped: Any) -> tuple[str, str]:
    if scoped.HasField("scope"):
        return scoped.scope.name, scoped.scope.version
    return "", ""


def _items(resources, scopes: str, items: str) -> Iterator[tuple[dict, str, str, Any]]:
    """(resource attributes, scope name, scope version, item) for every item of an export
    request: the resource -> scope -> items nesting all three signals share."""
    for r in resources:
        resource = decode_attributes(r.resource.attributes)
        for sc in getattr(r, scopes):
            scope, scope_version = _scope_of(sc)
            for item in getattr(sc, items):
                yield resource, scope, scope_version, item


def spans_from_request(req: ExportTraceServiceRequest) -> Iterator[Span]:
    for resource, scope, scope_version, s in _items(req.resource_spans, "scope_spans", "spans"):
        yield Span(
            trace_id=_hex(s.trace_id),
            span_id=_hex(s.span_id),
            parent_span_id=_hex(s.parent_span_id),
            name=s.name,
            kind=_SPAN_KINDS.get(s.kind, str(s.kind)),
            start_ns=s.start_time_unix_nano,
            end_ns=s.end_time_unix_nano,
            attributes=decode_attributes(s.attributes),
            status_code=_STATUS_CODES.get(s.status.code, str(s.status.code)),
            status_message=s.status.message,
            events=tuple(
                Event(e.name, e.time_unix_nano, decode_attributes(e.attributes))
                for e in s.events
            ),
            resource=resource,
            scope=scope,
            scope_version=scope_version,
            links=tuple(
                Link(_hex(l.trace_id), _hex(l.span_id), decode_attributes(l.attributes))
                for l in s.links
            ),
        )


def _opt(msg: Any, name: str) -> Any:
    return getattr(msg, name) if msg.HasField(name) else None


def _point_base(p: Any) -> dict:
    """The fields every kind of data point has."""
    return {"attributes": decode_attributes(p.attributes), "start_ns": p.start_time_unix_nano,
            "time_ns": p.time_unix_nano}


def _number_points(points: Iterable[Any]) -> tuple[DataPoint, ...]:
    out = []
    for p in points:
        which = p.WhichOneof("value")
        out.append(
            DataPoint(
                **_point_base(p),
                value=getattr(p, which) if which else None,
            )
        )
    return tuple(out)


def _metric_body(m: Any) -> tuple[str, tuple[DataPoint, ...], str, bool | None]:
    kind = m.WhichOneof("data")
    if kind == "sum":
        return (
            kind,
            _number_points(m.sum.data_points),
            _TEMPORALITIES.get(m.sum.aggregation_temporality, ""),
            m.sum.is_monotonic,
        )
    if kind == "gauge":
        return kind, _number_points(m.gauge.data_points), "", None
    if kind == "histogram":
        points = tuple(
            DataPoint(
                **_point_base(p),
                count=p.count,
                sum=_opt(p, "sum"),
                bucket_counts=tuple(p.bucket_counts),
                explicit_bounds=tuple(p.explicit_bounds),
                min=_opt(p, "min"),
                max=_opt(p, "max"),
            )
            for p in m.histogram.data_points
        )
        return kind, points, _TEMPORALITIES.get(m.histogram.aggregation_temporality, ""), None
    if kind == "exponential_histogram":
        eh = m.exponential_histogram
        points = tuple(
            DataPoint(
                **_point_base(p),
                count=p.count,
                sum=_opt(p, "sum"),
                min=_opt(p, "min"),
                max=_opt(p, "max"),
                scale=p.scale,
                zero_count=p.zero_count,
            )
            for p in eh.data_points
        )
        return kind, points, _TEMPORALITIES.get(eh.aggregation_temporality, ""), None
    if kind == "summary":
        points = tuple(
            DataPoint(
                **_point_base(p),
                count=p.count,
                sum=p.sum,
                quantiles=tuple((q.quantile, q.value) for q in p.quantile_values),
            )
            for p in m.summary.data_points
        )
        return kind, points, "", None
    return "empty", (), "", None


def metrics_from_request(req: ExportMetricsServiceRequest) -> Iterator[Metric]:
    for resource, scope, scope_version, m in _items(req.resource_metrics, "scope_metrics", "metrics"):
        kind, points, temporality, monotonic = _metric_body(m)
        yield Metric(
            name=m.name,
            kind=kind,
            description=m.description,
            unit=m.unit,
            data_points=points,
            resource=resource,
            scope=scope,
            scope_version=scope_version,
            temporality=temporality,
            is_monotonic=monotonic,
        )


def logs_from_request(req: ExportLogsServiceRequest) -> Iterator[LogRecord]:
    for resource, scope, scope_version, r in _items(req.resource_logs, "scope_logs", "log_records"):
        yield LogRecord(
            body=decode_any(r.body) if r.HasField("body") else None,
            severity_text=r.severity_text,
            severity_number=int(r.severity_number),
            attributes=decode_attributes(r.attributes),
            trace_id=_hex(r.trace_id),
            span_id=_hex(r.span_id),
            resource=resource,
            scope=scope,
            time_ns=r.time_unix_nano,
            observed_time_ns=r.observed_time_unix_nano,
            event_name=getattr(r, "event_name", ""),
            scope_version=scope_version,
        )
