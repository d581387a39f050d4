"""Span trees: build them, print them, assert on them.

    print(render(r.spans(), legend=True))
    legend: trace 4bf92f35… = the trace id's first 8 hex digits; 3 spans = spans received in it
    …
    trace 4bf92f35…  service.name=api  3 spans
    └─ GET /items  [SERVER] 12.3 ms  http.route=/items
       ├─ fetchItems  [INTERNAL] 3.1 ms  ERROR: boom
       └─ render  [INTERNAL] 812 µs  OK

    assert_parent(spans, "fetchItems", "GET /items")

Every number the tree shows carries a unit or is explained by :func:`legend` (``+2`` after
the attributes: two more attributes not shown). A span whose parent did not arrive is shown
as a root, marked ``(orphan)``.
Siblings and traces are ordered by start time. Works on any objects with the
attributes of :class:`toolweave.otlp.model.Span`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Iterable, Mapping

from toolweave.otlp.model import Span

__all__ = [
    "Node",
    "Style",
    "assert_parent",
    "by_trace",
    "children",
    "find",
    "find_all",
    "forest",
    "format_attributes",
    "format_duration",
    "format_value",
    "legend",
    "parent",
    "render",
    "roots",
]


@dataclass
class Node:
    span: Span
    children: list["Node"] = field(default_factory=list)
    orphan: bool = False  # has a parent id, but that parent is not among the spans

    def walk(self) -> Iterable["Node"]:
        yield self
        for c in self.children:
            yield from c.walk()


# --------------------------------------------------------------------------- structure


def _key(s: Span) -> tuple[int, int, str]:
    return (s.start_ns, s.end_ns, s.span_id)


def by_trace(spans: Iterable[Span]) -> dict[str, list[Span]]:
    """trace id -> its spans by start time; traces ordered by their first start."""
    groups: dict[str, list[Span]] = {}
    for s in spans:
        groups.setdefault(s.trace_id, []).append(s)
    for g in groups.values():
        g.sort(key=_key)
    return dict(sorted(groups.items(), key=lambda kv: _key(kv[1][0])))


def forest(spans: Iterable[Span]) -> dict[str, list[Node]]:
    """trace id -> root nodes (true roots and orphans), children by start time."""
    out: dict[str, list[Node]] = {}
    for trace_id, group in by_trace(spans).items():
        nodes = {s.span_id: Node(s) for s in group}
        tops: list[Node] = []
        for s in group:  # already sorted, so children come out sorted too
            node = nodes[s.span_id]
            if s.parent_span_id and s.parent_span_id in nodes and s.parent_span_id != s.span_id:
                nodes[s.parent_span_id].children.append(node)
            else:
                node.orphan = bool(s.parent_span_id)
                tops.append(node)
        out[trace_id] = tops
    return out


def roots(spans: Iterable[Span]) -> list[Span]:
    """Spans with no parent id, by start time."""
    return sorted((s for s in spans if not s.parent_span_id), key=_key)


def _match(s: Span, name: str | None, kind: str | None, trace_id: str | None,
           attributes: Mapping[str, Any] | None) -> bool:
    if name is not None and s.name != name:
        return False
    if kind is not None and s.kind != kind.upper():
        return False
    if trace_id is not None and s.trace_id != trace_id:
        return False
    if attributes:
        for k, v in attributes.items():
            if k not in s.attributes or s.attributes[k] != v:
                return False
    return True


def find_all(
    spans: Iterable[Span],
    name: str | None = None,
    *,
    kind: str | None = None,
    trace_id: str | None = None,
    attributes: Mapping[str, Any] | None = None,
) -> list[Span]:
    """All spans matching every given criterion, by start time."""
    return sorted((s for s in spans if _match(s, name, kind, trace_id, attributes)), key=_key)


def find(
    spans: Iterable[Span],
    name: str | None = None,
    *,
    kind: str | None = None,
    trace_id: str | None = None,
    attributes: Mapping[str, Any] | None = None,
) -> Span:
    """The one span matching every given criterion; AssertionError if none or several."""
    spans = list(spans)
    found = find_all(spans, name, kind=kind, trace_id=trace_id, attributes=attributes)
    if len(found) != 1:
        crit = {k: v for k, v in
                {"name": name, "kind": kind, "trace_id": trace_id, "attributes": attributes}.items()
                if v is not None}
        raise AssertionError(
            f"expected exactly one span matching {crit}, found {len(found)}; spans:\n"
            + (render(spans) if spans else "(none)")
        )
    return found[0]


def children(spans: Iterable[Span], span: Span) -> list[Span]:
    """Direct children of ``span``, by start time."""
    return sorted(
        (s for s in spans
         if s.trace_id == span.trace_id and s.parent_span_id == span.span_id and s is not span),
        key=_key,
    )


def parent(spans: Iterable[Span], span: Span) -> Span | None:
    """The parent of ``span`` among ``spans``, or None (a root, or parent not received)."""
    if not span.parent_span_id:
        return None
    for s in spans:
        if s.trace_id == span.trace_id and s.span_id == span.parent_span_id:
            return s
    return None


def assert_parent(spans: Iterable[Span], child_name: str, parent_name: str) -> Span:
    """Assert some span named ``child_name`` has a parent named ``parent_name``.

    Returns the first such child (by start time). On failure the AssertionError
    says what the children's parents were and shows the tree.
    """
    spans = list(spans)
    kids = find_all(spans, child_name)
    if not kids:
        raise AssertionError(
            f"no span named {child_name!r}; spans:\n" + (render(spans) if spans else "(none)")
        )
    seen = []
    for k in kids:
        p = parent(spans, k)
        if p is not None and p.name == parent_name:
            return k
        seen.append(
            p.name if p is not None
            else ("<root>" if not k.parent_span_id else f"<missing {k.parent_span_id}>")
        )
    raise AssertionError(
        f"no span {child_name!r} is a child of {parent_name!r}; its parent(s): {seen}\n"
        + render(spans)
    )


# --------------------------------------------------------------------------- rendering

# Shown first when present; other attributes follow in their own order.
_PREFERRED = (
    "http.request.method", "http.method", "http.route", "url.path", "http.target",
    "http.response.status_code", "http.status_code", "rpc.system", "rpc.method",
    "db.system", "db.system.name", "db.operation", "db.operation.name",
    "messaging.system", "messaging.destination.name", "server.address", "error.type",
)


def format_duration(ns: int) -> str:
    if ns < 1_000:
        return f"{ns} ns"
    if ns < 1_000_000:
        return f"{ns / 1e3:.0f} µs"
    if ns < 1_000_000_000:
        ms = ns / 1e6
        return f"{ms:.1f} ms" if ms < 100 else f"{ms:.0f} ms"
    return f"{ns / 1e9:.2f} s"


def format_value(v: Any, width: int = 40) -> str:
    """An attribute value on one line, at most ``width`` characters (``…`` when cut)."""
    if isinstance(v, str):
        text = v if v and not any(c.isspace() for c in v) else repr(v)
    elif isinstance(v, bool):
        text = "true" if v else "false"
    elif isinstance(v, float):
        text = f"{v:g}"
    elif isinstance(v, list):
        text = "[" + ",".join(format_value(x, width) for x in v) + "]"
    else:
        text = repr(v)
    return text if len(text) <= width else text[: width - 1] + "…"


def format_attributes(attributes: Mapping[str, Any], limit: int) -> str:
    """``k=v`` for the first ``limit`` attributes (well-known HTTP/RPC/DB keys first), then
    ``+N`` when N more are not shown."""
    if limit <= 0 or not attributes:
        return ""
    keys = [k for k in _PREFERRED if k in attributes]
    keys += [k for k in attributes if k not in keys]
    shown = [f"{k}={format_value(attributes[k])}" for k in keys[:limit]]
    if len(keys) > limit:
        shown.append(f"+{len(keys) - limit}")
    return " ".join(shown)


class Style:
    """ANSI styles, or plain text when ``color`` is false."""

    def __init__(self, color: bool):
        self.color = color

    def _wrap(self, code: str, text: str) -> str:
        return f"\x1b[{code}m{text}\x1b[0m" if self.color and text else text

    def bold(self, t: str) -> str:
        return self._wrap("1", t)

    def dim(self, t: str) -> str:
        return self._wrap("2", t)

    def red(self, t: str) -> str:
        return self._wrap("31", t)

    def green(self, t: str) -> str:
        return self._wrap("32", t)

    def yellow(self, t: str) -> str:
        return self._wrap("33", t)

    def cyan(self, t: str) -> str:
        return self._wrap("36", t)


def _line(node: Node, st: Style, max_attrs: int) -> str:
    s = node.span
    parts = [
        st.bold(s.name or "<unnamed>"),
        st.cyan(f"[{s.kind}]") + " " + format_duration(s.duration_ns),
    ]
    if s.status_code == "ERROR":
        parts.append(st.red("ERROR" + (f": {s.status_message}" if s.status_message else "")))
    elif s.status_code == "OK":
        parts.append(st.green("OK"))
    attrs = format_attributes(s.attributes, max_attrs)
    if attrs:
        parts.append(st.dim(attrs))
    if node.orphan:
        parts.append(st.dim(f"(orphan: parent {s.parent_span_id[:8]}… not received)"))
    return "  ".join(parts)


def legend(*, max_attrs: int = 3, color: bool = False, full_ids: bool = False) -> str:
    """What every number and mark of :func:`render`'s output means, as lines that start with
    ``legend:`` (then indented); for printing once above the trees."""
    tid = "4bf92f3577b34da6a3ce929d0e0e4736 = the trace id" if full_ids else (
        "4bf92f35… = the trace id's first 8 hex digits")
    lines = [
        f"trace {tid}; 3 spans = spans received in that trace",
        "├─ name  [KIND] 12.3 ms = span name, kind and duration; OK / ERROR: … = the span's status",
        f"k=v = the span's attributes (the first {max_attrs}); +2 = 2 more attributes not shown",
        "(orphan: …) = the span's parent was not received",
    ]
    text = "legend: " + "\n        ".join(lines)
    return Style(color).dim(text)


_legend = legend  # render's parameter of the same name hides the function


def render(
    spans: Iterable[Span],
    *,
    max_attrs: int = 3,
    color: bool = False,
    full_ids: bool = False,
    legend: bool = False,
) -> str:
    """An indented tree per trace (traces by start time, blank line between); with
    ``legend=True`` preceded by :func:`legend` and a blank line."""
    st = Style(color)
    blocks = [_legend(max_attrs=max_attrs, color=color, full_ids=full_ids)] if legend else []
    for trace_id, tops in forest(spans).items():
        count = sum(1 for t in tops for _ in t.walk())
        first = tops[0].span
        tid = trace_id if full_ids else (trace_id[:8] + "…" if trace_id else "<no trace id>")
        head = [st.bold(f"trace {tid}")]
        service = first.resource.get("service.name")
        if service:
            head.append(st.dim(f"service.name={service}"))
        head.append(st.dim(f"{count} span" + ("" if count == 1 else "s")))
        lines = ["  ".join(head)]

        def emit(node: Node, prefix: str, last: bool) -> None:
            lines.append(prefix + ("└─ " if last else "├─ ") + _line(node, st, max_attrs))
            below = prefix + ("   " if last else "│  ")
            for i, c in enumerate(node.children):
                emit(c, below, i == len(node.children) - 1)

        for i, top in enumerate(tops):
            emit(top, "", i == len(tops) - 1)
        blocks.append("\n".join(lines))
    return "\n\n".join(blocks)

