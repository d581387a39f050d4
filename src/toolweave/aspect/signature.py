"""Parameters and results of function nodes, as the aspect language sees them."""

from __future__ import annotations

from dataclasses import dataclass

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
    for decl in node.named_children:
        if decl.type not in ("parameter_declaration", "variadic_parameter_declaration"):
            continue
        type_node = decl.child_by_field_name("type")
        variadic = decl.type == "variadic_parameter_declaration"
        names = decl.children_by_field_name("name")
        if not names:
            out.append(Param(len(out), None, None, type_node, variadic, decl))
        for n in names:
            out.append(Param(len(out), n.text.decode(), n, type_node, variadic, decl))
    return out


def param_has_type(p: Param, tn: TypeName, fctx) -> bool:
    if tn.prefix.startswith("..."):
        return p.variadic and type_matches(TypeName(tn.prefix[3:], tn.path, tn.name), p.type_node, fctx)
    return not p.variadic and type_matches(tn, p.type_node, fctx)


def implements(p: Param, iface: TypeName, fctx) -> bool:
    """Syntactic stand-in for "the type of p implements iface": p's type is iface itself,
    or iface is the empty interface. (Exact answers need type information.)"""
    return iface.is_empty_interface or param_has_type(p, iface, fctx)


def function_name(func) -> str:
    name = func.child_by_field_name("name")
    return "" if name is None else name.text.decode()
