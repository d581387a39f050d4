"""The drop-in driver's launcher: a small Go program (data/launcher) that the go command
runs for every tool call instead of Python, and the plan it reads.

Python's start-up alone (tens of milliseconds) is more than the whole no-match budget of a
compile, and a build makes hundreds of tool calls, most of which toolweave leaves alone.
The launcher answers those itself: `-V=full` from the plan's fingerprint, non-compile tools
and compiles of packages no aspect can match by running the tool. Everything else, and any
call whose plan is missing or stale, it hands to `toolweave toolexec` with the plan's path
in TOOLWEAVE_LAUNCHER_PLAN, and Python writes the plan there for the next calls.

The plan (text, one fact per line, values in a subset of JSON that the launcher reads without
encoding/json) holds the fingerprint, the aspects' package gates and file prefilters (both
data: toolweave.packagegate, toolweave.prefilter), the packages never woven, and the size
and modification time of every file it was made from, taken before they were read: an edit
at any moment makes it stale. Its key (computed by the launcher only) is the module
directory, the verb, the toolchain (the tool's directory), the variables that select aspects
or the module graph (GOFLAGS, GOWORK) and the build's own -mod/-modfile flags.

The launcher is built once per source and toolweave command into the cache, with the go
command found on PATH; `toolweave env` names it in GOFLAGS.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys

from .cache import Cache, digest, write_atomic

HEADER = "toolweave-plan 3"   # data/launcher/plan.go's planHeader
SOURCE = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "data", "launcher")
NAME = "toolweave-toolexec"
COMMAND = "command"          # beside the launcher: how it runs `toolweave toolexec` (NUL-separated)


class LauncherError(Exception):
    pass


def launcher(cache: Cache, command: list[str], env: dict | None = None) -> str:
    """The launcher's path, built on first use; `command` runs `toolweave toolexec`."""
    files = sorted(os.listdir(SOURCE))
    command = [shutil.which(command[0]) or os.path.abspath(command[0]), *command[1:]]
    parts = [HEADER, json.dumps(command), sys.platform]
    for name in files:
        with open(os.path.join(SOURCE, name), "rb") as f:
            parts += [name, f.read()]
    key = digest(*parts)[:24]

    def fill(tmp: str) -> None:
        build_env = {**(env or os.environ), "GOFLAGS": "", "GOWORK": "off", "CGO_ENABLED": "0",
                     "GO111MODULE": "on"}
        proc = subprocess.run(["go", "build", "-trimpath", "-ldflags=-s -w", "-o", os.path.join(tmp, NAME), "."],
                              cwd=SOURCE, env=build_env, capture_output=True, text=True)
        if proc.returncode != 0:
            raise LauncherError(proc.stderr.strip() or "go build failed")
        write_atomic(os.path.join(tmp, COMMAND), "\0".join(command).encode())

    return os.path.join(cache.directory("launcher", key, fill), NAME)


# ----------------------------------------------------------------------------- the plan

def write_plan(ctx, path: str) -> None:
    """Write the plan of this tool call's build (a DropIn context) at `path`, in the text
    format data/launcher/plan.go reads. Inputs are stat'ed before they are read (go.mod
    excepted: finding the module reads it, and only its go line's side of 1.22 is in the
    fingerprint)."""
    from .codeid import code_files
    from ..config import CONFIG_NAME
    from . import runtime
    from .plan import NEVER_WOVEN

    module = ctx.module
    if module is None:
        return
    # toolweave's own files: the fingerprint holds their code id (codeid.py)
    inputs = [_stat(os.path.join(module.dir, "go.mod")), _stat(os.path.join(module.dir, CONFIG_NAME)),
              *(_stat(p) for p in code_files())]
    for base, dirs, names in os.walk(runtime.source_dir()):
        dirs.sort()
        inputs += [_stat(base)] + [_stat(os.path.join(base, n)) for n in sorted(names)]
    inputs += [_stat(p) for p in ctx.aspect_files]
    inputs += [_stat(p) for p in _module_graph_files(ctx, module.dir)]
    lines = [HEADER, _line("fingerprint", ctx.fingerprint()), _line("runtime", runtime.MODULE),
             _line("module", module.path, module.dir)]
    lines += [_line("input", *i) for i in inputs]
    lines += [_line("never", p) for p in NEVER_WOVEN]
    lines += [_line("protected", p) for p in sorted(ctx.protected) if not _reachable(p, ctx.aspects.aspects)]
    lines += [_line("gate", g, pf) for g, pf in gates(ctx.aspects.aspects)]
    write_atomic(path, ("\n".join(lines) + "\n").encode())


