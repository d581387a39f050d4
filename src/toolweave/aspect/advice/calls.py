"""replace-function and append-args."""

from __future__ import annotations

from ...engine import Gen, Orig
from ...engine.imports import default_name
from ..errors import SpecError
from ..registry import Advice, advice, expect
from ..types import parse_qualified, parse_type_name
from . import code_template, exact_fields, render
from .structs import spell_type

CALL = frozenset({"call_expression"})


@advice("replace-function")
class ReplaceFunction(Advice):
    node_types = CALL

    def __init__(self, path, name):
        self.path, self.name = path, name

    @classmethod
    def from_value(cls, value, line):
        expect(value, str, "a function name such as example.com/pkg.Open", line)
        return cls(*parse_qualified(value, line, "function name"))

    def packages(self):
        return frozenset({self.path} if self.path else ())

    def apply(self, site, weaver):
        fn = site.node.child_by_field_name("function")
        if not self.path or self.path == weaver.fctx.package.import_path:
            if _declaring_function(site.node) == self.name:
                return      # the replacement's own body calls the original: no recursion
            text = self.name
        else:
            text = f"{weaver.import_name(self.path, default_name(self.path))}.{self.name}"
        weaver.edits.add(fn.start_byte, fn.end_byte, [Gen(text)], origin=f"replace-function of {site.aspect_id}")


def _declaring_function(node) -> str:
    """Name of the top-level function declaration containing `node` ("" if none)."""
    while node is not None and node.type != "source_file":
        if node.type == "function_declaration" and node.parent is not None and node.parent.type == "source_file":
            return node.child_by_field_name("name").text.decode()
        node = node.parent
    return ""


@advice("append-args")
class AppendArgs(Advice):
    """Appends arguments; a call ending in `slice...` gets them appended to a copy of that
    slice (never to the caller's backing array)."""

    node_types = CALL

    def __init__(self, type_name, values):
        self.type, self.values = type_name, values

    @classmethod
    def from_value(cls, value, line):
        exact_fields(value, ("type", "values"), line, "a mapping with type and values")
        values = expect(value["values"], list, "a list of code templates", line)
        if not values:
            raise SpecError("values must not be empty", line)
        return cls(parse_type_name(value["type"], line), tuple(code_template(v, line) for v in values))

    def packages(self):
        return super().packages() | ({self.type.path} if self.type.path else set())

    def templates(self):
        return list(self.values)

    def apply(self, site, weaver):
        args = site.node.child_by_field_name("arguments")
        rendered = [render(v, site, weaver, "expression") for v in self.values]
        joined = []
        for i, segs in enumerate(rendered):
            joined += ([Gen(", ")] if i else []) + segs
        items = [c for c in args.named_children if c.type != "comment"]
        origin = f"append-args of {site.aspect_id}"
        if items and items[-1].type == "variadic_argument":
            spread = items[-1].named_children[0]
            slice_type = "[]" + spell_type(self.type, weaver)
            weaver.edits.add(spread.start_byte, spread.end_byte,
                             [Gen(f"append(append({slice_type}{{}}, "), Orig(spread.start_byte, spread.end_byte),
                              Gen("...), ")] + joined + [Gen(")")], origin=origin)
            return
        if items:
            at = items[-1].end_byte
            weaver.edits.add(at, at, [Gen(", ")] + joined, origin=origin)
        else:
            at = args.end_byte - 1
            weaver.edits.add(at, at, joined, origin=origin)
