"""declaration-of and value-declaration."""

from __future__ import annotations

from ...prefilter import any_of, has
from ..registry import JoinPoint, expect, join_point
from ..types import parse_qualified, parse_type_name, type_matches

SPECS = frozenset({"var_spec", "const_spec"})


@join_point("declaration-of")
class DeclarationOf(JoinPoint):
    node_types = frozenset({"function_declaration"}) | SPECS

    def __init__(self, path, name):
        self.path, self.name = path, name

    @classmethod
    def from_value(cls, value, line, build):
        expect(value, str, "a name such as example.com/pkg.Name", line)
        return cls(*parse_qualified(value, line, "declaration name"))

    def matches(self, site):
        node = site.node
        if self.path and site.package.import_path and site.package.import_path != self.path:
            return False
        if node.type == "function_declaration":
            return node.child_by_field_name("name").text.decode() == self.name
        if node.type not in SPECS:
            return False        # methods (reached through function-body) declare no package name
        top = node.parent
        while top is not None and top.type in ("var_spec_list", "const_spec_list", "var_declaration", "const_declaration"):
            top = top.parent
        if top is None or top.type != "source_file":
            return False
        return any(n.text.decode() == self.name for n in node.children_by_field_name("name"))

    def package_may_match(self, package):
        if not package.import_path or not self.path:
            return None
        return package.import_path == self.path

    def package_gate(self):
        return ["path", self.path] if self.path else None

    def prefilter(self):
        return has(self.name.encode())


@join_point("value-declaration")
class ValueDeclaration(JoinPoint):
    """var/const specs declared with the type, and specs with no explicit type."""

    node_types = SPECS

    def __init__(self, tn):
        self.type = tn

    @classmethod
    def from_value(cls, value, line, build):
        return cls(parse_type_name(expect(value, str, "a type name", line), line))

    def matches(self, site):
        type_node = site.node.child_by_field_name("type")
        return type_node is None or type_matches(self.type, type_node, site.file)

    def prefilter(self):
        return any_of(has(b"var"), has(b"const"))
