"""Archives of the packages woven code adds to a build, for the drop-in driver.

A woven compile imports packages the go command did not plan (our runtime, OpenTelemetry),
and the link needs them and their dependencies. Their archives come from a nested
`go list -e -export -deps` with exactly the parent build's flags (-toolexec included: the
nested build must weave the standard library as this one does, or export data would not
match), run once per build: the first tool call that needs it takes a file lock in the
build's session directory, runs it and writes the answer; concurrent calls wait on the lock
and read it. The go command's build cache makes the archives the parent build would have
built itself, so the link sees one archive per package.
"""

from __future__ import annotations

import fcntl
import json
import os
import subprocess
import time
from dataclasses import dataclass

from .cache import Cache, digest, write_atomic
from .parent import NESTED_VERB, ParentBuild

NESTED = "TOOLWEAVE_NESTED_LIST"     # the nesting depth, in a nested go list's environment
MAX_NESTING = 3                      # nested lists deep, at most (see _list)
SESSION_DAYS = 1                     # session directories older than this are removed


class ExportError(Exception):
    """The added packages cannot be resolved; `str()` is one line for the user."""


@dataclass(frozen=True)
class Exports:
    files: dict                  # import path -> archive (export data), for every package listed
    errors: dict                 # import path -> go list's error for that package

    def require(self, paths) -> dict:
        """The archives listed (`paths` and their dependencies); an ExportError naming the
        first of `paths` without one."""
        missing = sorted(p for p in paths if not self.files.get(p))
        if missing:
            why = self.errors.get(missing[0], "no export data")
            raise ExportError(f"cannot build {missing[0]}, which woven code imports: {why}")
        return self.files


def session_dir(cache: Cache, parent: ParentBuild) -> str:
    """The directory shared by every tool call of one build."""
    path = os.path.join(cache.root, "toolexec", digest(parent.identity)[:24])
    if not os.path.isdir(path):
        os.makedirs(path, exist_ok=True)
        _sweep(os.path.dirname(path))
    return path


def exports(cache: Cache, parent: ParentBuild, packages: frozenset) -> Exports:
    """The archives of `packages` and their dependencies in this build (computed once)."""
    session = session_dir(cache, parent)
    answer = os.path.join(session, "exports-" + digest(*sorted(packages))[:16] + ".json")
    with open(os.path.join(session, "exports.lock"), "a+") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            with open(answer, "rb") as f:
                data = json.loads(f.read())
        except FileNotFoundError:
            data = _list(parent, packages)
            write_atomic(answer, json.dumps(data).encode())
    return Exports(data["files"], data["errors"])


def _nested_env(parent: ParentBuild) -> dict:
    """A nested go list's environment: one level deeper, serving the parent's verb."""
    return {**os.environ, NESTED: str(_nesting() + 1), NESTED_VERB: parent.verb}


def _nesting() -> int:
    """How many nested lists deep this process runs (0: under the user's build)."""
    try:
        return int(os.environ.get(NESTED) or 0)
    except ValueError:
        return 1


def _list(parent: ParentBuild, packages: frozenset) -> dict:
    # A compile inside a nested list may add imports of its own: an aspect of the user's
    # weaves a package that only the added packages depend on (a library's glue imports
    # pgx's multitracer, to which the aspect adds an import of `runtime`). That compile
    # needs a nested list of its own; the runtime's closure (protected: only self-contained
    # aspects weave there) ends such chains at once, and the depth bound stops aspects that
    # would go on adding.
    if _nesting() >= MAX_NESTING:
        raise ExportError(f"woven code adds imports {_nesting()} nested builds deep: refusing to recurse further")
    from .goenv import go_binary

    argv = [parent.go or go_binary(), "list", "-e", "-export", "-deps", "-json=ImportPath,Export,Error,DepsErrors",
            *_nested_flags(parent), *sorted(packages)]
    started = time.monotonic()
    proc = subprocess.run(argv, cwd=parent.cwd, env=_nested_env(parent), capture_output=True, text=True)
    files, errors = {}, {}
    for pkg in _json_stream(proc.stdout):
        path = pkg.get("ImportPath", "")
        if pkg.get("Export"):
            files[path] = pkg["Export"]
        err = (pkg.get("Error") or {}).get("Err") or next(
            (e.get("Err") for e in pkg.get("DepsErrors") or [] if e.get("Err")), "")
        if err:
            # a build error is "# pkg" then the compiler's or toolweave's lines: keep a few
            errors[path] = "; ".join(err.strip().splitlines()[:4])
    if proc.returncode != 0 and not files:
        errors.setdefault("", (proc.stderr.strip().splitlines() or ["go list failed"])[-1])
        for p in packages:
            errors.setdefault(p, errors[""])
    return {"files": files, "errors": errors, "seconds": round(time.monotonic() - started, 3)}


def _nested_flags(parent: ParentBuild) -> list[str]:
    """The parent's flags, with its coverage selection spelled out: without -coverpkg the go
    command covers the main module's packages and those named on the command line, and
    the nested list names our packages, which the parent build does not cover."""
    flags = parent.nested_flags()
    names = {f.split("=", 1)[0] for f in flags}
    if names & {"-cover", "-covermode"} and "-coverpkg" not in names:
        if parent.verb == "test":
            patterns = list(parent.command.packages) if parent.command and parent.command.packages else ["."]
        else:
            from .dropin import find_module

            module = find_module(parent.cwd)
            patterns = [f"{module.path}/..."] if module and module.path else []
        if patterns:
            flags.append("-coverpkg=" + ",".join(patterns))
    return flags


def package_deps(parent: ParentBuild, target: str, test: bool = False) -> list[dict]:
    """ImportPath, Name and Imports of the package `target` (a directory or an import path)
    and all it depends on, its tests' too with `test`, as this build plans them (no
    compiling: nothing runs through the drop-in driver)."""
    from .goenv import go_binary

    argv = [parent.go or go_binary(), "list", "-e", "-deps", *(["-test"] if test else []),
            "-json=ImportPath,Name,Imports", *_nested_flags(parent), target]
    proc = subprocess.run(argv, cwd=parent.cwd, env=_nested_env(parent), capture_output=True, text=True)
    return list(_json_stream(proc.stdout))


def _json_stream(text: str):
    decoder, i = json.JSONDecoder(), 0
    while True:
        while i < len(text) and text[i].isspace():
            i += 1
        if i >= len(text):
            return
        obj, i = decoder.raw_decode(text, i)
        yield obj


def _sweep(root: str) -> None:
    """Remove session directories of builds long finished (best effort)."""
    import shutil

    cutoff = time.time() - SESSION_DAYS * 86400
    try:
        entries = os.listdir(root)
    except OSError:
        return
    for name in entries:
        path = os.path.join(root, name)
        try:
            if os.stat(path).st_mtime < cutoff:
                shutil.rmtree(path, ignore_errors=True)
        except OSError:
            pass
