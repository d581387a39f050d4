"""The template context: what `{{ . }}`, `.AST`, `.Function` and `.DirectiveArgs` mean.

Original nodes render as placeholders (`__tw_node_N__`) that code.py turns back into
`Orig` segments, so moved code keeps its positions.
"""

from __future__ import annotations

from dataclasses import dataclass

from .. import __version__
from .astview import Env, Holes, view
from .signature import implements, param_has_type, params
from .site import Site, enclosing_function, find_directive
from .types import parse_type_name

@dataclass(frozen=True)
class Param:
    Name: str
    Type: str


@dataclass(frozen=True)
class DirectiveArg:
    Key: str
    Value: str

    def __str__(self) -> str:
        return f"{self.Key}:{self.Value}" if self.Value else self.Key


def directive_args(raw: bytes) -> list[DirectiveArg]:
    """Split `key:value key2:"quoted value" bare` into DirectiveArgs."""
    out, text, i = [], raw.decode(), 0
    while i < len(text):
        if text[i] in " \t":
            i += 1
            continue
        token, i = _token(text, i)
        key, sep, value = token.partition(":")
        out.append(DirectiveArg(key, value))
    return out


def _token(text: str, i: int) -> tuple[str, int]:
    buf = []
    while i < len(text) and text[i] not in " \t":
        if text[i] in "\"'":
            quote, i = text[i], i + 1
            while i < len(text) and text[i] != quote:
                if text[i] == "\\" and quote == '"' and i + 1 < len(text):
                    i += 1
                buf.append(text[i])
                i += 1
            i += 1
        else:
            buf.append(text[i])
            i += 1
    return "".join(buf), i


class FunctionView:
    """`.Function`: the nearest enclosing function of the matched node."""

    def __init__(self, func, site: Site, weaver):
        self._func, self._site, self._weaver = func, site, weaver

    @property
    def Name(self) -> str:
        name = self._func.child_by_field_name("name")
        return "" if name is None or self._func.type == "func_literal" else name.text.decode()

    @property
    def Receiver(self) -> str:
        if self._func.type != "method_declaration":
            return ""
        return self._weaver.param_names(self._func, "receiver")[0]

    def Argument(self, n) -> str:
        return self._nth("parameters", n, "argument")

    @property
    def Arguments(self) -> list:
        """Every parameter as {Name, Type} (unnamed ones named), for templates that log or
        record all of them. An extension of the Orchestrion context."""
        names = self._weaver.param_names(self._func, "parameters")
        src = self._site.file.source
        return [Param(name, ("..." if p.variadic else "") + src.text(p.type_node))
                for name, p in zip(names, params(self._func, "parameters"))]

    def Result(self, n) -> str:
        return self._nth("result", n, "result")

    def _nth(self, field, n, what):
        names = self._weaver.param_names(self._func, field)
        if not isinstance(n, int) or not 0 <= n < len(names):
            raise IndexError(f"{what} index {n} out of range: the function has {len(names)}")
        return names[n]

    def _find(self, field, type_name, test):
        tn = parse_type_name(type_name)
        for p in params(self._func, field):
            if test(p, tn, self._site.file):
                return self._weaver.param_names(self._func, field)[p.index]
        return ""

    def ArgumentOfType(self, t):
        return self._find("parameters", t, param_has_type)

    def ResultOfType(self, t):
        return self._find("result", t, param_has_type)

    def ArgumentThatImplements(self, i):
        return self._find("parameters", i, implements)

    def ResultThatImplements(self, i):
        return self._find("result", i, implements)

    def LastResultThatImplements(self, i):
        tn = parse_type_name(i)
        # From the end: the last result is usually `error`, answered without the type checker.
        found = next((p for p in reversed(params(self._func, "result")) if implements(p, tn, self._site.file)), None)
        return "" if found is None else self._weaver.param_names(self._func, "result")[found.index]

    def FinalResultImplements(self, i) -> bool:
        results = params(self._func, "result")
        return bool(results) and implements(results[-1], parse_type_name(i), self._site.file)


class Dot:
    """The dot of a code template: the matched node and what surrounds it."""

    Version = __version__

    def __init__(self, site: Site, weaver):
        self._site, self._weaver = site, weaver
        self.holes = Holes()

    def __str__(self) -> str:
        node = self._site.node
        return self.holes.of(node.start_byte, node.end_byte)

    @property
    def AST(self):
        return view(self._site.node, Env(self.holes, self._site.file))

    @property
    def Function(self):
        func = enclosing_function(self._site.node)
        if func is None:
            raise ValueError("the matched node is not inside a function")
        return FunctionView(func, self._site, self._weaver)

    def DirectiveArgs(self, name) -> list:
        raw = find_directive(self._site.node, str(name).encode())
        return [] if raw is None else directive_args(raw)
