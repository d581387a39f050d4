"""`toolweave receive` (also ``python -m toolweave.otlp``): see your telemetry without setting
anything up.

Runs the embedded OTLP/HTTP receiver (toolweave.otlp.receiver) and prints on stdout what
arrives, as it arrives:

- a legend of every number shown, once, first;
- span trees (spantree.render): a trace once no new span of it came for ``--settle``
  seconds; more spans of a trace already printed print the whole trace again;
- one line per log record (lines.log_line), at once;
- a summary of the metrics that received points (lines.MetricBoard), once they settled and
  at most every ``--metrics-every`` seconds;
- at exit (``--duration``, SIGINT, SIGTERM): the pending traces, the metrics summary and the
  totals.

``--json`` prints one JSON object per span, log record and metric data point instead, at
once (toolweave.otlp.jsonlines), with no legend and no colour. The endpoint and the
environment to set go to stderr, first. Exit 0, or 1 when the address cannot be bound.
This module imports only the standard library until it runs (the CLI's parser imports it).
"""

from __future__ import annotations

import os
import signal
import sys
import threading
import time
from collections import OrderedDict
from typing import TYPE_CHECKING, Any, Callable

if TYPE_CHECKING:  # pragma: no cover
    from toolweave.otlp.model import LogRecord, Metric, Span
    from toolweave.otlp.receiver import Receiver

__all__ = ["add_arguments", "main", "run"]

NAME = "toolweave receive"
DESCRIPTION = ("See your telemetry without setting anything up: receive OTLP/HTTP on this "
               "machine and print span trees, log records and metric summaries as they arrive.")
KEEP_PRINTED = 256  # traces remembered after printing, to print them whole if more spans come


def _port(text: str) -> int:
    import argparse

    port = int(text)
    if not 0 <= port <= 65535:
        raise argparse.ArgumentTypeError(f"{port} is not a port (0-65535)")
    return port


def _seconds(text: str) -> float:
    import argparse

    value = float(text)
    if not value >= 0:
        raise argparse.ArgumentTypeError(f"{text} is not a number of seconds >= 0")
    return value


def add_arguments(parser: Any) -> None:
    """The command's options, on an ``argparse`` parser."""
    parser.add_argument("--host", default="127.0.0.1",
                        help="address to listen on (default 127.0.0.1: this machine only)")
    parser.add_argument("--port", type=_port, default=4318,
                        help="port (default 4318, OTLP/HTTP's; 0 = any free port, printed at start)")
    parser.add_argument("--json", action="store_true",
                        help='one JSON object per line for every span, log record and metric point '
                             '(its "type" says which); no legend, no colour')
    parser.add_argument("--settle", type=_seconds, default=1.0, metavar="S",
                        help="print a trace once no new span of it arrived for S seconds (default 1)")
    parser.add_argument("--metrics-every", type=_seconds, default=10.0, metavar="S",
                        help="print a metrics summary at most every S seconds (default 10), and at exit")
    parser.add_argument("--duration", type=_seconds, metavar="S",
                        help="stop after S seconds (default: run until Ctrl-C or SIGTERM)")
    parser.add_argument("--color", choices=("auto", "always", "never"), default="auto",
                        help="colour the output (auto: when stdout is a terminal and NO_COLOR is unset)")
    parser.add_argument("-v", "--verbose", action="store_true", help="log each export on stderr")


def main(argv: list[str] | None = None, prog: str = "python -m toolweave.otlp") -> int:
    """Parse ``argv`` (default ``sys.argv[1:]``) and :func:`run`."""
    import argparse

    parser = argparse.ArgumentParser(prog=prog, description=DESCRIPTION)
    add_arguments(parser)
    return run(parser.parse_args(argv))


# --------------------------------------------------------------------------- what is printed


def _write(text: str) -> None:
    sys.stdout.write(text + "\n")
    sys.stdout.flush()


class _Traces:
    """Spans held until their trace settles: no new span of it for ``settle`` seconds."""

    def __init__(self, settle: float):
        self.settle = settle
        self._pending: dict[str, list[Span]] = {}
        self._last: dict[str, float] = {}
        self._printed: OrderedDict[str, list[Span]] = OrderedDict()

    def add(self, spans: list[Span], now: float) -> None:
        for s in spans:
            self._pending.setdefault(s.trace_id, []).append(s)
            self._last[s.trace_id] = now

    def take(self, now: float | None) -> list[tuple[list[Span], int, bool]]:
        """(every span of the trace, how many are new, whether it was printed before) for each
        trace settled at ``now`` (each pending one when ``now`` is None), by first arrival."""
        due = [t for t in self._pending if now is None or now - self._last[t] >= self.settle]
        out = []
        for t in due:
            new, old = self._pending.pop(t), self._printed.pop(t, [])
            del self._last[t]
            self._printed[t] = old + new
            if len(self._printed) > KEEP_PRINTED:
                self._printed.popitem(last=False)
            out.append((old + new, len(new), bool(old)))
        return out


