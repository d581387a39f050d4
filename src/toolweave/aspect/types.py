"""Type names `[*][import/path.]Name` and their syntactic match against type nodes.

Matching is syntactic with import resolution: `*net/http.Request` matches `*http.Request`,
`*h.Request` under `import h "net/http"`, and `*Request` under a dot import of net/http or
inside net/http itself. `any` and `interface{}` are the same type. Named types are not
resolved through aliases or definitions (a documented limit of the syntactic matcher).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .errors import SpecError

_IDENT = r"[A-Za-z_][A-Za-z0-9_]*"
_TYPE_NAME = re.compile(rf"^(?P<prefix>(?:\*|\[\]|\.\.\.)*)(?:(?P<path>[A-Za-z0-9_.~\-/]+)\.)?(?P<name>{_IDENT})$")
_EMPTY_INTERFACE = ("interface{}", "any")


@dataclass(frozen=True)
class TypeName:
    prefix: str       # any of "*", "[]", "..." in order
    path: str         # "" for builtins and unqualified names
    name: str

    def __str__(self) -> str:
        return f"{self.prefix}{self.path + '.' if self.path else ''}{self.name}"

    @property
    def is_empty_interface(self) -> bool:
        return not self.prefix and not self.path and self.name in _EMPTY_INTERFACE


def parse_type_name(text, line: int = 0) -> TypeName:
    """Parse a TypeName; SpecError (naming the text) when it is not one."""
    if not isinstance(text, str):
        raise SpecError(f"expected a type name string, got {text!r}", line)
    stripped = text.strip()
    if stripped == "interface{}":
        return TypeName("", "", "any")
    m = _TYPE_NAME.match(stripped)
    if not m or (m.group("path") or "").endswith("/") or "//" in (m.group("path") or ""):
        raise SpecError(f"bad type name {text!r}: expected [*][import/path.]Name", line)
    return TypeName(m.group("prefix"), m.group("path") or "", m.group("name"))


def parse_qualified(text, line: int = 0, what: str = "name") -> tuple[str, str]:
    """Split `import/path.Name` (or a bare `Name`) into (path, Name)."""
    tn = parse_type_name(text, line)
    if tn.prefix:
        raise SpecError(f"bad {what} {text!r}: expected import/path.Name", line)
    return tn.path, tn.name


def type_matches(tn: TypeName, node, fctx) -> bool:
    """Whether the type expression `node` denotes the type `tn` in this file."""
    prefix = tn.prefix
    while node is not None and node.type == "parenthesized_type":
        node = node.named_children[0] if node.named_children else None
    if node is None:
        return False
    for sym, kind in (("*", "pointer_type"), ("[]", "slice_type")):
        if prefix.startswith(sym):
            if node.type != kind:
                return False
            inner = node.child_by_field_name("element") if kind == "slice_type" else node.named_children[-1]
            return type_matches(TypeName(prefix[len(sym):], tn.path, tn.name), inner, fctx)
    if tn.is_empty_interface:
        return (node.type == "interface_type" and not node.named_children) or (
            node.type == "type_identifier" and node.text == b"any")
    return names_type(node, tn.path, tn.name, fctx)


def names_type(node, path: str, name: str, fctx) -> bool:
    """Whether `node` (type_identifier, qualified_type, identifier or selector) names
    path.name in this file."""
    t = node.type
    if t in ("type_identifier", "identifier"):
        if node.text.decode() != name:
            return False
        return not path or path == fctx.package.import_path or fctx.imports.dot_imported(path)
    if t in ("qualified_type", "selector_expression"):
        pkg = node.child_by_field_name("package" if t == "qualified_type" else "operand")
        sel = node.child_by_field_name("name" if t == "qualified_type" else "field")
        if pkg is None or sel is None or pkg.type not in ("package_identifier", "identifier"):
            return False
        return sel.text.decode() == name and fctx.resolve_qualifier(pkg) == path
    if t == "generic_type":
        return names_type(node.child_by_field_name("type"), path, name, fctx)
    return False
