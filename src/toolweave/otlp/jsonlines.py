"""Spans, log records and metric data points as JSON objects, one per line, for machines.

Every object has a ``"type"``: ``"span"``, ``"log"`` or ``"metric"`` (one data point, with
its metric's name, kind and unit). Ids are lowercase hex, times integer nanoseconds since
the epoch (``*_unix_nano``), attribute maps plain JSON objects; bytes values are base64,
non-finite floats the strings ``"NaN"``, ``"Infinity"``, ``"-Infinity"``.
"""

from __future__ import annotations

import base64
import json
import math
from dataclasses import fields
from typing import Any, Iterator

from toolweave.otlp.model import DataPoint, LogRecord, Metric, Span

__all__ = ["dumps", "log_object", "metric_objects", "span_object"]


def _plain(v: Any) -> Any:
    """``v`` with only JSON types left."""
    if isinstance(v, dict):
        return {str(k): _plain(x) for k, x in v.items()}
    if isinstance(v, (list, tuple)):
        return [_plain(x) for x in v]
    if isinstance(v, (bytes, bytearray)):
        return base64.b64encode(bytes(v)).decode("ascii")
    if isinstance(v, float) and not math.isfinite(v):
        return "NaN" if math.isnan(v) else ("Infinity" if v > 0 else "-Infinity")
    return v


def dumps(obj: dict[str, Any]) -> str:
    """One line of strict JSON (no NaN), UTF-8 characters kept."""
    return json.dumps(_plain(obj), ensure_ascii=False, allow_nan=False, separators=(",", ":"))


def _scope(name: str, version: str) -> dict[str, str]:
    return {"name": name, "version": version}


def span_object(s: Span) -> dict[str, Any]:
    return {
        "type": "span", "trace_id": s.trace_id, "span_id": s.span_id,
        "parent_span_id": s.parent_span_id, "name": s.name, "kind": s.kind,
        "start_time_unix_nano": s.start_ns, "end_time_unix_nano": s.end_ns,
        "duration_ns": s.duration_ns,
        "status": {"code": s.status_code, "message": s.status_message},
        "attributes": s.attributes,
        "events": [{"name": e.name, "time_unix_nano": e.time_ns, "attributes": e.attributes}
                   for e in s.events],
        "links": [{"trace_id": k.trace_id, "span_id": k.span_id, "attributes": k.attributes}
                  for k in s.links],
        "resource": s.resource, "scope": _scope(s.scope, s.scope_version),
    }


def log_object(r: LogRecord) -> dict[str, Any]:
    return {
        "type": "log", "time_unix_nano": r.time_ns, "observed_time_unix_nano": r.observed_time_ns,
        "severity_number": r.severity_number, "severity_text": r.severity_text,
        "body": r.body, "attributes": r.attributes, "event_name": r.event_name,
        "trace_id": r.trace_id, "span_id": r.span_id,
        "resource": r.resource, "scope": _scope(r.scope, r.scope_version),
    }


_RENAMED = {"start_ns": "start_time_unix_nano", "time_ns": "time_unix_nano"}
_EMPTY = (None, ())


def _point(p: DataPoint) -> dict[str, Any]:
    """The point's fields that its kind sets (see :class:`DataPoint`)."""
    out = {}
    for f in fields(p):
        v = getattr(p, f.name)
        if f.name == "attributes" or v not in _EMPTY:
            out[_RENAMED.get(f.name, f.name)] = v
    return out


def metric_objects(m: Metric) -> Iterator[dict[str, Any]]:
    """One object per data point of ``m``."""
    for p in m.data_points:
        yield {
            "type": "metric", "name": m.name, "kind": m.kind, "unit": m.unit,
            "description": m.description, "temporality": m.temporality,
            "is_monotonic": m.is_monotonic, **_point(p),
            "resource": m.resource, "scope": _scope(m.scope, m.scope_version),
        }
