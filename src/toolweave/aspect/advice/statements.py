"""prepend-statements."""

from __future__ import annotations

from ...engine import Gen
from ..errors import SpecError
from ..registry import Advice, advice, expect
from . import code_template, render


@advice("prepend-statements")
class PrependStatements(Advice):
    """Inserts the rendered statements, in their own `{ … }` block, at the start of a block,
    or just before a go statement (same statement list, so a label on it now labels the block,
    which is where a goto would go anyway). Several on one node: the last applied ends up
    first."""

    node_types = frozenset({"block", "go_statement"})

    def __init__(self, template, order, namespace):
        self.template, self.order, self.namespace = template, order, namespace

    @classmethod
    def from_value(cls, value, line):
        expect(value, (dict, str), "a code template", line)
        if isinstance(value, dict):
            lines = getattr(value, "lines", {})
            value = type(value)(value)
            value.lines = lines
            order = value.pop("order", 0)
            namespace = value.pop("namespace", None)
            if not isinstance(order, int) or isinstance(order, bool):
                raise SpecError(f"order must be an integer, got {order!r}", line)
            if namespace is not None and not isinstance(namespace, str):
                raise SpecError(f"namespace must be a string, got {namespace!r}", line)
        else:
            order, namespace = 0, None
        return cls(code_template(value, line), order, namespace)

    def templates(self):
        return [self.template]

    def apply(self, site, weaver):
        segments = render(self.template, site, weaver, "statements")
        if site.node.type == "block":
            at, before, after = site.node.start_byte + 1, "\n{\n", "\n}\n"
        else:
            at, before, after = site.node.start_byte, "{\n", "\n}\n"
        weaver.edits.add(at, at, [Gen(before)] + segments + [Gen(after)],
                         rank=-len(weaver.edits.edits), origin=f"prepend-statements of {site.aspect_id}")
