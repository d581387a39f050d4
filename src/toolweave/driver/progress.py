"""Progress of `toolweave go …` on a terminal: one updating line on stderr.

Shown only when stderr is a terminal (and TERM is not `dumb`) and `TOOLWEAVE_PROGRESS` is not
`0`; otherwise every method here is a no-op and the go command runs exactly as it always did.
The line is drawn as `\\r<text>\\x1b[K`, cut to the terminal's width, and only while the cursor
is at the start of a line: anything else written to stderr clears it first and it is drawn
again after a complete line. Toolweave's own messages reach it through a `sys.stderr`
wrapper; the go command's stderr through a pipe (below).

The go command's progress (`go build`: compiling package 37 of at most 527 …) needs two
things, both only while the line is shown:

- **Counting compiles.** `-toolexec` gets a generated POSIX shell shim that appends one line
  per compile, link or vet run (TOOLEXEC_IMPORTPATH) to an events file (O_APPEND), then execs
  the tool, chaining whatever -toolexec the command already had (the user's, or coverexec's
  shim; split as go splits it, each word quoted for the shell). The tool's identity for cache
  keys comes from `<toolexec> <tool> -V=full`, which the shim passes through untouched, and
  -toolexec is not recorded in binaries, so cache hits and outputs are those of a build
  without it (verified: no compile after a plain build, and byte-identical binaries). The
  total is a `go list -deps` of the final command (its overlay and module file: woven code
  adds packages), run beside the build (~0.15 s).
- **Go's stderr through a pipe.** A thread forwards every chunk byte for byte, clearing the
  line before and redrawing it after a chunk that ends a line; so errors go prints mid-build
  land on a clean line. Exit status, stdin and stdout are untouched.

With timings (`--timings`, driver/timings.py) the same shim also times every tool run: it
then runs the tool between two `date` calls instead of exec'ing it, appends one JSON line and
exits with the tool's status; that needs no pipe and changes nothing go prints (but -x's
command lines, which then name the shim), so it is used whether or not the line is shown
(not under -n, which runs nothing and would print it), with a -toolexec from GOFLAGS chained
too.

So the go phase is skipped (the line is cleared before go starts and go inherits the terminal
as before) where either would not be invisible: `go run` (the program inherits go's stderr and
must keep its terminal), -x / -n / -debug-* (they print or record command lines, which would
name the shim), a -toolexec in GOFLAGS (a command-line -toolexec would override it), and,
when stdout is the same terminal, verbs that write to stdout mid-build (`go test`; `-json`).

(One module over the usual size: the line, the shim and the forwarding share one lock and
one idea of where the cursor is.)
"""

from __future__ import annotations

import os
import shlex
import subprocess
import sys
import tempfile
import threading
import time

from .. import env
from .goargs import parse

TICK = 0.1           # seconds between redraws of a changing line
MIN_REDRAW = 0.05    # a `show` sooner than this after the last draw waits for the ticker
CLEAR = b"\r\x1b[K"


