"""go-statement: `go f(…)` statements (toolweave's own kind; Orchestrion has no statement join
points). With `prepend-statements`, advice runs on the starting goroutine just before the go
statement evaluates its function value and arguments."""

from __future__ import annotations

from ...prefilter import has
from ..errors import SpecError
from ..registry import JoinPoint, join_point


@join_point("go-statement")
class GoStatement(JoinPoint):
    node_types = frozenset({"go_statement"})

    @classmethod
    def from_value(cls, value, line, build):
        if value is not True:       # room for options later; `false` would match nothing
            raise SpecError(f"go-statement takes true, got {value!r}", line)
        return cls()

    def matches(self, site):
        return site.node.type == "go_statement"

    def prefilter(self):
        return has(b"go")
