"""Advice kinds, one module per family: statements, expressions, declarations, structs,
calls, values. Importing a module registers its kinds."""

from __future__ import annotations

from ..code import CodeTemplate
from ..context import Dot
from ..errors import SpecError
from ..registry import Advice, expect


def render(template: CodeTemplate, site, weaver, shape: str) -> list:
    """Render a code template for a site into edit segments (records its `lang`)."""
    if template.lang:
        weaver.langs.add(template.lang)
    return template.render(Dot(site, weaver), shape, weaver)


def code_template(value, line):
    from ... import __version__
    return CodeTemplate.from_value(value, line, __version__)


class TemplateAdvice(Advice):
    """Advice whose whole value is one code template."""

    def __init__(self, template):
        self.template = template

    @classmethod
    def from_value(cls, value, line):
        return cls(code_template(value, line))

    def templates(self):
        return [self.template]


def exact_fields(value, fields: tuple[str, ...], line: int, what: str):
    """Check that `value` is a mapping with exactly `fields`; returns it."""
    expect(value, dict, what, line)
    if set(value) != set(fields):
        raise SpecError(f"expected exactly the fields {' and '.join(fields)}", line)
    return value
