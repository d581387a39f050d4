"""A small, real OTLP/HTTP receiver for tests and demos.

    from toolweave.otlp import Receiver, spantree

    with Receiver() as r:                       # loopback, free port
        run_app(env={"OTEL_EXPORTER_OTLP_ENDPOINT": r.endpoint})
        r.wait_for(lambda r: len(r.spans()) >= 3)
        spantree.assert_parent(r.spans(), "fetchItems", "GET /items")
        print(spantree.render(r.spans()))

Command line: ``toolweave receive`` or ``python -m toolweave.otlp`` (toolweave.otlp.live):
listen on 127.0.0.1:4318 and print span trees, log records and metric summaries as they
arrive.

Names are imported lazily so that ``python -m toolweave.otlp.receiver`` does not
import the module twice.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # pragma: no cover
    from toolweave.otlp import spantree
    from toolweave.otlp.model import DataPoint, Event, Link, LogRecord, Metric, Span
    from toolweave.otlp.receiver import Receiver

__all__ = [
    "DataPoint",
    "Event",
    "Link",
    "LogRecord",
    "Metric",
    "Receiver",
    "Span",
    "spantree",
]

_LAZY = {
    "Receiver": "toolweave.otlp.receiver",
    "DataPoint": "toolweave.otlp.model",
    "Event": "toolweave.otlp.model",
    "Link": "toolweave.otlp.model",
    "LogRecord": "toolweave.otlp.model",
    "Metric": "toolweave.otlp.model",
    "Span": "toolweave.otlp.model",
}


def __getattr__(name: str) -> Any:
    if name == "spantree":
        return importlib.import_module("toolweave.otlp.spantree")
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'toolweave.otlp' has no attribute {name!r}")
    return getattr(importlib.import_module(module), name)


def __dir__() -> list[str]:
    return sorted(list(globals()) + __all__)
