"""EditBuffer: byte-range edits on the original text, nested where one moves another.

An Edit replaces original bytes [start, end) with segments: `Gen` (new text) and `Orig`
(a range of the original, "moved, keeping its position"). Edits may nest: an edit inside the
range an outer edit moves with an `Orig` segment is applied within it, so wrapping a call and
appending arguments to it compose. Partial overlaps, and edits inside text that an outer edit
drops, are conflicts. Edits on the same range stack: the later wraps the earlier. Insertions
(start == end) at one point are ordered by (rank, seq).
"""

from __future__ import annotations

from dataclasses import dataclass, field


class EditConflict(Exception):
    """Two edits that cannot both apply."""


@dataclass(frozen=True)
class Gen:
    text: str
    is_gen = True


@dataclass(frozen=True)
class Orig:
    start: int
    end: int
    is_gen = False


@dataclass(frozen=True)
class Edit:
    start: int
    end: int
    segments: tuple
    seq: int = 0
    rank: int = 0
    origin: str = ""        # who asked for it, for conflict messages

    @property
    def is_insertion(self) -> bool:
        return self.start == self.end

    def contains(self, other: "Edit") -> bool:
        if self.is_insertion or not (self.start <= other.start and other.end <= self.end):
            return False
        if other.is_insertion:
            return self.start < other.start < self.end
        if (other.start, other.end) == (self.start, self.end):
            return other.seq < self.seq
        return True


def _order(e: Edit):
    return (e.start, 0 if e.is_insertion else 1, -e.end, e.rank, -e.seq if not e.is_insertion else e.seq)


@dataclass
class EditBuffer:
    """Collects edits for one file; `pieces(length)` lays them out in output order."""

    edits: list = field(default_factory=list)

    def add(self, start: int, end: int, segments, rank: int = 0, origin: str = "") -> Edit:
        edit = Edit(start, end, tuple(segments), len(self.edits), rank, origin)
        self.edits.append(edit)
        return edit

    def __bool__(self) -> bool:
        return bool(self.edits)

    def _tree(self) -> tuple[list, dict]:
        roots, children, stack = [], {}, []
        for e in sorted(self.edits, key=_order):
            while stack and not stack[-1].contains(e):
                top = stack.pop()
                if e.start < top.end < e.end and not top.is_insertion:
                    raise EditConflict(f"overlapping edits: {top.origin or 'edit'} [{top.start},{top.end}) and {e.origin or 'edit'} [{e.start},{e.end})")
            (children.setdefault(stack[-1], []) if stack else roots).append(e)
            if not e.is_insertion:
                stack.append(e)
        return roots, children

    def pieces(self, length: int) -> list:
        """The output as a list of Gen/Orig pieces (Orig pieces only of unedited bytes)."""
        roots, children = self._tree()
        out: list = []
        self._render(0, length, roots, children, out)
        return out

    def _render(self, start, end, edits, children, out) -> None:
        pos = start
        for e in sorted(edits, key=lambda e: (e.start, 0 if e.is_insertion else 1, e.rank, e.seq)):
            if e.start > pos:
                out.append(Orig(pos, e.start))
            self._expand(e, children, out)
            pos = max(pos, e.end)
        if end > pos:
            out.append(Orig(pos, end))

    def _expand(self, edit, children, out) -> None:
        inner = children.get(edit, [])
        placed = set()
        for seg in edit.segments:
            if seg.is_gen:
                out.append(seg)
                continue
            mine = [c for c in inner if seg.start <= c.start and c.end <= seg.end]
            placed.update(id(c) for c in mine)
            self._render(seg.start, seg.end, mine, children, out)
        lost = [c for c in inner if id(c) not in placed]
        if lost:
            raise EditConflict(f"{lost[0].origin or 'edit'} lies in code that {edit.origin or 'another edit'} removes")
