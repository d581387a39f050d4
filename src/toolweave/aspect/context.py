"""The template context: what `{{ . }}`, `.AST`, `.Function` and `.DirectiveArgs` mean.

Original nodes render as placeholders (`__tw_node_N__`) that code.py turns back into
`Orig` segments, so moved code keeps its positions.
"""

from __future__ import annotations

from dataclasses import dataclass

from .. import __version__
from .signature import implements, param_has_type, params
from .site import Site, enclosing_function, find_directive
from .types import parse_type_name

#: Go AST field names -> how to reach them in tree-sitter-go (a field name, or a callable).
_FIELDS = {
    "call_expression": {"Fun": "function", "Args": lambda n: _list(n.child_by_field_name("arguments"))},
    "selector_expression": {"X": "operand", "Sel": "field"},
    "composite_literal": {"Type": "type", "Elts": lambda n: _list(n.child_by_field_name("body"))},
    "unary_expression": {"X": "operand", "Op": lambda n: n.children[0].text.decode()},
    "binary_expression": {"X": "left", "Y": "right", "Op": lambda n: n.child_by_field_name("operator").text.decode()},
    "keyed_element": {"Key": lambda n: n.named_children[0], "Value": lambda n: n.named_children[-1]},
    "index_expression": {"X": "operand", "Index": "index"},
    "parenthesized_expression": {"X": lambda n: n.named_children[0]},
    "function_declaration": {"Name": "name", "Body": "body", "Type": "parameters"},
    "method_declaration": {"Name": "name", "Body": "body", "Recv": "receiver", "Type": "parameters"},
    "func_literal": {"Body": "body", "Type": "parameters"},
    "var_spec": {"Names": lambda n: NodeList(n.children_by_field_name("name")), "Type": "type",
                 "Values": lambda n: _list(n.child_by_field_name("value"))},
    "type_spec": {"Name": "name", "Type": "type"},
    "block": {"List": lambda n: _list(next((c for c in n.named_children if c.type == "statement_list"), None))},
}
_FIELDS["const_spec"] = _FIELDS["var_spec"]


class NodeList(list):
    """A list of original nodes; as a whole it renders as the source they span."""


def _list(node):
    return NodeList([c for c in node.named_children if c.type != "comment"] if node is not None else [])


class Holes:
    """Placeholders handed out during one render."""

    def __init__(self):
        self.ranges: list[tuple[int, int]] = []

    def of(self, start: int, end: int) -> str:
        self.ranges.append((start, end))
        return f"__tw_node_{len(self.ranges) - 1}__"

    def __getitem__(self, i):
        return self.ranges[i]


class NodeView:
    """An original node in a template: prints as (a placeholder for) its source; `.AST`
    views its children by Go field name."""

    def __init__(self, node, holes: Holes):
        self._node, self._holes = node, holes

    def __str__(self) -> str:
        return self._holes.of(self._node.start_byte, self._node.end_byte)

    def __getattr__(self, name):
        if name.startswith("_"):
            raise AttributeError(name)
        return _child(self._node, name, self._holes)


class ASTView(NodeView):
    pass


def _child(node, name: str, holes: Holes):
    how = _FIELDS.get(node.type, {}).get(name)
    if how is None:
        how = name[:1].lower() + name[1:]
    value = how(node) if callable(how) else node.child_by_field_name(how)
    if value is None and not callable(how):
        raise AttributeError(f"{node.type} has no field {name}")
    return _wrap(value, holes)


def _wrap(value, holes):
    if isinstance(value, NodeList):
        return ListView([NodeView(n, holes) for n in value], holes, value)
    if value is None or isinstance(value, (str, bool, int)):
        return value
    return NodeView(value, holes)


class ListView(list):
    """A list child: ranging yields NodeViews; printed whole, it is the source it spans."""

    def __init__(self, views, holes, nodes):
        super().__init__(views)
        self._holes, self._nodes = holes, nodes

    def __str__(self) -> str:
        if not self._nodes:
            return ""
        return self._holes.of(self._nodes[0].start_byte, self._nodes[-1].end_byte)


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
        found = [p for p in params(self._func, "result") if implements(p, tn, self._site.file)]
        return self._weaver.param_names(self._func, "result")[found[-1].index] if found else ""

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
        return ASTView(self._site.node, self.holes)

    @property
    def Function(self):
        func = enclosing_function(self._site.node)
        if func is None:
            raise ValueError("the matched node is not inside a function")
        return FunctionView(func, self._site, self._weaver)

    def DirectiveArgs(self, name) -> list:
        raw = find_directive(self._site.node, str(name).encode())
        return [] if raw is None else directive_args(raw)
