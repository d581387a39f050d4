"""Context-less instrumented calls across a plan: `toolweave list`'s section, and the note a
build prints once per module.

Only the local modules are looked at (the main module, and every module of a go.work
workspace: what go list marks Main), never GOROOT or the module cache: the user can change
only their own calls. Only the active built-in integrations count (a disabled one
instruments nothing). The per-file rules are aspect/contextless.py's.

The note is remembered per module (path and directory) in the cache, `notes/`; once it has
been printed for a module, later builds do not scan that module at all, so the note costs a
build nothing after the first. A module with no finding is scanned again on the next full
build (the fast paths never scan): most files fail the byte test, so that is a few
milliseconds on a typical module.
"""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass

from ..aspect.contextless import INTEGRATIONS, Finding, scan_source
from ..aspect.facts import PackageFacts
from .cache import Cache, digest, write_atomic

#: Lines `toolweave list` prints before cutting the section short.
LIST_LIMIT = 50
HEADING = ("Calls without a context: {n} (their spans start traces of their own; "
           "pass the request's ctx, e.g. QueryContext, or set gls: true in toolweave.yml)")
#: With goroutine-local context (gls.yml) the calls join their goroutine's span.
HEADING_GLS = ("Calls without a context: {n} (they join the span of the goroutine they run on, through "
               "goroutine-local context; work handed to another goroutine does not: pass the request's ctx, "
               "e.g. QueryContext)")


@dataclass(frozen=True)
class PackageFindings:
    """The findings in one package of a local module, in file and line order."""

    module: str
    module_dir: str
    package: str
    findings: tuple[Finding, ...]


def active_integrations(config) -> frozenset:
    """The built-in integrations that are enabled and have context-less calls to find."""
    return frozenset(name for name, _ in config.active_builtins()) & INTEGRATIONS


def local_modules(packages) -> dict[str, str]:
    """{module path: directory} of every local module (main or workspace) in the plan."""
    return {p.module.path: p.module.dir for p in packages if _local(p)}


def scan(packages, integrations: frozenset, read, modules: frozenset | None = None) -> list[PackageFindings]:
    """The findings of every package of the local modules (only those in `modules`, when
    given), in plan order; a file shared by package variants (`go test`) counts once.
    `read(path) -> bytes` reads a file as the build sees it."""
    out, seen = [], set()
    for pkg in packages:
        if not integrations or not _local(pkg) or (modules is not None and pkg.module.path not in modules):
            continue
        facts = PackageFacts(import_path=pkg.path, name=pkg.name, imports=pkg.imports)
        root = os.path.join(pkg.module.dir, "")
        found = []
        for path in pkg.go_files:
            if path in seen or not path.endswith(".go") or not path.startswith(root):
                continue
            seen.add(path)
            found.extend(scan_source(path, read(path), facts, integrations))
        if found:
            out.append(PackageFindings(pkg.module.path, pkg.module.dir, pkg.path, tuple(found)))
    return out


def planned_findings(planned) -> list[PackageFindings]:
    """`scan` of a planned build (build.frontend.Planned), reading files through the
    user's overlay as the build does."""
    return scan(planned.packages, active_integrations(planned.config), overlay_reader(planned.user_overlay))


def overlay_reader(user_overlay: dict):
    """read(path) -> bytes of a file as the build sees it: the user's `-overlay` replacement
    if there is one ('' means deleted: empty)."""
    def read(path: str) -> bytes:
        target = user_overlay.get(path, path)
        if not target:
            return b""
        with open(target, "rb") as f:
            return f.read()
    return read


def listing(found: list[PackageFindings], cwd: str, limit: int = LIST_LIMIT, gls: bool = False) -> list[str]:
    """`toolweave list`'s section: a heading with the count (saying what becomes of the
    calls: with `gls`, goroutine-local context), then each call as
    `path:LINE: call (integration: fix)` under its package; at most `limit` calls."""
    total = sum(len(p.findings) for p in found)
    lines = [(HEADING_GLS if gls else HEADING).format(n=total)]
    shown = 0
    for pf in found:
        if shown >= limit:
            break
        lines.append(f"  {pf.package} ({len(pf.findings)})")
        for f in pf.findings[:limit - shown]:
            lines.append(f"    {_relative(f.path, cwd)}:{f.line}: {f.describe()}")
            shown += 1
    if total > shown:
        lines.append(f"  … and {total - shown} more")
    return lines


def note(module: str, count: int) -> str:
    """The one line a build prints about a module's findings."""
    if count == 1:
        return (f"toolweave: note: 1 instrumented call in module {module} passes no context.Context, "
                f"so its span starts a trace of its own; run \"toolweave list\" to see it (gls: true in "
                f"toolweave.yml joins it to its goroutine's span)")
    return (f"toolweave: note: {count} instrumented calls in module {module} pass no context.Context, "
            f"so their spans start traces of their own; run \"toolweave list\" to see them (gls: true in "
            f"toolweave.yml joins them to their goroutine's span)")


def note_after_build(planned) -> None:
    """The note after a successful build of a planned build (build.frontend.Planned). Only
    advice: a failure here is reported as a warning and never changes go's exit status."""
    try:
        note_once(planned.packages, planned.config, planned.cache, overlay_reader(planned.user_overlay))
    except Exception as err:                # noqa: BLE001 - the build has succeeded already
        print(f"toolweave: warning: looking for calls without a context failed: {type(err).__name__}: {err}",
              file=sys.stderr)


def note_once(packages, config, cache: Cache, read, out=None) -> list[str]:
    """Print (to `out`, default stderr) the note for every local module that has findings
    and has not had it yet, and remember it; returns the lines printed. Modules already
    noted are not scanned; with goroutine-local context on, there is no note."""
    out = out or sys.stderr
    if config.gls:
        return []       # the calls join their goroutine's span: nothing to warn about
    modules = {path: d for path, d in local_modules(packages).items()
               if not os.path.exists(_marker(cache, path, d))}
    if not modules:
        return []
    counts: dict[str, int] = {}
    for pf in scan(packages, active_integrations(config), read, frozenset(modules)):
        counts[pf.module] = counts.get(pf.module, 0) + len(pf.findings)
    printed = []
    for module, count in counts.items():
        line = note(module, count)
        print(line, file=out)
        write_atomic(_marker(cache, module, modules[module]), f"{count}\n".encode())
        printed.append(line)
    return printed


def _marker(cache: Cache, module: str, module_dir: str) -> str:
    return cache.path("notes", digest("contextless", module, module_dir))


def _local(pkg) -> bool:
    return bool(pkg.module and pkg.module.main and pkg.module.dir and not pkg.standard)


def _relative(path: str, cwd: str) -> str:
    rel = os.path.relpath(path, cwd)
    return path if rel.startswith("..") else rel
