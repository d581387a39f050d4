"""SourceFile: the original bytes of one Go file, its tree, and offset <-> line/col maps."""

from __future__ import annotations

import bisect
from dataclasses import dataclass, field
from functools import lru_cache

from . import lineinfo


@lru_cache(maxsize=1)
def _parser():
    # Imported lazily: the toolexec path must not pay for tree-sitter when nothing matches.
    import tree_sitter
    import tree_sitter_go

    return tree_sitter.Parser(tree_sitter.Language(tree_sitter_go.language()))


def parse_go(data: bytes):
    """Parse Go source bytes with tree-sitter-go; returns the tree (never raises).

    tree-sitter-go 0.25 rejects an empty statement followed by another statement on the same
    line (`{ ; return x }`, `x := 1; ; y()`), which Go accepts and code generators write
    (modernc.org/sqlite's 5 MB translation of SQLite is full of them). When the tree has an
    error, each empty statement inside an ERROR node is blanked (`;` to a space: every offset
    and line stays where it was) and the copy parsed again, a few times over; its tree
    replaces the first one if it has no error. An empty statement does nothing, so the tree
    describes the same program; the file's own bytes are never changed (SourceFile keeps
    `data`: woven output still holds the `;`).
    """
    tree = _parser().parse(data)
    if tree.root_node.has_error and b";" in data:
        tree = _without_stray_empty_statements(data, tree) or tree
    return tree


_REPAIR_ROUNDS = 8


def _without_stray_empty_statements(data: bytes, tree):
    """The tree of data with the empty statements of ERROR nodes blanked, or None if that
    does not give a tree without errors (see parse_go)."""
    errors, empties = _queries()
    tree = tree.copy()          # edited below; the caller keeps the tree of the file itself
    blanked = None
    for _ in range(_REPAIR_ROUNDS):
        spans = [s for e in _captures(errors, tree.root_node, "e") for s in _captures(empties, e, "s")
                 if (blanked or data)[s.start_byte:s.end_byte] == b";"]
        if not spans:
            return None
        blanked = bytearray(blanked or data)
        for s in spans:
            blanked[s.start_byte] = 0x20
            # Same length: an incremental parse reuses everything else of the tree.
            tree.edit(start_byte=s.start_byte, old_end_byte=s.end_byte, new_end_byte=s.end_byte,
                      start_point=s.start_point, old_end_point=s.end_point, new_end_point=s.end_point)
        tree = _parser().parse(bytes(blanked), tree)
        if not tree.root_node.has_error:
            return tree
    return None


@lru_cache(maxsize=1)
def _queries():
    import tree_sitter

    language = _parser().language
    return tree_sitter.Query(language, "(ERROR) @e"), tree_sitter.Query(language, "(empty_statement) @s")


def _captures(query, node, name: str) -> list:
    import tree_sitter

    return tree_sitter.QueryCursor(query).captures(node).get(name, [])


@dataclass(frozen=True)
class SourceFile:
    """One Go file as given: `path` is its name on disk, `data` its exact bytes.

    `logical_name` is the file name positions are reported under: the name from a leading
    `//line` directive (cgo and cover outputs start with one) or else `path`.
    """

    path: str
    data: bytes
    tree: object = field(repr=False)
    line_starts: tuple[int, ...] = field(repr=False)
    directives: tuple = field(repr=False, default=())

    @classmethod
    def parse(cls, path: str, data: bytes) -> "SourceFile":
        starts = [0]
        find = data.find
        i = find(b"\n")
        while i >= 0:
            starts.append(i + 1)
            i = find(b"\n", i + 1)
        directives = lineinfo.scan_directives(data) if b"line " in data else ()
        return cls(path, data, parse_go(data), tuple(starts), tuple(directives))

    @property
    def root(self):
        return self.tree.root_node

    @property
    def has_errors(self) -> bool:
        return self.tree.root_node.has_error

    def text(self, node) -> str:
        """The exact source text of a node (or of any object with start_byte/end_byte)."""
        return self.data[node.start_byte:node.end_byte].decode("utf-8", "surrogateescape")

    def line_col(self, offset: int) -> tuple[int, int]:
        """1-based physical line and byte column of `offset` in this file's bytes."""
        line = bisect.bisect_right(self.line_starts, offset)
        return line, offset - self.line_starts[line - 1] + 1

    def logical_position(self, offset: int) -> tuple[str, int, int]:
        """(file, line, col) the Go compiler would report for `offset`, honouring the
        `//line` and `/*line*/` directives already present in the input."""
        line, col = self.line_col(offset)
        return lineinfo.logical(self.path, self.directives, offset, line, col, self.line_col)

    @property
    def logical_name(self) -> str:
        """The file name of the first line: a leading `//line` directive's, else `path`."""
        first = self.directives[0] if self.directives else None
        if first is not None and first.line_start == 0 and first.file:
            return first.file
        return self.path
