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
"""

from __future__ import annotations

import os
import subprocess
import sys

from .toolcall import Compile, is_version_probe, link_importcfg, tool_name

EXIT_ERROR = 1


def run(argv: list[str]) -> int:
    if not argv:
        print("toolweave toolexec: usage: go build -toolexec 'toolweave toolexec' …", file=sys.stderr)
        return EXIT_ERROR
    tool, args = argv[0], argv[1:]
    name = tool_name(tool)
    if is_version_probe(args):
        return _version(tool, args)
    if name == "compile":
        return _compile(tool, args)
    if name == "link":
        return _link(tool, args)
    return _exec(tool, args)


def _exec(tool: str, args: list[str]) -> int:
    sys.stdout.flush()
    sys.stderr.flush()
    os.execv(tool, [tool, *args])
    return EXIT_ERROR  # not reached


def _context():
    from .dropin import DropIn
    from .parent import parent_build

    return DropIn(parent_build())


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

def _compile(tool: str, args: list[str]) -> int:
    call = Compile.parse(args)
    importcfg = call.flag("-importcfg")
    if not call.files or not importcfg or not call.flag("-o"):
        return _exec(tool, args)
    from .compile import weave_compile, CompileError

    try:
        new_args = weave_compile(_context(), call)
    except CompileError as err:
        print(f"toolweave: {err}", file=sys.stderr)
        return EXIT_ERROR
    return _exec(tool, new_args if new_args is not None else args)


# ----------------------------------------------------------------------------- link

def _link(tool: str, args: list[str]) -> int:
    importcfg = link_importcfg(args)
    if not importcfg:
        return _exec(tool, args)
    from .compile import complete_link

    new_cfg = complete_link(_context(), importcfg)
    if new_cfg is None:
        return _exec(tool, args)
    out = [f"-importcfg={new_cfg}" if a.startswith("-importcfg=") else a for a in args]
    if "-importcfg" in out:
        out[out.index("-importcfg") + 1] = new_cfg
    return _exec(tool, out)

