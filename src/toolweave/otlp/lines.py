"""Log records and metrics as short text for people: one line per log record, a summary of
the metrics that changed.

    12:00:03.123  INFO   api: starting request  component=api
    12:00:03.124  ERROR  api: {msg='fetch failed' code=42}  retryable=true  [trace 4bf92f35… span 00f067aa…]

    metrics  service.name=api  3 points of 2 metrics since the last summary
      demo.latency   histogram  1 point   3 measurements, sum 555 ms, min 5.0 ms, max 500 ms
      demo.requests  sum        2 points
          3  {route=/items}
          5  {route=/health}

Every number is given with its unit or explained by :func:`legend`.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Any, Iterable

from toolweave.otlp.model import DataPoint, LogRecord, Metric
from toolweave.otlp.spantree import Style, format_attributes, format_duration, format_value

__all__ = ["MetricBoard", "legend", "log_line", "quantity", "severity"]

LOG_ATTRS = 4  # attributes shown on a log line
SERIES = 3  # series shown per metric
_SEVERITIES = ("TRACE", "DEBUG", "INFO", "WARN", "ERROR", "FATAL")


def legend(*, color: bool = False) -> str:
    """What the numbers of :func:`log_line` and :meth:`MetricBoard.summary` mean, as lines
    indented to follow :func:`toolweave.otlp.spantree.legend`."""
    lines = [
        "log: 12:00:03.123 = when it was emitted (local time); INFO = severity; service: body",
        f"     k=v = its attributes (the first {LOG_ATTRS}); +2 = 2 more attributes not shown",
        "     [trace 4bf92f35… span 00f067aa…] = the first 8 hex digits of its trace and span ids",
        "metrics: 4 points = data points received since the last summary; then the latest value",
        "     of each series (one per attribute set: {k=v}, +2 = 2 more attributes not shown;",
        "     +2 series = 2 more series not shown), in the metric's unit (B = bytes, KiB = 1024 B);",
        "     histograms: how many measurements, and their sum, min and max",
    ]
    return Style(color).dim("        " + "\n        ".join(lines))


def severity(record: LogRecord) -> str:
    """The record's severity text, else the name of its severity number (``INFO``,
    ``WARN3``…), else ``-``."""
    if record.severity_text:
        return record.severity_text
    n = record.severity_number
    if not 1 <= n <= 24:
        return "-"
    step = (n - 1) % 4
    return _SEVERITIES[(n - 1) // 4] + (str(step + 1) if step else "")


def _clock(ns: int) -> str:
    if ns <= 0:
        return "--:--:--.---"
    return time.strftime("%H:%M:%S", time.localtime(ns / 1e9)) + f".{ns // 1_000_000 % 1000:03d}"


def _body(body: Any, width: int = 200) -> str:
    if isinstance(body, str):
        text = body.replace("\r", "\\r").replace("\n", "\\n")
    elif isinstance(body, dict):
        text = "{" + " ".join(f"{k}={format_value(v)}" for k, v in body.items()) + "}"
    elif body is None:
        text = "(no body)"
    else:
        text = format_value(body, width)
    return text if len(text) <= width else text[: width - 1] + "…"


def _paint_severity(st: Style, sev: str) -> str:
    padded = f"{sev:<5}"
    if sev.startswith(("ERROR", "FATAL")):
        return st.red(padded)
    if sev.startswith("WARN"):
        return st.yellow(padded)
    return st.cyan(padded) if sev.startswith("INFO") else padded


def log_line(record: LogRecord, *, color: bool = False) -> str:
    """``time  SEVERITY  service: body  attributes  [trace … span …]`` on one line."""
    st = Style(color)
    service = record.resource.get("service.name")
    parts = [
        st.dim(_clock(record.time_ns or record.observed_time_ns)),
        _paint_severity(st, severity(record)),
        (f"{service}: " if service else "") + st.bold(_body(record.body)),
    ]
    attrs = format_attributes(record.attributes, LOG_ATTRS)
    if attrs:
        parts.append(st.dim(attrs))
    ids = []
    if record.trace_id:
        ids.append(f"trace {record.trace_id[:8]}…")
    if record.span_id:
        ids.append(f"span {record.span_id[:8]}…")
    if ids:
        parts.append(st.dim("[" + " ".join(ids) + "]"))
    return "  ".join(parts)


# --------------------------------------------------------------------------- metrics


@dataclass
class _Entry:
    """One metric of one service: its latest point per series and the points since the last
    summary."""

    metric: Metric
    latest: dict[tuple, DataPoint] = field(default_factory=dict)
    fresh: int = 0


def _series_key(p: DataPoint) -> tuple:
    return tuple(sorted((k, repr(v)) for k, v in p.attributes.items()))


_TIME_UNITS = {"ns": 1, "us": 1e3, "µs": 1e3, "ms": 1e6, "s": 1e9, "min": 60e9, "h": 3600e9}


def _bytes(n: float) -> str:
    if abs(n) < 1024:
        return f"{n:.0f} B"
    for unit in ("KiB", "MiB", "GiB"):
        n /= 1024
        if abs(n) < 1024:
            break
    return f"{n:.1f} {unit}"


def quantity(value: int | float, unit: str) -> str:
    """``value`` in the UCUM ``unit`` of OTel metrics, for people: times as durations
    (``274 µs``), bytes in B/KiB/MiB/GiB, ``{thing}`` as ``things``, ``1`` as nothing."""
    text = f"{value:g}" if isinstance(value, float) else str(value)
    if unit in ("", "1"):
        return text
    if unit.startswith("{") and unit.endswith("}"):  # an annotation: what is counted
        return f"{text} {unit[1:-1]}" + ("" if value == 1 else "s")
    if unit == "By":
        return _bytes(value)
    if value == 0:
        return f"0 {unit}"
    if unit in _TIME_UNITS:
        return format_duration(round(value * _TIME_UNITS[unit]))
    return f"{text} {unit}"


def _point(p: DataPoint, kind: str, unit: str) -> str:
    if kind in ("histogram", "exponential_histogram", "summary"):
        parts = [f"{p.count} measurement" + ("" if p.count == 1 else "s")]
        parts += [f"{name} {quantity(v, unit)}" for name, v in
                  (("sum", p.sum), ("min", p.min), ("max", p.max)) if v is not None]
        return ", ".join(parts)
    return quantity(p.value, unit) if p.value is not None else "(no value)"


def _series(e: _Entry) -> list[str]:
    """The latest value of each series (at most SERIES, then ``+N series``)."""
    m, series = e.metric, list(e.latest.values())
    shown = []
    for p in series[:SERIES]:
        attrs = format_attributes(p.attributes, 3)
        shown.append(_point(p, m.kind, m.unit) + (f"  {{{attrs}}}" if attrs else ""))
    if len(series) > SERIES:
        shown.append(f"+{len(series) - SERIES} series")
    return shown


class MetricBoard:
    """The latest data point of every metric series received, and how many points arrived
    since the last :meth:`summary`."""

    def __init__(self) -> None:
        self._entries: dict[tuple[str, str], _Entry] = {}

    def add(self, metrics: Iterable[Metric]) -> None:
        for m in metrics:
            e = self._entries.setdefault((str(m.resource.get("service.name", "")), m.name), _Entry(m))
            e.metric = m
            for p in m.data_points:
                key = _series_key(p)
                if key not in e.latest or p.time_ns >= e.latest[key].time_ns:
                    e.latest[key] = p
                e.fresh += 1

    @property
    def fresh(self) -> int:
        """Data points received since the last summary."""
        return sum(e.fresh for e in self._entries.values())

    def summary(self, *, color: bool = False) -> str:
        """Per service, one line per metric that received points since the last summary
        (name, kind, points, latest values, a line per series when it has several); "" when
        none did. Resets the fresh counts."""
        st = Style(color)
        services = sorted({s for s, _ in self._entries})
        blocks = [_block(service, entries, st) for service in services
                  if (entries := [e for (s, _), e in sorted(self._entries.items()) if s == service and e.fresh])]
        for e in self._entries.values():
            e.fresh = 0
        return "\n".join(blocks)


def _plural(n: int, what: str) -> str:
    return f"{n} {what}{'' if n == 1 else 's'}"


def _block(service: str, entries: list[_Entry], st: Style) -> str:
    head = st.bold("metrics") + (f"  service.name={service}" if service else "")
    head += f"  {_plural(sum(e.fresh for e in entries), 'point')} of {_plural(len(entries), 'metric')}" \
            " since the last summary"
    width = max(len(e.metric.name) for e in entries)
    kinds = max(len(e.metric.kind) for e in entries)
    counts = [_plural(e.fresh, "point") for e in entries]
    lines = [head]
    for e, n in zip(entries, counts):
        series = _series(e)
        first = series[0] if len(series) == 1 else ""
        lines.append(f"  {st.bold(e.metric.name.ljust(width))}  {st.cyan(e.metric.kind.ljust(kinds))}  "
                     f"{n.ljust(max(map(len, counts)))}  {first}".rstrip())
        lines += [f"      {s}" for s in series if len(series) > 1]
    return "\n".join(lines)
