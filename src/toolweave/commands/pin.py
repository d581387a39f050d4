"""`toolweave pin [--dry-run]`: write the drop-in driver's requirements into the module
(driver/pin.py), saying out loud what changed; `--dry-run` prints the diff instead."""

from __future__ import annotations

import difflib
import os
import shlex
import sys

from ..driver.pin import RUNTIME_DIR, Change, PinPlan
from ..driver.runtime import MODULE as RUNTIME_MODULE


def run(args) -> int:
    from ..aspect import AspectError
    from ..driver.goenv import GoError
    from ..driver.pin import PinError, apply, plan

    try:
        p = plan(os.getcwd())
        if p.changes and not args.dry_run:
            apply(p)
    except AspectError as err:
        print(f"toolweave: {err}", file=sys.stderr)
        return 2
    except (PinError, GoError, OSError) as err:
        print(f"toolweave: pin: {err}", file=sys.stderr)
        return 1
    if args.dry_run:
        sys.stdout.write(diff(p))
    report = sys.stderr if args.dry_run else sys.stdout
    for line in summary(p, args.dry_run):
        print(line, file=report)
    if p.go_raised:
        print(go_line_warning(p, args.dry_run), file=sys.stderr)
    return 0


def summary(p: PinPlan, dry_run: bool) -> list[str]:
    """What changed (or would), file by file, and how go.mod's requirements moved."""
    if not p.changes:
        return [f"toolweave: {p.root} is pinned already: nothing to change"]
    verb = "would change" if dry_run else "changed"
    lines = [f"toolweave: pin {p.module} ({p.root}): {verb} {len(p.changes)} file(s):"]
    width = max(len(c.path) for c in p.changes)
    lines += [f"  {c.path:<{width}}  {c.kind}" for c in _for_people(p.changes)]
    req = p.requirements
    others = [path for path, _ in req.added if path != RUNTIME_MODULE]
    if len(others) < len(req.added):
        lines.append(f"  go.mod: requires {RUNTIME_MODULE}, replaced by ./{RUNTIME_DIR}")
    if others:
        lines.append(f"  go.mod: requires {len(others)} more module(s) it needs (completed with {p.completion})")
    if p.completion != "go mod tidy" and req.added:
        lines.append("  go.mod was not tidy, so pin added only what the runtime needs (a later `go mod tidy` "
                     "keeps it: toolweave.tools.go imports the runtime)")
    lines += [f"  go.mod: {path} raised {old} -> {new} (what the runtime needs; MVS only raises)"
              for path, old, new in req.raised]
    lines += [f"  go.mod: {path} {version} removed (by {p.completion})" for path, version in req.removed]
    if not dry_run:
        from ..driver.envsetup import toolexec_command

        lines.append(f"toolweave: commit them; then: go build -toolexec {shlex.quote(shlex.join(toolexec_command()))} ./...")
    return lines


def go_line_warning(p: PinPlan, dry_run: bool) -> str:
    rose = "would rise" if dry_run else "rose"
    return (f"toolweave: warning: go.mod's go line {rose} from {p.go_before or '(none)'} to {p.go_after} "
            f"(toolweave.dev/runtime requires it): the language version of this module's code changes with it "
            f"(from go1.22 each loop iteration has its own variable, …). Under pin go.mod is the build's module "
            f"file, so toolweave cannot keep {p.go_before or 'the old version'}; `toolweave env` and "
            f"`toolweave go` keep it")


def diff(p: PinPlan) -> str:
    """Unified diffs of go.mod, go.sum and the tools file; the runtime copy (toolweave's own
    source, verbatim) is named file by file, not shown."""
    out = []
    for change in _for_people(p.changes):
        if not _copied(change):
            out += _file_diff(change)
    copied = [c for c in p.changes if _copied(c)]
    if copied:
        out.append(f"# ./{RUNTIME_DIR}: a copy of toolweave's runtime module (toolweave.dev/runtime), not shown:\n")
        out += [f"#   {c.kind:<8} {c.path}\n" for c in copied]
    return "".join(out)


def _copied(change: Change) -> bool:
    return change.path.startswith(RUNTIME_DIR + "/")


def _for_people(changes) -> list[Change]:
    """The user's own files first (go.mod, go.sum, the tools file), then the runtime copy."""
    order = {"go.mod": 0, "go.sum": 1}
    return sorted(changes, key=lambda c: (_copied(c), order.get(c.path, 2)))


def _file_diff(change: Change) -> list[str]:
    before = (change.before or b"").decode("utf-8", "replace").splitlines(keepends=True)
    after = (change.after or b"").decode("utf-8", "replace").splitlines(keepends=True)
    old = "/dev/null" if change.before is None else f"a/{change.path}"
    new = "/dev/null" if change.after is None else f"b/{change.path}"
    lines = list(difflib.unified_diff(before, after, old, new))
    return [line if line.endswith("\n") else line + "\n\\ No newline at end of file\n" for line in lines]
