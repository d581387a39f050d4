"""struct-definition and struct-literal."""

from __future__ import annotations

from ...prefilter import all_of, any_of, has
from ..errors import SpecError
from ..registry import JoinPoint, expect, join_point
from ..types import names_type, parse_qualified


@join_point("struct-definition")
class StructDefinition(JoinPoint):
    node_types = frozenset({"type_spec"})

    def __init__(self, path, name):
        self.path, self.name = path, name

    @classmethod
    def from_value(cls, value, line, build):
        expect(value, str, "a type name such as example.com/pkg.Type", line)
        return cls(*parse_qualified(value, line, "struct type"))

    def matches(self, site):
        node = site.node
        type_node = node.child_by_field_name("type")
        if type_node is None or type_node.type != "struct_type":
            return False
        if node.child_by_field_name("name").text.decode() != self.name:
            return False
        decl = node.parent
        if decl is None or decl.parent is None or decl.parent.type != "source_file":
            return False        # a type declared inside a function is another type
        pkg = site.package.import_path
        return not self.path or not pkg or pkg == self.path

    def package_may_match(self, package):
        if not package.import_path or not self.path:
            return None
        return package.import_path == self.path

    def package_gate(self):
        return ["path", self.path] if self.path else None

    def prefilter(self):
        """The name as a type spec's: after what may precede a spec's name (`type T`, a
        group's indentation or parenthesis) and before what may separate it from `struct`
        (white space, a comment, type parameters). Exact for any Go syntax, and it keeps a
        one-letter name such as runtime.g from sending every file of its package to the parser."""
        name = self.name.encode()
        specs = [has(before + name + after) for before in _BEFORE_NAME for after in _AFTER_NAME]
        return all_of(has(b"struct"), any_of(*specs))


#: What may precede a type spec's name (`type T`, `type\tT`, `type (T …`, a group's line) and
#: what may follow it before `struct` (one blank then `struct`, two blanks of alignment, a
#: comment, type parameters). A newline cannot: it would end the spec.
_BEFORE_NAME = (b" ", b"\t", b"(", b"\n")
_AFTER_NAME = (b" struct", b"\tstruct", b"  ", b" \t", b"\t ", b"\t\t", b"/*", b" /*", b"\t/*", b"[")


@join_point("struct-literal")
class StructLiteral(JoinPoint):
    node_types = frozenset({"composite_literal", "unary_expression", "keyed_element"})

    def __init__(self, path, name, match, field):
        self.path, self.name, self.match, self.field = path, name, match, field

    @classmethod
    def from_value(cls, value, line, build):
        expect(value, dict, "a mapping with type and match or field", line)
        unknown = set(value) - {"type", "match", "field"}
        if unknown:
            raise SpecError(f"unknown field {sorted(unknown)[0]!r} (expected type, match, field)", line)
        if "type" not in value:
            raise SpecError("missing type", line)
        path, name = parse_qualified(expect(value["type"], str, "a type name", line), line, "struct type")
        match = value.get("match", "any")
        if match not in ("any", "value-only", "pointer-only"):
            raise SpecError(f"bad match {match!r} (expected any, value-only, pointer-only)", line)
        if "field" in value and "match" in value:
            raise SpecError("use either match or field, not both", line)
        field = value.get("field")
        if field is not None:
            expect(field, str, "a field name", line)
        return cls(path, name, match, field)

    def _literal_of_type(self, lit, fctx) -> bool:
        if lit is None or lit.type != "composite_literal":
            return False
        type_node = lit.child_by_field_name("type")
        return type_node is not None and names_type(type_node, self.path, self.name, fctx)

    def matches(self, site):
        node = site.node
        if self.field is not None:
            if node.type != "keyed_element":
                return False
            key = node.named_children[0]
            body = node.parent
            if key.text.decode() != self.field or body is None or body.parent is None:
                return False
            if body.parent.type == "literal_element":      # `[]T{{Field: v}}`: type elided
                type_node = elided_type(body)
                return type_node is not None and names_type(type_node, self.path, self.name, site.file)
            return self._literal_of_type(body.parent, site.file)
        if node.type == "unary_expression":
            operand = node.child_by_field_name("operand")
            return (self.match == "pointer-only" and node.children[0].type == "&"
                    and self._literal_of_type(operand, site.file))
        if node.type != "composite_literal" or self.match == "pointer-only":
            return False
        if self.match == "value-only":
            parent = node.parent
            if parent is not None and parent.type == "unary_expression" and parent.children[0].type == "&":
                return False
        return self._literal_of_type(node, site.file)

    def prefilter(self):
        return all_of(has(self.name.encode()), has(self.field.encode()) if self.field is not None else True)


_ELEMENT_HOLDERS = ("slice_type", "array_type", "implicit_length_array_type")


def elided_type(body):
    """The type node of the composite literal whose type is elided and whose `{…}` is
    `body`: the element type of the enclosing `[]T{…}` / `[N]T{…}` / `map[K]T{…}` value
    (through `*T`, and through enclosing elided literals), or None."""
    elem = body.parent
    holder = elem.parent if elem is not None else None
    in_map_value = False
    if holder is not None and holder.type == "keyed_element":
        if holder.named_children[-1].start_byte != elem.start_byte:
            return None                 # an elided map key: not a value of that type
        in_map_value, holder = True, holder.parent
    if holder is None or holder.type != "literal_value" or holder.parent is None:
        return None
    outer = holder.parent
    outer_type = outer.child_by_field_name("type") if outer.type == "composite_literal" else elided_type(holder)
    if outer_type is None:
        return None
    if outer_type.type in _ELEMENT_HOLDERS:
        found = outer_type.child_by_field_name("element")
    elif outer_type.type == "map_type" and in_map_value:
        found = outer_type.child_by_field_name("value")
    else:
        return None
    if found is not None and found.type == "pointer_type":
        found = found.named_children[-1]
    return found
