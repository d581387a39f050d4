"""function-call and method-call: call expressions by what they call."""

from __future__ import annotations

from ..errors import SpecError
from ..registry import JoinPoint, expect, join_point
from ..signature import params
from ..site import enclosing_function
from ..types import TypeName, parse_qualified, type_matches

CALL = frozenset({"call_expression"})


def callee(call):
    fn = call.child_by_field_name("function")
    while fn is not None and fn.type == "parenthesized_expression" and fn.named_children:
        fn = fn.named_children[0]
    return fn


def calls_function(call, path: str, name: str, fctx) -> bool:
    """Whether `call` calls path.name (qualified, dot-imported, or local to that package)."""
    fn = callee(call)
    if fn is None:
        return False
    if fn.type == "identifier":
        if fn.text.decode() != name:
            return False
        return not path or path == fctx.package.import_path or fctx.imports.dot_imported(path)
    if fn.type == "selector_expression" and path:
        operand, field = fn.child_by_field_name("operand"), fn.child_by_field_name("field")
        return (operand.type == "identifier" and field.text.decode() == name
                and fctx.resolve_qualifier(operand) == path)
    return False


@join_point("function-call")
class FunctionCall(JoinPoint):
    node_types = CALL

    def __init__(self, path, name):
        self.path, self.name = path, name

    @classmethod
    def from_value(cls, value, line, build):
        expect(value, str, "a function name such as net/http.Get", line)
        return cls(*parse_qualified(value, line, "function name"))

    def matches(self, site):
        return calls_function(site.node, self.path, self.name, site.file)

    def package_may_match(self, package):
        if not self.path or package.imports is None or self.path == package.import_path:
            return None
        return None if self.path in package.imports else False

    def file_may_match(self, data):
        return self.name.encode() in data


@join_point("method-call")
class MethodCall(JoinPoint):
    """`x.Method(...)` where x is known to have the receiver type. Syntactic limit: x must be
    an identifier declared in the enclosing functions with an explicit type (parameter,
    receiver, `var x T`) or by `x := T{...}` / `x := &T{...}`."""

    node_types = CALL

    def __init__(self, recv: TypeName, name: str, match: str):
        self.recv, self.name, self.match = recv, name, match

    @classmethod
    def from_value(cls, value, line, build):
        expect(value, dict, "a mapping with receiver, name and match", line)
        unknown = set(value) - {"receiver", "name", "match"}
        if unknown:
            raise SpecError(f"unknown field {sorted(unknown)[0]!r} (expected receiver, name, match)", line)
        for key in ("receiver", "name"):
            if key not in value:
                raise SpecError(f"missing {key}", line)
        path, tname = parse_qualified(expect(value["receiver"], str, "a type name", line), line, "receiver type")
        match = value.get("match", "any")
        if match not in ("any", "pointer-only", "value-only"):
            raise SpecError(f"bad match {match!r} (expected any, pointer-only, value-only)", line)
        return cls(TypeName("", path, tname), expect(value["name"], str, "a method name", line), match)

    def matches(self, site):
        fn = callee(site.node)
        if fn is None or fn.type != "selector_expression":
            return False
        operand, field = fn.child_by_field_name("operand"), fn.child_by_field_name("field")
        if field.text.decode() != self.name or operand.type != "identifier":
            return False
        type_node = declared_type(operand, site.node)
        if type_node is None:
            return False
        pointer = type_node.type == "pointer_type"
        if (self.match == "pointer-only" and not pointer) or (self.match == "value-only" and pointer):
            return False
        if pointer:
            type_node = type_node.named_children[-1]
        return type_matches(self.recv, type_node, site.file)

    def file_may_match(self, data):
        return self.name.encode() in data


def declared_type(ident, at):
    """The type node of the variable `ident` as declared before `at` in its enclosing
    functions, or None when it is not syntactically evident."""
    name = ident.text
    func = enclosing_function(at)
    while func is not None:
        for field in ("receiver", "parameters"):
            for p in params(func, field):
                if p.name_node is not None and p.name_node.text == name:
                    return p.type_node
        found = _local_declaration(func.child_by_field_name("body"), name, at.start_byte)
        if found is not None:
            return found
        func = enclosing_function(func.parent)
    return None


def _local_declaration(body, name, before):
    found = None
    stack = [body] if body is not None else []
    while stack:
        node = stack.pop()
        if node.start_byte >= before:
            continue
        if node.type == "var_spec" and any(n.text == name for n in node.children_by_field_name("name")):
            found = node.child_by_field_name("type") or found
        elif node.type == "short_var_declaration":
            left, right = node.child_by_field_name("left"), node.child_by_field_name("right")
            for i, n in enumerate(left.named_children):
                if n.text == name and i < len(right.named_children):
                    found = _literal_type(right.named_children[i]) or found
        stack.extend(c for c in node.named_children if c.type not in ("func_literal",))
    return found


def _literal_type(expr):
    if expr.type == "composite_literal":
        return expr.child_by_field_name("type")
    if expr.type == "unary_expression" and expr.child_by_field_name("operand") is not None:
        inner = expr.child_by_field_name("operand")
        if inner.type == "composite_literal" and expr.children[0].type == "&":
            return _PointerTo(inner.child_by_field_name("type"))
    return None


class _PointerTo:
    """A stand-in pointer_type node for `&T{...}`."""

    type = "pointer_type"

    def __init__(self, inner):
        self.named_children = [inner]