class Line:
    """The status line on stderr; inert when disabled. Use as a context manager: leaving it
    clears the line and restores sys.stderr."""

    def __init__(self, enabled: bool):
        self.enabled = enabled
        self._lock = threading.RLock()
        self._text = ""            # what the line should say
        self._drawn = ""           # what it says on screen ("" = nothing drawn)
        self._at_start = True      # the cursor is at the start of a line (our own line aside)
        self._last = 0.0
        self._source = None        # a callable polled by the ticker for the text (go phase)
        self._stop = threading.Event()
        self._ticker: threading.Thread | None = None
        self._stderr = None

    @classmethod
    def for_stderr(cls) -> "Line":
        return cls(wanted())

    def __enter__(self) -> "Line":
        if self.enabled:
            self._stderr = sys.stderr
            sys.stderr = _Stderr(self, self._stderr)
            self._ticker = threading.Thread(target=self._tick, name="toolweave-progress", daemon=True)
            self._ticker.start()
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def show(self, text: str) -> None:
        """Say `text` (drawn now, or by the ticker within TICK)."""
        if not self.enabled:
            return
        with self._lock:
            self._text = text
            if time.monotonic() - self._last >= MIN_REDRAW:
                self._redraw()

    def follow(self, source) -> None:
        """Take the text from `source()` on every tick (None: stop)."""
        with self._lock:
            self._source = source

    def close(self) -> None:
        """Clear the line and stop drawing for good (idempotent)."""
        if not self.enabled:
            return
        self._stop.set()
        if self._ticker and self._ticker is not threading.current_thread():
            self._ticker.join()
        with self._lock:
            self._clear()
            self.enabled = False
            if isinstance(sys.stderr, _Stderr) and sys.stderr.line is self:
                sys.stderr = self._stderr

    def passthrough(self, data: bytes) -> None:
        """Write bytes someone else produced (the go command's stderr) exactly as they are."""
        with self._lock:
            self._clear()
            _write_all(data)
            if data:
                self._at_start = data.endswith(b"\n")
            self._redraw()

    def _tick(self) -> None:
        while not self._stop.wait(TICK):
            source = self._source
            text = None
            if source is not None:
                try:
                    text = source()
                except Exception:   # a display must never break a build
                    text = None
            with self._lock:
                if self._stop.is_set():
                    return
                if text is not None:
                    self._text = text
                self._redraw()

    def _redraw(self) -> None:
        """Draw the text if it changed and the cursor is ours (lock held)."""
        if not self.enabled or not self._at_start:
            return
        text = _fit(self._text)
        if text == self._drawn:
            return
        if not text:
            self._clear()
            return
        _write_all(b"\r" + text.encode("utf-8", "replace") + b"\x1b[K")
        self._drawn, self._last = text, time.monotonic()

    def _clear(self) -> None:
        if self._drawn:
            _write_all(CLEAR)
            self._drawn = ""


OFF = Line(False)


class _Stderr:
    """sys.stderr while the line is shown: clears it before each write and redraws it after
    a complete line."""

    def __init__(self, line: Line, stream):
        self.line, self._stream = line, stream

    def write(self, s: str) -> int:
        with self.line._lock:
            self.line._clear()
            n = self._stream.write(s)
            self._stream.flush()
            if s:
                self.line._at_start = s.endswith("\n")
            self.line._redraw()
        return n

    def flush(self) -> None:
        self._stream.flush()

    def __getattr__(self, name):
        return getattr(self._stream, name)


def wanted() -> bool:
    """Progress is shown on a terminal unless TOOLWEAVE_PROGRESS turns it off."""
    if not env.progress() or os.environ.get("TERM") == "dumb":
        return False
    try:
        return os.isatty(2)
    except OSError:
        return False


def _fit(text: str) -> str:
    """`text` on one line of the terminal (one column spare: no automatic wrap)."""
    try:
        width = os.get_terminal_size(2).columns or 80     # 0: a terminal that never set its size
    except OSError:
        width = 80
    return text.replace("\n", " ")[:max(width - 1, 0)]


def _write_all(data: bytes) -> None:
    while data:
        try:
            n = os.write(2, data)
        except BlockingIOError:
            time.sleep(0.01)
            continue
        except OSError:
            return        # stderr is gone: nothing to show anything on
        data = data[n:]


# ---------------------------------------------------------------------------------------
# The go command


def run_go(line: Line, verb: str, argv: list[str], go_env: dict, goflags: str = "", timings=None) -> int:
    """Run the go command `argv` (whose verb is `verb`) with environment `go_env`; returns
    its exit status. With the line shown and the go phase possible (see the module
    docstring), its progress is shown; else the line is cleared first. With `timings` (a
    timings.Session) every tool run is also timed by the same shim (timings.py)."""
    show = line.enabled and _go_phase(verb, argv, goflags)
    if not show:
        line.close()
        if timings is None or not _can_time(verb, argv, goflags):
            return _timed(timings, _call, argv, go_env)
    with tempfile.TemporaryDirectory(prefix="toolweave-progress-") as tmp:
        events = os.path.join(tmp, "events") if show else None
        if events:
            open(events, "wb").close()
        cmd = parse(verb, argv[2:])
        chained = cmd.flag("-toolexec")
        if chained is None and timings is not None:
            chained = _goflags_toolexec(goflags)     # ours on the command line overrides it
        shim = _shim(tmp, events, chained, timings)
        if shim is None:
            line.close()
            return _timed(timings, _call, argv, go_env)
        shimmed = _with_toolexec(argv, cmd, shim)
        if timings is not None:    # the tools record themselves; a chained driver must not too
            go_env = {k: v for k, v in go_env.items() if k != env.TIMINGS}
        if not show:
            return _timed(timings, _call, shimmed, go_env)
        watch = _GoWatch(verb, events)
        counter = threading.Thread(target=watch.count, args=(verb, argv, go_env), daemon=True)
        counter.start()
        read, write = os.pipe()
        forward = threading.Thread(target=_forward, args=(read, line), daemon=True)
        forward.start()
        line.follow(watch.text)
        try:
            return _timed(timings, _call, shimmed, go_env, stderr=write)
        finally:
            forward.join(timeout=5)   # EOF once go has exited (its tools never hold its stderr)
            line.follow(None)
            watch.stop()
            line.close()


