"""The header of a Go file: everything from its first byte to the end of its last import
declaration (build constraints, the package clause, the imports, a cgo preamble and any
comment among them).

Two versions of a file with the same header belong to the same package, under the same
build constraints, with the same imports: what `go list` reports of them is the same. Only
their bodies differ, and a body change can be re-woven without planning the build again.

A plain scanner of Go's lexical rules (comments, strings, runes, parentheses), standard
library only: it runs on the replay path, before anything heavy is imported. Anything it
does not understand ends the header where it stands, which only makes a header compare
unequal sooner (a full build), never equal wrongly.
"""

from __future__ import annotations

import hashlib
import re

_SPACE = b" \t\r\n;"
_WORD = re.compile(rb"[A-Za-z_\x80-\xff][A-Za-z0-9_\x80-\xff]*")


def header_digest(data: bytes) -> str:
    """A digest of the header of the Go source `data` (128 bits: compared, never trusted
    against an adversary)."""
    return hashlib.sha256(data[:header_end(data)]).hexdigest()[:32]


def header_end(data: bytes) -> int:
    """Offset just past the header: the package clause and every import declaration."""
    i = _skip(data, 0)
    m = _WORD.match(data, i)
    if not m or m.group() != b"package":
        return i
    m = _WORD.match(data, _skip(data, m.end()))
    if not m:
        return len(data)
    end = m.end()
    while True:
        i = _skip(data, end)
        m = _WORD.match(data, i)
        if not m or m.group() != b"import":
            return end
        i = _skip(data, m.end())
        if data[i:i + 1] == b"(":
            end = _group_end(data, i)
        else:
            end = _spec_end(data, i)
        if end < 0:
            return len(data)


def _skip(data: bytes, i: int) -> int:
    """Past white space, semicolons and comments from i."""
    n = len(data)
    while i < n:
        if data[i] in _SPACE:
            i += 1
        elif data.startswith(b"//", i):
            j = data.find(b"\n", i)
            i = n if j < 0 else j + 1
        elif data.startswith(b"/*", i):
            j = data.find(b"*/", i + 2)
            i = n if j < 0 else j + 2
        else:
            break
    return i


def _string_end(data: bytes, i: int) -> int:
    """Past the string or rune literal at i, or -1 if there is none (or it is unclosed)."""
    quote = data[i:i + 1]
    if quote == b"`":
        j = data.find(b"`", i + 1)
        return -1 if j < 0 else j + 1
    if quote not in (b'"', b"'"):
        return -1
    j = i + 1
    while j < len(data):
        c = data[j:j + 1]
        if c == b"\\":
            j += 2
        elif c == quote:
            return j + 1
        elif c == b"\n":
            return -1
        else:
            j += 1
    return -1


def _spec_end(data: bytes, i: int) -> int:
    """Past one import spec at i: an optional name (or . or _), then the path string."""
    if data[i:i + 1] == b".":
        i = _skip(data, i + 1)
    else:
        m = _WORD.match(data, i)
        if m:
            i = _skip(data, m.end())
    return _string_end(data, i)


def _group_end(data: bytes, i: int) -> int:
    """Past the parenthesised import group whose "(" is at i."""
    i += 1
    while True:
        i = _skip(data, i)
        if data[i:i + 1] == b")":
            return i + 1
        i = _spec_end(data, i)
        if i < 0:
            return -1
