"""Local scopes, syntactically: is a file-level name (an import) hidden at a given identifier?

Go's block scoping, read off the tree: parameters, results and the receiver are visible in
the body; a declaration in a block from the end of its statement on; the initializer of an
`if`/`for`/`switch` in the whole statement; range variables, a type switch's symbol and a
select case's received variables in their body or clauses. Declarations in sibling or nested
blocks never hide a name outside them, so an import is only lost where Go loses it.
"""

from __future__ import annotations

from .paramlist import groups
from .registry import FUNCTION_TYPES

#: Nodes whose children are statements in sequence (declarations visible after them).
_SEQUENCES = frozenset({"statement_list", "expression_case", "type_case", "default_case", "communication_case"})
_STATEMENTS_WITH_INIT = frozenset({"if_statement", "expression_switch_statement", "type_switch_statement", "for_clause"})


def shadowed(ident) -> bool:
    """Whether a local declaration visible at identifier node `ident` has its name."""
    return local_declaration(ident) is not None


def local_declaration(ident):
    """The identifier node that declares `ident`'s name in the innermost local scope visible
    at `ident` (the latest such declaration in that scope), or None."""
    name = ident.text
    child, node = ident, ident.parent
    while node is not None and node.type != "source_file":
        found = [n for n in _visible_declarations(node, child) if n.text == name]
        if found:
            return found[-1]
        child, node = node, node.parent
    return None


def _visible_declarations(node, child) -> list:
    """Identifier nodes declared by `node` itself (not inside other children) that are in
    scope within its child `child`."""
    t = node.type
    if t in FUNCTION_TYPES:
        if not is_field(node, "body", child):
            return []          # a signature's own types see the enclosing scope
        return [n for field in ("receiver", "type_parameters", "parameters", "result")
                for n in _parameter_names(node.child_by_field_name(field))]
    found = []
    if t in _SEQUENCES:
        found += [n for stmt in node.named_children if stmt.end_byte <= child.start_byte
                  for n in declared_by_statement(stmt)]
    if t in _STATEMENTS_WITH_INIT:
        init = node.child_by_field_name("initializer")
        if init is not None and not _same(init, child):
            found += declared_by_statement(init)
    if t == "type_switch_statement" and child.type == "type_case":
        found += _list_identifiers(node.child_by_field_name("alias"))
    if t == "for_statement" and is_field(node, "body", child):
        clause = next((c for c in node.named_children if c.type == "range_clause"), None)
        if clause is not None:
            found += _list_identifiers(clause.child_by_field_name("left"))
    if t == "communication_case":
        comm = node.child_by_field_name("communication")
        if comm is not None and comm.type == "receive_statement" and not _same(comm, child):
            found += _list_identifiers(comm.child_by_field_name("left"))
    return found


def declared_by_statement(stmt) -> list:
    """Identifier nodes a statement declares into its enclosing scope."""
    t = stmt.type
    if t == "short_var_declaration":
        return _list_identifiers(stmt.child_by_field_name("left"))
    if t in ("var_declaration", "const_declaration", "type_declaration"):
        specs = []
        for c in stmt.named_children:
            specs += c.named_children if c.type.endswith("_spec_list") else [c]
        return [n for spec in specs for n in spec.children_by_field_name("name")]
    return []


def _parameter_names(plist) -> list:
    if plist is not None and plist.type == "parameter_list":
        return [n for g in groups(plist) for n in g.names]
    if plist is None or plist.type != "type_parameter_list":
        return []
    return [n for decl in plist.named_children for n in decl.children_by_field_name("name")]


def _list_identifiers(exprs) -> list:
    if exprs is None:
        return []
    return [c for c in exprs.named_children if c.type == "identifier"]


def is_field(parent, field: str, node) -> bool:
    """Whether `node` is the child of `parent` in the named field."""
    child = parent.child_by_field_name(field)
    return child is not None and _same(child, node)


def _same(a, b) -> bool:
    return (a.start_byte, a.end_byte, a.type) == (b.start_byte, b.end_byte, b.type)
