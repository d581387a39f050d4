"""add-struct-field."""

from __future__ import annotations

from ...engine import Gen
from ...engine.imports import default_name
from ..errors import SpecError
from ..registry import Advice, advice, expect
from ..types import TypeName, parse_type_name
from . import exact_fields


def spell_type(tn: TypeName, weaver) -> str:
    """Go source for a TypeName in this file (importing its package if needed)."""
    if not tn.path or tn.path == weaver.fctx.package.import_path:
        return f"{tn.prefix}{tn.name}"
    return f"{tn.prefix}{weaver.import_name(tn.path, default_name(tn.path))}.{tn.name}"


@advice("add-struct-field")
class AddStructField(Advice):
    node_types = frozenset({"type_spec"})

    def __init__(self, name, type_name):
        self.name, self.type = name, type_name

    @classmethod
    def from_value(cls, value, line):
        exact_fields(value, ("name", "type"), line, "a mapping with name and type")
        name = expect(value["name"], str, "a field name", line)
        if not name.isidentifier():
            raise SpecError(f"bad field name {name!r}", line)
        return cls(name, parse_type_name(value["type"], line))

    def packages(self):
        return frozenset({self.type.path} if self.type.path else ())

    def apply(self, site, weaver):
        struct = site.node.child_by_field_name("type")
        if struct is None or struct.type != "struct_type":
            return
        fields = struct.named_children[0]
        field = f"{self.name} {spell_type(self.type, weaver)}"
        at, text = _append_point(weaver.fctx.source.data, fields.end_byte - 1, field)
        weaver.edits.add(at, at, [Gen(text)], origin=f"add-struct-field of {site.aspect_id}")


def _append_point(data: bytes, close: int, field: str) -> tuple[int, str]:
    """Where and as what text to append `field` to the field list whose `}` is at `close`.
    The texts compose when several fields are appended at one point: a line of its own when
    the `}` starts its line (no line moves), else `; `-separated on the brace's line."""
    line_start = data.rfind(b"\n", 0, close) + 1
    if not data[line_start:close].strip():
        return line_start, field + "\n"
    end = len(data[:close].rstrip())
    last = data[end - 1:end]
    if last == b"{":
        return end, field + "; "
    if last == b";":
        return end, " " + field + ";"
    return end, "; " + field
