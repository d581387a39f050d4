"""`toolweave diff` and `toolweave list`: every injection visible before a build."""

from __future__ import annotations

import difflib
import os
import sys

from ..aspect import AspectError


def _planned(argv):
    from ..build.frontend import plan

    return plan("build", argv)


def diff(argv: list[str]) -> int:
    """Print, as unified diffs, every change a build would weave."""
    planned = _planned(argv)
    for wf in sorted(planned.result.woven, key=lambda w: w.path):
        with open(wf.path, "rb") as f:
            before = f.read().decode(errors="surrogateescape").splitlines(True)
        after = wf.data.decode(errors="surrogateescape").splitlines(True)
        name = _shown(wf.path, planned.cwd)
        sys.stdout.writelines(difflib.unified_diff(before, after, f"a/{name}", f"b/{name}"))
    _warn(planned)
    return 0


def list_aspects(argv: list[str]) -> int:
    """Print the active aspects, then the packages and files they touch here."""
    planned = _planned(argv)
    print("Active aspect files:")
    for integration, path in planned.config.active_builtins():
        print(f"  {integration:<16} (built-in) {path}")
    for path in planned.config.extra_aspects:
        print(f"  {'-':<16} {path}")
    disabled = sorted(planned.config.disabled)
    if disabled:
        print(f"Disabled integrations: {', '.join(disabled)}")
    print(f"Aspects: {len(planned.aspects.aspects)} (fingerprint {planned.aspects.fingerprint[:12]})")
    by_file = {wf.path: wf for wf in planned.result.woven}
    print(f"Woven here: {len(by_file)} files")
    for pkg in planned.packages:
        files = [f for f in pkg.go_files if f in by_file]
        if not files:
            continue
        print(f"  {pkg.import_path}")
        for f in files:
            print(f"    {_shown(f, planned.cwd)}: {', '.join(by_file[f].applied)}")
            by_file.pop(f)
    for path, wf in sorted(by_file.items()):       # files the build adds (links, TestMain)
        print(f"  (generated) {_shown(path, planned.cwd)}: {', '.join(wf.applied)}")
    _warn(planned)
    return 0


def _shown(path: str, cwd: str) -> str:
    """Relative to the working directory when under it, else absolute."""
    rel = os.path.relpath(path, cwd)
    return path if rel.startswith("..") else rel


def _warn(planned) -> None:
    for reason in planned.result.failures:
        print(f"toolweave: warning: {reason}", file=sys.stderr)


def run(command: str, argv: list[str]) -> int:
    from ..build.goenv import GoError

    try:
        return diff(argv) if command == "diff" else list_aspects(argv)
    except AspectError as err:
        print(f"toolweave: {err}", file=sys.stderr)
        return 2
    except GoError as err:
        print(f"toolweave: {err}", file=sys.stderr)
        return 1