def _timed(timings, call, *args, **kwargs) -> int:
    """call(*args, **kwargs), recorded as the `go command` phase of `timings` (if any)."""
    start = time.monotonic()
    try:
        return call(*args, **kwargs)
    finally:
        if timings is not None:
            timings.phase("go command", start)


def _can_time(verb: str, argv: list[str], goflags: str) -> bool:
    """Tools can be timed unless the go command runs none (-n, which would print the shim)."""
    names = {name for name, _ in parse(verb, argv[2:]).build_flags}
    from_goflags = {"-" + f.lstrip("-").split("=", 1)[0] for f in goflags.split()}
    return os.name == "posix" and "-n" not in names | from_goflags


def _goflags_toolexec(goflags: str) -> str | None:
    """The -toolexec value set in GOFLAGS, if any (a command-line one would hide it)."""
    found = None
    for field in _go_fields(goflags) or []:
        name, eq, value = field.lstrip("-").partition("=")
        if name == "toolexec" and eq:
            found = value
    return found


def _call(argv: list[str], go_env: dict, stderr: int | None = None) -> int:
    """subprocess.call(argv, env=go_env), Ctrl-C included (130); `stderr` (a pipe's write
    end) is closed once the child has it."""
    try:
        try:
            proc = subprocess.Popen(argv, env=go_env, stderr=stderr)
        finally:
            if stderr is not None:
                os.close(stderr)
        with proc:
            try:
                return proc.wait()
            except BaseException:
                proc.kill()
                raise
    except KeyboardInterrupt as err:     # Ctrl-C, or SIGTERM (cache.catch_signals: Interrupted)
        return 128 + getattr(err, "signum", 2)


def _go_phase(verb: str, argv: list[str], goflags: str) -> bool:
    """Whether go's progress can be shown without anything the user would see differently."""
    if verb == "run" or os.name != "posix":
        return False
    names = {name for name, _ in parse(verb, argv[2:]).build_flags}
    from_goflags = {"-" + f.lstrip("-").split("=", 1)[0] for f in goflags.split()}
    if (names | from_goflags) & {"-x", "-n"} or any(n.startswith("-debug-") for n in names | from_goflags):
        return False
    if "-toolexec" in from_goflags:
        return False
    if _stdout_shares_terminal() and (verb not in ("build", "install", "vet") or names & {"-json", "-diff", "-fix"}):
        return False
    return True


def _stdout_shares_terminal() -> bool:
    try:
        return os.isatty(1) and os.path.samestat(os.fstat(1), os.fstat(2))
    except OSError:
        return False


SHIM = """#!/bin/sh
# toolweave: note each compile, link and vet run for the progress line and/or time every tool
# run, then run the tool (generated; see driver/progress.py and driver/timings.py)
case "$2" in
  -V=full) exec {next}"$@" ;;
esac
{count}{run}"""

COUNT = """case "$1" in
  */compile|*/compile.exe) e=c ;;
  */link|*/link.exe) e=l ;;
  */vet|*/vet.exe) e=v ;;
  *) e= ;;
esac
[ -z "$e" ] || {{ printf '%s %s\\n' "$e" "$TOOLEXEC_IMPORTPATH" >> {events}; }} 2>/dev/null
"""


def _shim(tmp: str, events: str | None, toolexec: str | None, timings=None) -> str | None:
    """The -toolexec value running the shim (through /bin/sh: no exec permission needed
    where temporary files live): counting into `events` (if given) and timing into
    `timings` (if given); None if its path cannot be quoted for the go command."""
    path = os.path.join(tmp, "toolexec.sh")
    words = _go_fields(toolexec or "")
    if words is None or any(c in path for c in "'\"\\\n"):
        return None
    chained = "".join(shlex.quote(w) + " " for w in words)
    count = COUNT.format(events=shlex.quote(events)) if events else ""
    run = timings.shim_block(chained) if timings is not None else f'exec {chained}"$@"\n'
    with open(path, "w") as f:
        f.write(SHIM.format(next=chained, count=count, run=run))
    return f"/bin/sh '{path}'" if " " in path else f"/bin/sh {path}"


