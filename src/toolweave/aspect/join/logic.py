"""all-of, one-of, not: join points made of join points."""

from __future__ import annotations

from ... import packagegate
from ...prefilter import all_of, any_of
from ..errors import SpecError
from ..registry import ANY, JoinPoint, expect, join_point


def _children(value, line, build, kind):
    expect(value, list, "a list of join points", line)
    if not value:
        raise SpecError("needs at least 1 join point, got 0", line)
    lines = getattr(value, "lines", [line] * len(value))
    return tuple(build(v, lines[i]) for i, v in enumerate(value))


@join_point("all-of")
class AllOf(JoinPoint):
    def __init__(self, children):
        self.children = children
        types = [c.node_types for c in children if c.node_types is not ANY]
        self.node_types = frozenset.intersection(*types) if types else ANY

    @classmethod
    def from_value(cls, value, line, build):
        return cls(_children(value, line, build, cls.kind))

    def matches(self, site):
        return all(c.matches(site) for c in self.children)

    def package_may_match(self, package):
        answers = [c.package_may_match(package) for c in self.children]
        if False in answers:
            return False
        return True if all(a is True for a in answers) else None

    def package_gate(self):
        return packagegate.all_of(*(c.package_gate() for c in self.children))

    def prefilter(self):
        return all_of(*(c.prefilter() for c in self.children))

    def interfaces(self):
        return tuple(i for c in self.children for i in c.interfaces())


@join_point("one-of")
class OneOf(JoinPoint):
    def __init__(self, children):
        self.children = children
        types = [c.node_types for c in children]
        self.node_types = ANY if ANY in types else frozenset().union(*types)

    @classmethod
    def from_value(cls, value, line, build):
        return cls(_children(value, line, build, cls.kind))

    def matches(self, site):
        return any(c.matches(site) for c in self.children)

    def package_may_match(self, package):
        answers = [c.package_may_match(package) for c in self.children]
        if True in answers:
            return True
        return False if all(a is False for a in answers) else None

    def package_gate(self):
        return packagegate.any_of(*(c.package_gate() for c in self.children))

    def prefilter(self):
        return any_of(*(c.prefilter() for c in self.children))

    def interfaces(self):
        return tuple(i for c in self.children for i in c.interfaces())


@join_point("not")
class Not(JoinPoint):
    def __init__(self, child):
        self.child = child

    @classmethod
    def from_value(cls, value, line, build):
        return cls(build(value, line))

    def matches(self, site):
        return not self.child.matches(site)

    def package_may_match(self, package):
        answer = self.child.package_may_match(package)
        return None if answer is None else not answer

    def package_gate(self):
        return packagegate.negate(self.child.package_gate())

    def interfaces(self):
        return self.child.interfaces()
