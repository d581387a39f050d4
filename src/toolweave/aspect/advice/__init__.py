"""Advice kinds, one module per family: statements, expressions, declarations, structs,
calls, values. Importing a module registers its kinds."""

from __future__ import annotations

from ..code import CodeTemplate
from ..context import Dot


def render(template: CodeTemplate, site, weaver, shape: str) -> list:
    """Render a code template for a site into edit segments (records its `lang`)."""
    if template.lang:
        weaver.langs.add(template.lang)
    return template.render(Dot(site, weaver), shape, weaver)


def code_template(value, line):
    from ... import __version__
    return CodeTemplate.from_value(value, line, __version__)
