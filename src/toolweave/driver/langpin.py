"""Keeping each user file at its own Go language version.

Requiring our runtime module can force the main module's `go` line up (the go command insists
that it be at least every dependency's), and the language version decides semantics (loop
variables per iteration from go1.22, …). Every Go file of the main module is therefore handed
to the compiler with a `//go:build go1.N` constraint naming the original version (combined
with the file's own constraint), which since Go 1.21 sets that file's language version.
"""

from __future__ import annotations

import re

_GO_LINE = re.compile(rb"(?m)^go[ \t]+(\d+\.\d+(?:\.\d+)?)[ \t]*(?://.*)?$")
_BUILD = re.compile(rb"(?m)^//go:build[ \t]+([^\r\n]*)$")


def go_line(gomod: bytes) -> str:
    """The `go` version of a go.mod or go.work as written ("1.22", "1.26.0"), or ""."""
    m = _GO_LINE.search(gomod)
    return m.group(1).decode() if m else ""


def version_key(v: str) -> tuple[int, ...]:
    return tuple(int(x) for x in v.split(".")) if v else (0,)


def pin(data: bytes, version: str, logical_name: str) -> bytes:
    """`data` with its language version pinned to go`version`. Lines keep their numbers:
    an existing `//go:build` line is rewritten in place; otherwise the constraint is added
    in front and a `//line` directive restores line 1."""
    tag = "go" + ".".join(version.split(".")[:2])      # build tags name only go1.N
    header_end = _header_end(data)
    m = _BUILD.search(data, 0, header_end)
    if m:
        expr = m.group(1).strip().decode()
        return data[:m.start()] + f"//go:build {tag} && ({expr})".encode() + data[m.end():]
    return f"//go:build {tag}\n\n//line {logical_name}:1:1\n".encode() + data


def _header_end(data: bytes) -> int:
    """Offset of the package clause: build constraints may only appear before it."""
    m = re.search(rb"(?m)^package[ \t]", data)
    return m.start() if m else len(data)
