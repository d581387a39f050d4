"""Line directives: reading the ones a file already has, writing the ones a weave needs.

Go's compiler honours two forms (cmd/compile "Line directives"):
  `//line file:L[:C]` at column 1 sets the position of the *next* line;
  `/*line file:L[:C]*/` anywhere sets the position of the byte right after the comment.
We write `//line file:L:1` (with the column, so compile errors keep reporting line:col) when
original code resumes at the start of a line, `/*line file:L:C*/` when it resumes mid-line,
and `//line <generated>:1` (or `/*line <generated>:1:1*/` mid-line) before injected code that
spans lines. Single-line injected text needs no directive: it is reported on the user's line.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

GENERATED = "<generated>"

_LINE_COMMENT = re.compile(rb"(?m)^//line ([^\n]*?)\r?$")
_BLOCK_COMMENT = re.compile(rb"/\*line ([^\n]*?)\*/")


@dataclass(frozen=True)
class Directive:
    """A directive already in the input: from byte `offset` on, positions are relative to
    (`file`, `line`, `col`); `col` 0 means the column is unknown. `line_start` is the offset
    of the directive comment itself."""

    offset: int
    file: str
    line: int
    col: int
    line_start: int


def _split(arg: str) -> tuple[str, int, int] | None:
    """Parse `file:L` or `file:L:C` (file names may contain ':'); None if malformed."""
    parts = arg.rsplit(":", 2)
    nums = []
    while len(parts) > 1 and parts[-1].isdigit() and len(nums) < 2:
        nums.insert(0, int(parts.pop()))
    if not nums:
        return None
    file = ":".join(parts)
    return (file, nums[0], 0) if len(nums) == 1 else (file, nums[0], nums[1])


def scan_directives(data: bytes) -> list[Directive]:
    """Every well-formed line directive in `data`, in order. A cheap regex scan: a false hit
    inside a string literal is possible but harmless, since we only read positions from it."""
    found: list[Directive] = []
    for m in _LINE_COMMENT.finditer(data):
        parsed = _split(m.group(1).decode("utf-8", "surrogateescape"))
        if parsed:
            nl = data.find(b"\n", m.end())
            found.append(Directive(len(data) if nl < 0 else nl + 1, *parsed, m.start()))
    for m in _BLOCK_COMMENT.finditer(data):
        parsed = _split(m.group(1).decode("utf-8", "surrogateescape"))
        if parsed:
            found.append(Directive(m.end(), *parsed, m.start()))
    found.sort(key=lambda d: d.offset)
    return found


def logical(path, directives, offset, line, col, line_col) -> tuple[str, int, int]:
    """Position of `offset` (physical `line`, `col`) after the directives before it."""
    base = None
    file = path
    for d in directives:
        if d.offset > offset:
            break
        base = d
        file = d.file or file
    if base is None:
        return path, line, col
    bline, bcol = line_col(base.offset)
    if not base.col:        # Go: the column stays unknown until the next directive
        return file, base.line + line - bline, 0
    if bline == line:
        return file, base.line, base.col + col - bcol
    return file, base.line + line - bline, col


def directive_for(file: str, line: int, col: int, at_line_start: bool) -> str:
    """The directive text that makes the next byte report (file, line, col)."""
    if at_line_start and col <= 1:
        return f"//line {file}:{line}:1\n" if col == 1 else f"//line {file}:{line}\n"
    if col:
        return f"/*line {file}:{line}:{col}*/"
    return f"/*line {file}:{line}*/"


def splice(source, pieces) -> bytes:
    """Join `pieces` (engine.edits.Gen / Orig, in output order) into the woven file bytes,
    adding the directives that keep every original byte at its original position.

    An input whose pieces are one Orig of the whole file comes back byte-identical.
    """
    out: list[bytes] = []
    expect = 0          # original offset that would continue seamlessly; None after Gen
    last_end = 0        # end of the last original piece written
    lines_kept = True   # only single-line text since it: later lines still map right
    at_line_start = True
    data = source.data
    pieces = list(_merged(pieces))
    for k, piece in enumerate(pieces):
        if piece.is_gen:
            text = piece.text.encode()
            if not text:
                continue
            following = pieces[k + 1] if k + 1 < len(pieces) else None
            resume = source.logical_position(following.start) if following is not None else None
            out.extend(_generated(text, at_line_start, resume))
            lines_kept = lines_kept and b"\n" not in text
            expect = None
            at_line_start = text.endswith(b"\n")
            continue
        if piece.start == piece.end:
            continue
        start = piece.start
        if (expect is None and lines_kept and data[start:start + 1] == b"\n"
                and b"\n" not in data[last_end:start]):
            expect = start      # only the tail of a line moved: the next line is still right
        if expect != start:
            if at_line_start and data[start:start + 1] == b"\n":
                # Resume on the next line instead: a blank line here reads better than a
                # directive for the tail of a line that holds nothing.
                out.append(b"\n")
                start += 1
                if start == piece.end:
                    expect = None
                    continue
            file, line, col = source.logical_position(start)
            out.append(directive_for(file, line, col, at_line_start).encode())
        out.append(data[start:piece.end])
        expect = last_end = piece.end
        lines_kept = True
        at_line_start = data[piece.end - 1:piece.end] == b"\n"
    return b"".join(out)


def _generated(text: bytes, at_line_start: bool, resume) -> list[bytes]:
    """Injected text with its directives. Text within one line needs none. Text spanning
    lines is `<generated>`, except a first line that continues a user's line and a last line
    that original code continues: those stay on the user's line, so a wrapped call that
    panics or fails to compile is reported where the user wrote it. `resume` is the
    logical position of the original code that follows, if any."""
    if b"\n" not in text.rstrip(b"\n"):
        return [text]
    out: list[bytes] = []
    if not at_line_start and text.startswith(b"\n"):
        out.append(b"\n")            # the template starts a line anyway: use `//line`
        text, at_line_start = text[1:], True
    tail = b""
    if resume is not None and not text.endswith(b"\n"):
        body, newline, last = text.rpartition(b"\n")
        if _splittable(last):
            text = body + newline
            tail = directive_for(resume[0], resume[1], 1, True).encode() + last
    if not at_line_start:
        head, rest = text.split(b"\n", 1)
        if _splittable(head):
            out.append(head + b"\n")
            text = rest
            if text:
                out.append(directive_for(GENERATED, 2, 1, True).encode())
        else:
            out.append(directive_for(GENERATED, 1, 1, False).encode())
    elif text:
        out.append(directive_for(GENERATED, 1, 1, True).encode())
    return out + [text, tail]


def _splittable(line: bytes) -> bool:
    """A directive may go next to this line of generated code: no raw string or block
    comment can be open across its end."""
    return b"`" not in line and b"/*" not in line and b"*/" not in line


def _merged(pieces):
    """Adjacent generated pieces as one: one directive per run of injected code."""
    from .edits import Gen

    run: list[str] = []
    for piece in pieces:
        if piece.is_gen:
            run.append(piece.text)
            continue
        if run:
            yield Gen("".join(run))
            run = []
        yield piece
    if run:
        yield Gen("".join(run))
