"""Parameter lists as Go reads them, not as tree-sitter-go splits them.

tree-sitter-go parses a parameter declaration of more than nine names (`func Syscall9(trap,
nargs, a1, a2, a3, a4, a5, a6, a7, a8, a9 uintptr)`, in syscall on Windows) as type-only
declarations (`trap`, `nargs`) followed by one that has the type (`a1, …, a9 uintptr`). Go
requires the names of a list to be all present or all absent (the spec, "Function types"),
so in a list where any declaration has names, a type-only declaration whose "type" is a bare
identifier is a name of the next declaration's type. Without this, a weave that names the
unnamed parameters (`__tw_arg0 trap, …`) turned names into types and the package no longer
compiled (found by weaving std for GOOS=windows, scripts/weave-world).
"""

from __future__ import annotations

from dataclasses import dataclass

_DECLS = ("parameter_declaration", "variadic_parameter_declaration")


@dataclass(frozen=True)
class Group:
    """One declaration of a parameter list: `names` its identifier nodes (tree-sitter's split-off
    ones first, as `type_identifier` nodes), empty when the list is unnamed; `decl` the node
    that holds `type_node` (the group's last)."""

    decl: object
    names: tuple
    type_node: object
    variadic: bool


def groups(plist) -> list[Group]:
    """The declarations of a parameter_list, split-off names joined to the declaration whose
    type they share (see the module's docstring). Other nodes (a single unparenthesised
    result type) give []."""
    if plist is None or plist.type != "parameter_list":
        return []
    decls = [d for d in plist.named_children if d.type in _DECLS]
    named = any(d.child_by_field_name("name") is not None for d in decls)
    out: list[Group] = []
    pending: list = []
    for d in decls:
        type_node = d.child_by_field_name("type")
        names = d.children_by_field_name("name")
        if named and not names and d.type == "parameter_declaration" and _bare(type_node):
            pending.append(d)
            continue
        out.append(Group(d, (*(p.child_by_field_name("type") for p in pending), *names), type_node,
                         d.type == "variadic_parameter_declaration"))
        pending = []
    for p in pending:            # names with no type after them: not Go; kept as they were
        out.append(Group(p, (), p.child_by_field_name("type"), False))
    return out


def _bare(type_node) -> bool:
    return type_node is not None and type_node.type == "type_identifier"
