"""wrap-expression."""

from __future__ import annotations

from ..registry import EXPRESSION_TYPES, Advice, advice
from . import code_template, render


@advice("wrap-expression")
class WrapExpression(Advice):
    """Replaces an expression (or the value of a `Field: value` element) by the rendered
    expression, in which `{{ . }}` is the original."""

    node_types = EXPRESSION_TYPES

    def __init__(self, template):
        self.template = template

    @classmethod
    def from_value(cls, value, line):
        return cls(code_template(value, line))

    def templates(self):
        return [self.template]

    def apply(self, site, weaver):
        node = site.node
        if node.type == "keyed_element":
            node = node.named_children[-1]
            if node.type == "literal_element" and node.named_children:
                node = node.named_children[0]
            site = type(site)(node, site.file, site.aspect_id)
        segments = render(self.template, site, weaver, "expression")
        weaver.edits.add(node.start_byte, node.end_byte, segments, origin=f"wrap-expression of {site.aspect_id}")
