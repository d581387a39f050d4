"""A -toolexec shim that lets `go … -cover` see the overlay.

cmd/go hands the cover tool the original paths of a package's files, not their overlay
replacements (it does not apply fsys.Actual to cover inputs, go 1.26), so covered packages
would compile unwoven. The shim is a generated POSIX shell script: for the cover tool it swaps
each overlaid input for its replacement, every other tool runs untouched (no Python start-up
per tool call). Woven files start with `//line <original>:1:1`, so the cover tool's own
`//line <input>:1:1` is immediately corrected back to the user's file.
"""

from __future__ import annotations

import os
import shlex

from .cache import Cache, digest

COVER_FLAGS = ("-cover", "-coverpkg", "-covermode", "-coverprofile")


def wants_cover(cmd) -> bool:
    return any(cmd.flag(f) is not None for f in COVER_FLAGS)


def shim(cache: Cache, overlay: dict[str, str], user_toolexec: str | None) -> str:
    """Path of an executable shim for this overlay (content-addressed in the cache)."""
    cases = "\n".join(f"    {shlex.quote(src)}) a={shlex.quote(dst)} ;;" for src, dst in sorted(overlay.items()) if dst)
    prefix = f"{user_toolexec} " if user_toolexec else ""
    script = f"""#!/bin/sh
# toolweave: give the cover tool the overlay's files (generated; see driver/coverexec.py)
tool="$1"; shift
case "$tool" in
  */cover|*/cover.exe) ;;
  *) exec {prefix}"$tool" "$@" ;;
esac
n=$#
while [ "$n" -gt 0 ]; do
  a="$1"; shift; n=$((n - 1))
  case "$a" in
{cases}
  esac
  set -- "$@" "$a"
done
exec {prefix}"$tool" "$@"
"""
    path = cache.put("coverexec", digest(script), script.encode(), ".sh")
    os.chmod(path, 0o755)
    return path


def with_line_header(data: bytes, original: str) -> bytes:
    """Woven bytes that name their original file from the first line on."""
    return f"//line {original}:1:1\n".encode() + data
