"""function (with its options) and function-body."""

from __future__ import annotations

from ...prefilter import all_of, has
from ..errors import SpecError
from ..registry import FUNCTION_TYPES, JoinPoint, expect, join_point
from ..signature import function_name, implements, param_has_type, params
from ..site import Site
from ..types import parse_type_name, type_matches


class Option:
    """One `function` option: a predicate over a function node."""

    def holds(self, func, fctx) -> bool:
        raise NotImplementedError

    needle: bytes | None = None


class Name(Option):
    def __init__(self, name):
        self.name = name
        self.needle = name.encode() if name else b"func"

    def holds(self, func, fctx):
        if func.type == "func_literal":
            return self.name == ""
        return function_name(func) == self.name


class Receiver(Option):
    def __init__(self, value, line):
        self.any = value if isinstance(value, bool) else None
        self.type = None if self.any is not None else parse_type_name(value, line)
        if self.type is not None and (self.type.prefix not in ("", "*")):
            raise SpecError(f"bad receiver type {value!r}", line)

    def holds(self, func, fctx):
        is_method = func.type == "method_declaration"
        if self.any is not None:
            return is_method == self.any
        if not is_method:
            return False
        recv = params(func, "receiver")
        if not recv:
            return False
        path = self.type.path
        if path and fctx.package.import_path and path != fctx.package.import_path:
            return False
        local = parse_type_name(f"{self.type.prefix}{self.type.name}")
        # Spelled only: a method's receiver names its type (an alias receiver is too rare
        # to run the type checker over every method of a package such as net/http).
        return type_matches(local, recv[0].type_node, fctx)


class Signature(Option):
    def __init__(self, value, line, contains):
        expect(value, dict, "a mapping with args and/or returns", line)
        unknown = set(value) - {"args", "returns"}
        if unknown:
            raise SpecError(f"unknown signature field {sorted(unknown)[0]!r} (expected args, returns)", line)
        self.contains = contains
        self.args = [parse_type_name(t, line) for t in expect(value.get("args") or [], list, "a list of type names", line)]
        self.returns = [parse_type_name(t, line) for t in expect(value.get("returns") or [], list, "a list of type names", line)]

    def holds(self, func, fctx):
        args, results = params(func, "parameters"), params(func, "result")
        if self.contains:
            return any(param_has_type(p, t, fctx) for t in self.args for p in args) or any(
                param_has_type(p, t, fctx) for t in self.returns for p in results)
        return _exact(args, self.args, fctx) and _exact(results, self.returns, fctx)


def _exact(ps, types, fctx):
    return len(ps) == len(types) and all(param_has_type(p, t, fctx) for p, t in zip(ps, types))


class Implements(Option):
    def __init__(self, value, line, where):
        self.iface, self.where = parse_type_name(value, line), where

    def holds(self, func, fctx):
        if self.where == "argument":
            return any(implements(p, self.iface, fctx) for p in params(func, "parameters"))
        results = params(func, "result")
        if self.where == "final":
            return bool(results) and implements(results[-1], self.iface, fctx)
        return any(implements(p, self.iface, fctx) for p in results)


def _option(item, line) -> Option:
    expect(item, dict, "a one-key option mapping such as {name: Foo}", line)
    if len(item) != 1:
        raise SpecError(f"each function option is a one-key mapping, got {len(item)} keys", line)
    (key, value), = item.items()
    if key == "name":
        return Name(expect(value, str, "a function name", line))
    if key == "receiver":
        return Receiver(expect(value, (str, bool), "a receiver type or a boolean", line), line)
    if key in ("signature", "signature-contains"):
        return Signature(value, line, key == "signature-contains")
    where = {"result-implements": "result", "final-result-implements": "final",
             "argument-implements": "argument"}.get(key)
    if where:
        return Implements(expect(value, str, "a type name", line), line, where)
    known = "name, receiver, signature, signature-contains, result-implements, final-result-implements, argument-implements"
    raise SpecError(f"unknown function option {key!r} (expected one of {known})", line)


@join_point("function")
class Function(JoinPoint):
    node_types = FUNCTION_TYPES

    def __init__(self, options):
        self.options = options

    @classmethod
    def from_value(cls, value, line, build):
        if isinstance(value, dict) and len(value) != 1:
            value = [{k: v} for k, v in value.items()]    # a mapping of options reads as a list
        elif isinstance(value, dict):
            value = [value]
        expect(value, list, "a list of function options", line)
        lines = getattr(value, "lines", [line] * len(value))
        return cls(tuple(_option(item, lines[i]) for i, item in enumerate(value)))

    def matches(self, site):
        node = site.node
        return node.type in FUNCTION_TYPES and all(o.holds(node, site.file) for o in self.options)

    def prefilter(self):
        return all_of(*(has(o.needle) for o in self.options if o.needle is not None))

    def interfaces(self):
        return tuple(str(o.iface) for o in self.options if isinstance(o, Implements))


@join_point("function-body")
class FunctionBody(JoinPoint):
    node_types = frozenset({"block"})

    def __init__(self, inner):
        self.inner = inner

    @classmethod
    def from_value(cls, value, line, build):
        return cls(build(value, line))

    def matches(self, site):
        parent = site.node.parent
        if parent is None or parent.type not in FUNCTION_TYPES:
            return False
        if parent.child_by_field_name("body") != site.node:
            return False
        return self.inner.matches(Site(parent, site.file))

    def package_may_match(self, package):
        return self.inner.package_may_match(package)

    def package_gate(self):
        return self.inner.package_gate()

    def prefilter(self):
        return self.inner.prefilter()

    def interfaces(self):
        return self.inner.interfaces()
