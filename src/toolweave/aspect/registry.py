"""One base class, one registry and one decorator per extension point.

A join point kind answers "does this node match?" (plus cheap may-match questions asked before
parsing); an advice kind turns a matched node into edits. Both are built from their YAML value
by `from_value`, which raises SpecError on a bad value. schema.json lists the same kinds
(a test holds the two together).
"""

from __future__ import annotations

from typing import ClassVar

from ..prefilter import may_match
from .errors import SpecError

JOIN_POINTS: dict[str, type["JoinPoint"]] = {}
ADVICE: dict[str, type["Advice"]] = {}

#: Node types tree-sitter-go gives expressions (what wrap-expression may replace).
EXPRESSION_TYPES = frozenset({
    "call_expression", "selector_expression", "identifier", "composite_literal", "func_literal",
    "unary_expression", "binary_expression", "index_expression", "slice_expression",
    "type_assertion_expression", "type_conversion_expression", "parenthesized_expression",
    "int_literal", "float_literal", "imaginary_literal", "rune_literal",
    "interpreted_string_literal", "raw_string_literal", "true", "false", "nil", "iota",
    "keyed_element",
})
FUNCTION_TYPES = frozenset({"function_declaration", "method_declaration", "func_literal"})
ANY = None   # node_types value: every node


class JoinPoint:
    """Base of join point kinds. Subclasses set `kind` and implement `matches`."""

    kind: ClassVar[str] = ""
    #: tree-sitter node types this join point can match; None for any node
    node_types: frozenset | None = ANY

    @classmethod
    def from_value(cls, value, line: int, build) -> "JoinPoint":
        raise NotImplementedError

    def matches(self, site) -> bool:
        raise NotImplementedError

    def package_may_match(self, package) -> bool | None:
        """Three-valued, from package facts only: True, False, or None (unknown)."""
        return None

    def package_gate(self):
        """`package_may_match` as data for the launcher (toolweave.packagegate); None:
        unknown, which never rules a package out."""
        return None

    def prefilter(self):
        """What a file must contain for this join point to match in it, as data
        (toolweave.prefilter); True: any file. Join points are immutable once built."""
        return True

    def file_may_match(self, data: bytes) -> bool:
        """False only if no node of a file with these bytes can match."""
        cached = self.__dict__.get("_prefilter", self)
        if cached is self:
            cached = self.__dict__["_prefilter"] = self.prefilter()
        return may_match(cached, data)

    def describe(self) -> str:
        return self.kind

    def interfaces(self) -> tuple[str, ...]:
        """The interfaces (type names) whose implementers this join point asks the type
        checker about."""
        return ()


class Advice:
    """Base of advice kinds. `node_types`: what it can be applied to (None: any node, then
    applied once per file). `apply(site, weaver)` records edits through the weaver."""

    kind: ClassVar[str] = ""
    node_types: ClassVar[frozenset | None] = ANY
    order: int = 0
    namespace: str | None = None

    @classmethod
    def from_value(cls, value, line: int) -> "Advice":
        raise NotImplementedError

    @property
    def file_level(self) -> bool:
        return self.node_types is ANY

    def templates(self) -> list:
        """The code templates this advice renders (for load-time checks)."""
        return []

    def packages(self) -> frozenset:
        """Every import path the code this advice weaves may import or link (the drop-in
        driver resolves them all once per build): its templates' `imports` by default."""
        return frozenset(path for t in self.templates() for _, path in t.imports)

    def apply(self, site, weaver) -> None:
        raise NotImplementedError


def join_point(kind: str):
    def register(cls):
        cls.kind = kind
        JOIN_POINTS[kind] = cls
        return cls
    return register


def advice(kind: str):
    def register(cls):
        cls.kind = kind
        ADVICE[kind] = cls
        return cls
    return register


def expect(value, types, what: str, line: int):
    """Check a YAML value's Python type; SpecError naming what was expected otherwise."""
    if not isinstance(value, types) or (isinstance(value, bool) and bool not in _tuple(types)):
        raise SpecError(f"expected {what}, got {yaml_type(value)}", line)
    return value


def _tuple(types):
    return types if isinstance(types, tuple) else (types,)


def yaml_type(value) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, (int, float)):
        return "a number"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    return type(value).__name__


def load_kinds() -> None:
    """Import every kind module so the registries are complete."""
    from .join import logic, package, directive, function, calls, structs, decls, statements  # noqa: F401
    from .advice import statements, expressions, declarations, structs as s2, calls as c2, values  # noqa: F401
