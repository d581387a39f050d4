"""spantree on synthetic spans: structure, lookups, assertions and rendering."""

from __future__ import annotations

import pytest

from toolweave.otlp import Span, spantree

T1 = "4bf92f3577b34da6a3ce929d0e0e4736"
T2 = "0af7651916cd43dd8448eb211c80319c"


def mk(name, span_id, parent="", trace=T1, start=0, dur_ns=1_000_000, kind="INTERNAL",
       status="UNSET", message="", attrs=None, service="svc"):
    return Span(
        trace_id=trace, span_id=span_id, parent_span_id=parent, name=name, kind=kind,
        start_ns=start, end_ns=start + dur_ns, attributes=attrs or {}, status_code=status,
        status_message=message, events=(), resource={"service.name": service}, scope="test",
    )


ROOT = mk("GET /items", "a1", start=100, dur_ns=12_345_678, kind="SERVER",
          attrs={"user.id": 7, "http.route": "/items", "http.request.method": "GET"})
FETCH = mk("fetchItems", "b2", parent="a1", start=200, dur_ns=3_100_000, status="ERROR", message="boom")
DB = mk("SELECT items", "c3", parent="b2", start=300, dur_ns=900_000, kind="CLIENT",
        attrs={"db.system": "postgresql", "db.statement": "SELECT * FROM items WHERE id = $1 AND deleted = false"})
RENDER = mk("render", "d4", parent="a1", start=5_000_000, dur_ns=1_500, status="OK")
OTHER = mk("job", "e5", trace=T2, start=50, dur_ns=2_000_000_000, kind="CONSUMER", service="worker")
ORPHAN = mk("late", "f6", parent="ffff", trace=T2, start=60, dur_ns=512)
SPANS = [RENDER, DB, ORPHAN, FETCH, OTHER, ROOT]  # deliberately unordered


def test_render():
    assert spantree.render(SPANS) == "\n".join([
        "trace 0af76519…  service.name=worker  2 spans",
        "├─ job  [CONSUMER] 2.00 s",
        "└─ late  [INTERNAL] 512 ns  (orphan: parent ffff… not received)",
        "",
        "trace 4bf92f35…  service.name=svc  4 spans",
        "└─ GET /items  [SERVER] 12.3 ms  http.request.method=GET http.route=/items user.id=7",
        "   ├─ fetchItems  [INTERNAL] 3.1 ms  ERROR: boom",
        "   │  └─ SELECT items  [CLIENT] 900 µs  db.system=postgresql "
        "db.statement='SELECT * FROM items WHERE id = $1 AND …",
        "   └─ render  [INTERNAL] 2 µs  OK",
    ])


def test_render_options():
    text = spantree.render([ROOT], max_attrs=1, full_ids=True)
    assert text.splitlines() == [
        f"trace {T1}  service.name=svc  1 span",
        "└─ GET /items  [SERVER] 12.3 ms  http.request.method=GET +2",
    ]
    colored = spantree.render([FETCH], color=True)
    assert "\x1b[31mERROR: boom\x1b[0m" in colored
    assert spantree.render([]) == ""


def test_format_duration():
    assert [spantree.format_duration(n) for n in (0, 999, 1_000, 999_499, 1_000_000, 99_950_000,
                                                  150_000_000, 1_234_000_000)] == [
        "0 ns", "999 ns", "1 µs", "999 µs", "1.0 ms", "100.0 ms", "150 ms", "1.23 s"]


def test_structure():
    assert list(spantree.by_trace(SPANS)) == [T2, T1]
    f = spantree.forest(SPANS)
    assert [n.span.name for n in f[T1]] == ["GET /items"]
    assert [n.span.name for n in f[T2]] == ["job", "late"]
    assert [n.orphan for n in f[T2]] == [False, True]
    assert [n.span.name for n in f[T1][0].walk()] == ["GET /items", "fetchItems", "SELECT items", "render"]
    assert spantree.roots(SPANS) == [OTHER, ROOT]
    assert spantree.children(SPANS, ROOT) == [FETCH, RENDER]
    assert spantree.children(SPANS, DB) == []
    assert spantree.parent(SPANS, DB) == FETCH
    assert spantree.parent(SPANS, ROOT) is None
    assert spantree.parent(SPANS, ORPHAN) is None


def test_find():
    assert spantree.find(SPANS, "render") is RENDER
    assert spantree.find(SPANS, kind="client") is DB
    assert spantree.find(SPANS, attributes={"http.route": "/items"}) is ROOT
    assert spantree.find_all(SPANS, trace_id=T2) == [OTHER, ORPHAN]
    with pytest.raises(AssertionError, match=r"exactly one span matching \{'name': 'nope'\}, found 0"):
        spantree.find(SPANS, "nope")
    with pytest.raises(AssertionError, match="found 2"):
        spantree.find(SPANS, trace_id=T2)


def test_assert_parent():
    assert spantree.assert_parent(SPANS, "SELECT items", "fetchItems") is DB
    with pytest.raises(AssertionError, match=r"its parent\(s\): \['fetchItems'\]"):
        spantree.assert_parent(SPANS, "SELECT items", "GET /items")
    with pytest.raises(AssertionError, match=r"\['<root>'\]"):
        spantree.assert_parent(SPANS, "job", "x")
    with pytest.raises(AssertionError, match=r"\['<missing ffff>'\]"):
        spantree.assert_parent(SPANS, "late", "x")
    with pytest.raises(AssertionError, match="no span named 'ghost'"):
        spantree.assert_parent(SPANS, "ghost", "x")
    # several spans with the child's name: one under the right parent is enough
    again = mk("fetchItems", "g7", parent="d4", start=6_000_000)
    assert spantree.assert_parent(SPANS + [again], "fetchItems", "render") is again
