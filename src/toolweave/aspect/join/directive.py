"""directive: nodes carrying `//name` directly or through the statement/declaration they
inherit directives from (site.carries_directive)."""

from __future__ import annotations

import re

from ...prefilter import has
from ..errors import SpecError
from ..registry import JoinPoint, expect, join_point
from ..site import carries_directive

_NAME = re.compile(r"^[A-Za-z0-9_.\-]+(:[A-Za-z0-9_.\-]+)*$")


@join_point("directive")
class Directive(JoinPoint):
    def __init__(self, name: str):
        self.name = name
        self.needle = ("//" + name).encode()

    @classmethod
    def from_value(cls, value, line, build):
        expect(value, str, "a directive name such as weave:span", line)
        if value.startswith("//") or not _NAME.match(value):
            raise SpecError(f"bad directive name {value!r}: write it without '//', e.g. weave:span", line)
        return cls(value)

    def matches(self, site):
        return carries_directive(site.node, self.name.encode())

    def prefilter(self):
        return has(self.needle)
