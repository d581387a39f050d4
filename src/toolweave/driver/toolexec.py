"""`toolweave toolexec TOOL ARGS…`: the drop-in driver, called by the go command for every
tool invocation of a build (`go build -toolexec 'toolweave toolexec'`, or GOFLAGS).

    -V=full probe  -> the tool's answer plus our fingerprint, so woven and plain archives never
                      share build-cache entries (never fails: a fingerprint that cannot be
                      computed is replaced by one that still differs from a plain build's)
    compile        -> weave the listed files into the action's own directory, swap them in,
                      add `packagefile` lines for the packages woven code imports, drop
                      -complete, keep the main module's language version; or run as given
    link           -> add the archives of every package woven code may have added
    anything else  -> run as given

A tool call is replaced by the tool (exec), so its output and exit status are the tool's.
With TOOLWEAVE_TIMINGS=FILE the tool runs as a child instead and the call is recorded in
FILE (driver/timings.py: wall time from this process's start, toolweave's own share, woven).
"""

from __future__ import annotations

import os
import subprocess
import sys

from ..env import LAUNCHER_PLAN, TIMINGS, verbose
from .toolcall import Compile, is_version_probe, link_importcfg, tool_name

EXIT_ERROR = 1


def run(argv: list[str]) -> int:
    if not argv:
        print("toolweave toolexec: usage: go build -toolexec 'toolweave toolexec' …", file=sys.stderr)
        return EXIT_ERROR
    tool, args = argv[0], argv[1:]
    plan = os.environ.pop(LAUNCHER_PLAN, None)
    if plan:
        _write_plan(plan)
    if is_version_probe(args):
        return _version(tool, args)
    try:
        new_args, woven = _rewrite(tool_name(tool), tool, args)
    except _Refused as err:
        print(f"toolweave: {err}", file=sys.stderr)
        return EXIT_ERROR
    timings = os.environ.get(TIMINGS)
    if timings:
        return _timed(timings, tool, new_args, woven)
    return _exec(tool, new_args)


class _Refused(Exception):
    """A tool call toolweave cannot make as asked; one line for the user."""


def _rewrite(name: str, tool: str, args: list[str]) -> tuple[list[str], bool]:
    """The arguments to run `tool` with, and whether toolweave changed them."""
    if name == "compile":
        new = _compile(args)
    elif name == "link":
        new = _link(args)
    else:
        new = None
    return (args, False) if new is None else (new, True)


def _exec(tool: str, args: list[str]) -> int:
    sys.stdout.flush()
    sys.stderr.flush()
    os.execv(tool, [tool, *args])
    return EXIT_ERROR  # not reached


def _timed(path: str, tool: str, args: list[str], woven: bool) -> int:
    """Run the tool as a child and append its record (timings.py's contract): wall time from
    this process's start, the part before the tool started counted as toolweave's own."""
    import time

    from .timings import append, tool_record

    started = _process_start_ns()
    before, cpu = time.time_ns(), time.process_time_ns()
    code = subprocess.call([tool, *args])
    end = time.time_ns()
    record = tool_record(f"go-{os.getppid()}", tool_name(tool), os.environ.get("TOOLEXEC_IMPORTPATH", ""),
                         started, end - started, code, woven, self_ns=before - started)
    append(path, {**record, "self_cpu_ns": cpu, "driver": "python"})     # the launcher's say "launcher"
    return code


def _process_start_ns() -> int:
    """When this process started (Linux: from /proc, so Python's start-up counts as ours);
    elsewhere, now."""
    import time

    try:
        with open("/proc/self/stat", "rb") as f:
            ticks = int(f.read().rsplit(b")", 1)[1].split()[19])
        with open("/proc/uptime", "rb") as f:
            uptime = float(f.read().split()[0])
        age = uptime - ticks / os.sysconf("SC_CLK_TCK")
        return time.time_ns() - int(max(age, 0.0) * 1e9)
    except (OSError, ValueError, IndexError):
        return time.time_ns()


_CONTEXT = []


def _context():
    """The DropIn context of this tool call (one per process)."""
    if not _CONTEXT:
        from .dropin import DropIn
        from .parent import parent_build

        _CONTEXT.append(DropIn(parent_build()))
    return _CONTEXT[0]


def _write_plan(path: str) -> None:
    """The launcher asked for its plan (driver/launcher.py); a plan that cannot be made only
    means the next calls come to Python too, so this never fails the build."""
    from .launcher import write_plan

    try:
        write_plan(_context(), path)
    except Exception as err:
        if verbose():
            print(f"toolweave: launcher plan not written ({type(err).__name__}: {err})", file=sys.stderr)


def _version(tool: str, args: list[str]) -> int:
    proc = subprocess.run([tool, *args], capture_output=True, text=True)
    sys.stderr.write(proc.stderr)
    if proc.returncode != 0:
        sys.stdout.write(proc.stdout)
        return proc.returncode
    try:
        fp = _context().fingerprint()
    except Exception as err:  # never fail the build over the fingerprint
        from .. import __version__

        print(f"toolweave: warning: fingerprint unavailable ({type(err).__name__}: {err})", file=sys.stderr)
        fp = f"unknown-{__version__}"
    print(with_fingerprint(proc.stdout, fp))
    return 0


def with_fingerprint(line: str, fp: str) -> str:
    """A tool's `-V=full` line with our fingerprint in it. A release toolchain's whole line
    is its identity, so a field is appended; a development toolchain's identity is the
    content ID at the end of its last field (`buildID=…`), so the fingerprint joins that."""
    line = line.strip()
    fields = line.split()
    if len(fields) >= 3 and "devel" in fields[2] and fields[-1].startswith("buildID="):
        return f"{line}.toolweave-{fp}"
    return f"{line} toolweave={fp}"


# ----------------------------------------------------------------------------- compile

def _compile(args: list[str]) -> list[str] | None:
    call = Compile.parse(args)
    if not call.files or not call.flag("-importcfg") or not call.flag("-o"):
        return None
    from .compile import CompileError, weave_compile

    try:
        return weave_compile(_context(), call)
    except CompileError as err:
        raise _Refused(str(err)) from None


# ----------------------------------------------------------------------------- link

def _link(args: list[str]) -> list[str] | None:
    importcfg = link_importcfg(args)
    if not importcfg:
        return None
    from .compile import complete_link

    new_cfg = complete_link(_context(), importcfg)
    if new_cfg is None:
        return None
    out = [f"-importcfg={new_cfg}" if a.startswith("-importcfg=") else a for a in args]
    if "-importcfg" in out:
        out[out.index("-importcfg") + 1] = new_cfg
    return out
