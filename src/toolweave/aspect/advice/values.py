"""assign-value."""

from __future__ import annotations

from ...engine import Gen
from ..registry import advice
from . import TemplateAdvice, render


@advice("assign-value")
class AssignValue(TemplateAdvice):
    """Sets the initial value of every name in a var/const spec."""

    node_types = frozenset({"var_spec", "const_spec"})

    def apply(self, site, weaver):
        spec = site.node
        names = spec.children_by_field_name("name")
        values = spec.child_by_field_name("value")
        rendered = []
        for i in range(len(names)):
            rendered += ([Gen(", ")] if i else []) + render(self.template, site, weaver, "expression")
        origin = f"assign-value of {site.aspect_id}"
        if values is not None:
            weaver.edits.add(values.start_byte, values.end_byte, rendered, origin=origin)
        else:
            anchor = spec.child_by_field_name("type") or names[-1]
            weaver.edits.add(anchor.end_byte, anchor.end_byte, [Gen(" = ")] + rendered, origin=origin)