def _go_fields(value: str) -> list[str] | None:
    """A -toolexec value split as the go command splits it (cmd/internal/quoted.Split:
    blanks separate fields, '…' or "…" quote one, no escapes); None if it cannot be."""
    fields, i, n = [], 0, len(value)
    while True:
        while i < n and value[i] in " \t\n\r":
            i += 1
        if i == n:
            return fields
        if value[i] in "'\"":
            end = value.find(value[i], i + 1)
            if end < 0:
                return None           # go reports the unterminated string itself
            fields.append(value[i + 1:end])
            i = end + 1
            continue
        end = i
        while end < n and value[end] not in " \t\n\r":
            end += 1
        fields.append(value[i:end])
        i = end


def _with_toolexec(argv: list[str], cmd, toolexec: str) -> list[str]:
    """`argv` with its -toolexec (if any) replaced by `toolexec`, -C kept first."""
    rest = cmd.without("-toolexec")
    head = rest[:2] if rest[:1] == ["-C"] else rest[:1] if rest[:1] and rest[0].startswith("-C=") else []
    return [*argv[:2], *head, f"-toolexec={toolexec}", *rest[len(head):]]


def _forward(fd: int, line: Line) -> None:
    """Copy the go command's stderr to ours until EOF."""
    try:
        while True:
            try:
                chunk = os.read(fd, 65536)
            except OSError:
                return
            if not chunk:
                return
            line.passthrough(chunk)
    finally:
        os.close(fd)


class _GoWatch:
    """The go phase's text, from the shim's events file and the build's package count."""

    def __init__(self, verb: str, events: str):
        self.verb = verb
        self._events = open(events, "rb")
        self._partial = b""
        self.compiled = 0
        self.last: tuple[str, str] | None = None      # (kind, import path) of the last event
        self.total: int | None = None
        self.started = time.monotonic()
        self._count: subprocess.Popen | None = None
        self._stopped = False

    def text(self) -> str:
        data = self._events.read()
        if data:
            lines = (self._partial + data).split(b"\n")
            self._partial = lines.pop()
            for raw in lines:
                kind, _, path = raw.decode("utf-8", "replace").partition(" ")
                self.compiled += kind == "c"
                self.last = (kind, path)
        head = f"go {self.verb} [{time.monotonic() - self.started:.0f}s]:"
        if self.last is None:
            return f"{head} loading packages, checking the build cache"
        kind, path = self.last
        of = f" of at most {self.total}" if self.total else ""
        if kind == "c":
            return f"{head} compiling package {self.compiled}{of}: {path} (cached packages are not compiled)"
        done = f"{self.compiled} packages compiled" + (f" of {self.total} in the build; the rest came from the cache"
                                                     if self.total else "")
        return f"{head} {'linking' if kind == 'l' else 'vetting'} {path} ({done})"

    def count(self, verb: str, argv: list[str], go_env: dict) -> None:
        """The number of packages in the build: `go list -deps` with the final flags."""
        cmd = parse(verb, argv[2:])
        where = cmd.flag("-C")
        flags = [f for f in cmd.list_flags() if f != "-C" and not f.startswith("-C=")]
        args = [argv[0], "list", "-e", "-deps", "-f", "{{.ImportPath}}", *flags,
                *(["-test"] if verb in ("test", "vet") else [])]
        args += ["--", *cmd.packages] if cmd.packages else []
        try:
            self._count = subprocess.Popen(args, env=go_env, cwd=os.path.abspath(where) if where else None,
                                           stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                                           stderr=subprocess.DEVNULL)
            if self._stopped:
                self._count.kill()
            out, _ = self._count.communicate()
        except OSError:
            return
        n = sum(1 for line in out.splitlines() if line.strip())
        if self._count.returncode == 0 and n:
            self.total = n

    def stop(self) -> None:
        self._stopped = True
        if self._count is not None and self._count.poll() is None:
            self._count.kill()
        self._events.close()
