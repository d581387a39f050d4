"""Parameters and results of function nodes, as the aspect language sees them."""

from __future__ import annotations

from dataclasses import dataclass

from .paramlist import groups
from .typefacts import PREDECLARED, same_type
from .types import TypeName, type_matches


@dataclass(frozen=True)
class Param:
    """One parameter or result: `name` None when unnamed (or '_' kept as '_'); `type_node`
    the type expression; `decl` the declaration node holding it."""

    index: int
    name: str | None
    name_node: object
    type_node: object
    variadic: bool
    decl: object


def params(func, field: str) -> list[Param]:
    """The parameters (`field`='parameters'), results ('result') or receiver ('receiver')
    of a function_declaration / method_declaration / func_literal, one entry per name."""
    node = func.child_by_field_name(field)
    if node is None:
        return []
    if node.type != "parameter_list":      # a single unparenthesised result type
        return [Param(0, None, None, node, False, node)]
    out: list[Param] = []
    for g in groups(node):
        if not g.names:
            out.append(Param(len(out), None, None, g.type_node, g.variadic, g.decl))
        for n in g.names:
            out.append(Param(len(out), n.text.decode(), n, g.type_node, g.variadic, g.decl))
    return out


def param_has_type(p: Param, tn: TypeName, fctx) -> bool:
    """Whether p is declared with type tn: as spelled, else (a spelling that may name an
    alias of it: `type MyReader = io.Reader`, `xcontext.Context`) by the type checker."""
    if tn.prefix.startswith("..."):
        if not p.variadic:
            return False
        tn = TypeName(tn.prefix[3:], tn.path, tn.name)
    elif p.variadic:
        return False
    if type_matches(tn, p.type_node, fctx):
        return True
    if not _may_alias(p.type_node, tn) or fctx.types is None:
        return False
    fact = fctx.types.type_of(p.type_node)
    return fact is not None and same_type(fact, tn)


def implements(p: Param, iface: TypeName, fctx) -> bool:
    """Whether the type of p implements the interface `iface` (by the Go specification: a
    value type's method set lacks its pointer methods). The syntax answers when p's type is
    iface itself, iface is the empty interface, or p's type is predeclared; the type checker
    otherwise (named types, pointers, aliases, embedded interfaces)."""
    if iface.is_empty_interface or param_has_type(p, iface, fctx):
        return True
    leaf = _leaf(p.type_node)
    if leaf.type == "type_identifier" and leaf.text.decode() in PREDECLARED:
        return False
    types = fctx.types
    return types is not None and types.implements(p.type_node, iface)


def _leaf(node):
    """The named type under pointer, slice and parentheses."""
    while node.type in ("pointer_type", "slice_type", "parenthesized_type") and node.named_children:
        node = node.child_by_field_name("element") if node.type == "slice_type" else node.named_children[-1]
    return node


def _may_alias(node, tn: TypeName) -> bool:
    """Whether a type spelled `node` may still be tn: the same shape of pointers and slices
    around a name that may be an alias (one of this package's, or a qualified one with tn's
    name: golang.org/x/net/context.Context is context.Context). A cheap test first, so a
    build whose spellings are exact never runs the type checker."""
    prefix = tn.prefix
    while prefix and node is not None:
        sym = "*" if prefix.startswith("*") else "[]"
        kind = "pointer_type" if sym == "*" else "slice_type"
        if node.type != kind:
            return False
        node = node.child_by_field_name("element") if kind == "slice_type" else node.named_children[-1]
        prefix = prefix[len(sym):]
    if node is None:
        return False
    if node.type == "type_identifier":
        return node.text.decode() not in PREDECLARED and node.text.decode() not in ("any", "error")
    if node.type == "qualified_type":
        name = node.child_by_field_name("name")
        return name is not None and name.text.decode() == tn.name
    return False


def function_name(func) -> str:
    name = func.child_by_field_name("name")
    return "" if name is None else name.text.decode()