class _Text:
    """The output for people: legend, trees, log lines, metrics summaries, totals."""

    def __init__(self, settle: float, metrics_every: float, color: bool):
        from toolweave.otlp import lines

        self.color, self.metrics_every = color, metrics_every
        self.traces, self.board = _Traces(settle), lines.MetricBoard()
        self.metrics_at, self.summary_at = 0.0, float("-inf")
        self.counts = {"span": 0, "metric point": 0, "log record": 0}

    def begin(self) -> None:
        from toolweave.otlp import lines, spantree

        _write(spantree.legend(color=self.color) + "\n" + lines.legend(color=self.color) + "\n")

    def add(self, spans: list[Span], metrics: list[Metric], logs: list[LogRecord], now: float) -> None:
        from toolweave.otlp import lines

        self.traces.add(spans, now)
        self.board.add(metrics)
        self.metrics_at = now if metrics else self.metrics_at
        for r in sorted(logs, key=lambda r: r.time_ns or r.observed_time_ns):
            _write(lines.log_line(r, color=self.color))
        self.counts["span"] += len(spans)
        self.counts["metric point"] += sum(len(m.data_points) for m in metrics)
        self.counts["log record"] += len(logs)

    def tick(self, now: float | None) -> None:
        """Print what is due at ``now``; everything pending when ``now`` is None."""
        from toolweave.otlp import spantree

        st = spantree.Style(self.color)
        for spans, new, again in self.traces.take(now):
            if again:
                _write(st.dim(f"({new} more span{'' if new == 1 else 's'} of trace "
                              f"{spans[0].trace_id[:8]}… arrived; the whole trace again:)"))
            _write(spantree.render(spans, color=self.color) + "\n")
        settled = now is None or now - self.metrics_at >= self.traces.settle
        if self.board.fresh and settled and (now is None or now - self.summary_at >= self.metrics_every):
            self.summary_at = now if now is not None else time.monotonic()
            _write(self.board.summary(color=self.color) + "\n")

    def end(self) -> None:
        self.tick(None)
        _write("received " + ", ".join(f"{n} {what}{'' if n == 1 else 's'}"
                                       for what, n in self.counts.items()))


class _Json:
    """The output for machines: one object per line, at once."""

    def begin(self) -> None:
        pass

    def add(self, spans: list[Span], metrics: list[Metric], logs: list[LogRecord], now: float) -> None:
        from toolweave.otlp import jsonlines as jl

        objects = [jl.span_object(s) for s in spans] + [jl.log_object(r) for r in logs]
        objects += [o for m in metrics for o in jl.metric_objects(m)]
        if objects:
            _write("\n".join(jl.dumps(o) for o in objects))

    def tick(self, now: float | None) -> None:
        pass

    def end(self) -> None:
        pass


# --------------------------------------------------------------------------- running


def _color(choice: str) -> bool:
    if choice != "auto":
        return choice == "always"
    return sys.stdout.isatty() and not os.environ.get("NO_COLOR")


def _announce(receiver: Receiver) -> None:
    env = receiver.env()
    print(f"{NAME}: listening on {receiver.endpoint} for OTLP/HTTP traces, metrics and logs "
          "(Ctrl-C to stop)\nin the shell that runs your program, set:\n"
          f"export OTEL_EXPORTER_OTLP_ENDPOINT={env['OTEL_EXPORTER_OTLP_ENDPOINT']} "
          f"OTEL_EXPORTER_OTLP_PROTOCOL={env['OTEL_EXPORTER_OTLP_PROTOCOL']}",
          file=sys.stderr, flush=True)


def _loop(receiver: Receiver, out: Any, stop: threading.Event, duration: float | None) -> None:
    """Drain the receiver into ``out`` every 0.1 s until ``stop`` or ``duration``; report
    rejected exports on stderr."""
    deadline = None if duration is None else time.monotonic() + duration
    reported = 0
    while not stop.is_set():
        now = time.monotonic()
        if deadline is not None and now >= deadline:
            break
        stop.wait(0.1 if deadline is None else min(0.1, deadline - now))
        now = time.monotonic()
        out.add(*receiver.drain(), now)
        out.tick(now)
        errors = receiver.errors()
        for e in errors[reported:]:
            print(f"{NAME}: rejected an export: {e}", file=sys.stderr, flush=True)
        reported = len(errors)


def _signals(handler: Callable[..., None]) -> dict[int, Any]:
    return {sig: signal.signal(sig, handler) for sig in (signal.SIGINT, signal.SIGTERM)}


def run(args: Any) -> int:
    """Receive and print until ``args.duration`` or SIGINT/SIGTERM (see the module)."""
    from toolweave.otlp.receiver import Receiver

    receiver = Receiver(args.host, args.port)
    if args.verbose:
        receiver.on_export(lambda path, n: print(f"{NAME}: {path}: {n} item(s)", file=sys.stderr, flush=True))
    try:
        receiver.start()
    except (OSError, OverflowError) as e:
        reason = getattr(e, "strerror", None) or str(e)
        print(f"{NAME}: cannot listen on {args.host}:{args.port}: {reason}"
              " (is another receiver or collector running there? choose another --port)",
              file=sys.stderr)
        return 1
    out = _Json() if args.json else _Text(args.settle, args.metrics_every, _color(args.color))
    stop = threading.Event()
    previous = _signals(lambda *_: stop.set())
    try:
        _announce(receiver)
        out.begin()
        _loop(receiver, out, stop, args.duration)
        receiver.stop()
        out.add(*receiver.drain(), time.monotonic())
        out.end()
    except BrokenPipeError:  # stdout closed (`| head`): stop quietly
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
    finally:
        receiver.stop()
        for sig, handler in previous.items():
            signal.signal(sig, handler)
    return 0
