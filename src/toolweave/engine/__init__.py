"""The Go source engine: parsing, positions, imports, byte edits and line directives.

Knows nothing of aspects and does no I/O. Everything here works on the original bytes of one
file: the tree-sitter tree is read-only, edits are byte ranges, and output keeps the user's
positions through line directives.
"""

from .source import SourceFile, parse_go
from .imports import ImportSpec, ImportTable
from .edits import Edit, EditBuffer, EditConflict, Gen, Orig
from .lineinfo import splice

__all__ = [
    "SourceFile", "parse_go", "ImportSpec", "ImportTable",
    "Edit", "EditBuffer", "EditConflict", "Gen", "Orig", "splice",
]
