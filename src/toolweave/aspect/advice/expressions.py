"""wrap-expression."""

from __future__ import annotations

from ...engine import Gen
from ..registry import EXPRESSION_TYPES, advice
from . import TemplateAdvice, render


@advice("wrap-expression")
class WrapExpression(TemplateAdvice):
    """Replaces an expression (or the value of a `Field: value` element) by the rendered
    expression, in which `{{ . }}` is the original."""

    node_types = EXPRESSION_TYPES

    def apply(self, site, weaver):
        node = site.node
        if node.type == "keyed_element":
            node = node.named_children[-1]
            if node.type == "literal_element" and node.named_children:
                node = node.named_children[0]
            site = type(site)(node, site.file, site.aspect_id)
        segments = render(self.template, site, weaver, "expression")
        if needs_parentheses(segments.kind, node):
            segments = [Gen("("), *segments, Gen(")")]
        weaver.edits.add(node.start_byte, node.end_byte, segments, origin=f"wrap-expression of {site.aspect_id}")


#: Parents in which an operand is bound tighter than any binary operator, and the fields
#: that hold such an operand (`x` in `x.f`, `x(…)`, `x[i]`, `x[i:j]`, `x.(T)`).
_PRIMARY_OPERAND = {"selector_expression": "operand", "call_expression": "function", "index_expression": "operand",
                    "slice_expression": "operand", "type_assertion_expression": "operand"}


def needs_parentheses(kind: str, node) -> bool:
    """Whether a rendered expression of type `kind` replacing `node` must be parenthesized to
    keep its meaning: `a * f()` wrapped as `{{ . }} + 1` is `a * (f() + 1)`, not `a * f() + 1`."""
    if kind not in ("binary_expression", "unary_expression"):
        return False
    parent = node.parent
    if parent is None:
        return False
    if kind == "binary_expression" and parent.type in ("binary_expression", "unary_expression"):
        return True
    field = _PRIMARY_OPERAND.get(parent.type)
    child = parent.child_by_field_name(field) if field else None
    return child is not None and (child.start_byte, child.end_byte) == (node.start_byte, node.end_byte)