def _reachable(path: str, aspects) -> bool:
    """Whether a self-contained aspect (plan.self_contained) may weave the protected package
    `path`: then its compiles go to Python, which weaves only those aspects there."""
    from ..aspect.facts import PackageFacts
    from ..packagegate import evaluate
    from .plan import self_contained

    facts = PackageFacts(import_path=path)
    return any(self_contained(a) and evaluate(a.join_point.package_gate(), facts) is not False for a in aspects)


def gates(aspects) -> list[tuple]:
    """(package gate, file prefilter) per distinct gate, in first-seen order: the aspects
    that share a gate have their prefilters any-of'd (one match is enough to send the compile
    to Python), and within all/any the parts without a glob come first, since the launcher
    stops at the first part that settles them."""
    merged: dict[str, tuple] = {}
    for a in aspects:
        gate, prefilter = _cheap_first(a.join_point.package_gate()), a.join_point.prefilter()
        key = value(gate)
        if key in merged:
            g, pfs = merged[key]
            pfs.append(prefilter)
        else:
            merged[key] = (gate, [prefilter])
    return [(g, pfs[0] if len(pfs) == 1 else ["any", pfs]) for g, pfs in merged.values()]


def _cheap_first(gate):
    if isinstance(gate, list) and len(gate) == 2 and gate[0] in ("all", "any"):
        parts = [_cheap_first(g) for g in gate[1]]
        return [gate[0], sorted(parts, key=lambda g: _has_glob(g))]   # stable: order kept otherwise
    if isinstance(gate, list) and len(gate) == 2 and gate[0] in ("not", "may"):
        return [gate[0], _cheap_first(gate[1])]
    return gate


def _has_glob(gate) -> bool:
    if not isinstance(gate, list) or len(gate) != 2:
        return False
    if gate[0] in ("glob", "root"):
        return gate[1] is not None
    return any(_has_glob(g) for g in gate[1]) if gate[0] in ("all", "any") else _has_glob(gate[1])


def value(v) -> str:
    """One value of the plan: JSON without ASCII escapes (the subset plan.go's reader takes:
    arrays, strings, integers, null, true, false)."""
    return json.dumps(v, ensure_ascii=False)


def _line(keyword: str, *values) -> str:
    return " ".join([keyword, *map(value, values)])


def _module_graph_files(ctx, module_dir: str) -> list[str]:
    """The files the build's module graph comes from (the fingerprint has its selected
    versions): go.sum, a -modfile and its sum file, and every place a go.work may be."""
    out = [os.path.join(module_dir, "go.sum")]
    modfile = ctx.parent.modfile()
    if modfile:
        out += [modfile, modfile.removesuffix(".mod") + ".sum"]
    work = os.environ.get("GOWORK", "")
    if work and work != "off":
        out += [work, work + ".sum"]
    d = ctx.parent.cwd
    while True:
        out.append(os.path.join(d, "go.work"))
        up = os.path.dirname(d)
        if up == d:
            return out
        d = up


def _stat(path: str) -> tuple[int, int, str]:
    """(size, mtime in ns, path); size -1: the file must not exist."""
    try:
        st = os.stat(path)
    except FileNotFoundError:
        return (-1, 0, path)
    return (st.st_size, st.st_mtime_ns, path)
