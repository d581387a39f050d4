"""function-call and method-call: call expressions by what they call."""

from __future__ import annotations

from ...packagegate import any_of, may
from ...prefilter import has
from ..errors import SpecError
from ..paramlist import groups
from ..registry import JoinPoint, expect, join_point
from ..scope import declared_by_statement, local_declaration
from ..typefacts import same_type
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

    def package_gate(self):
        return may(any_of(["path", self.path], ["imports", self.path])) if self.path else None

    def prefilter(self):
        return has(self.name.encode())


@join_point("method-call")
class MethodCall(JoinPoint):
    """`x.Method(...)` where x has the receiver type (or a pointer to it), or where Method is
    that type's, promoted through an embedded field. The syntax answers when x is an
    identifier whose declaration in scope spells its type (see `declared_type`); the type
    checker when x is anything else (a field, a call's result, a package variable of
    another file) or is declared with another name (an alias, an embedding struct)."""

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
        if field.text.decode() != self.name:
            return False
        if operand.type == "identifier":
            if site.file.resolve_qualifier(operand) is not None:
                return False                    # pkg.Func(...): not a method call
            type_node = declared_type(operand, site.node)
            if type_node is not None and self._spelled(type_node, site.file):
                return True
        return self._checked(operand, site.file)

    def _pointer_ok(self, pointer: bool) -> bool:
        return not ((self.match == "pointer-only" and not pointer) or (self.match == "value-only" and pointer))

    def _spelled(self, type_node, fctx) -> bool:
        pointer = type_node.type == "pointer_type"
        if pointer:
            type_node = type_node.named_children[-1]
        return self._pointer_ok(pointer) and type_matches(self.recv, type_node, fctx)

    def _checked(self, operand, fctx) -> bool:
        """By the type checker: the operand's type, or the receiver of the method selected."""
        facts = fctx.types
        fact = facts.operand(operand) if facts is not None else None
        if fact is None:
            return False
        for t in fact:
            pointer = t.startswith("*")
            if same_type(t.removeprefix("*"), self.recv):
                return self._pointer_ok(pointer)
        return False

    def prefilter(self):
        return has(self.name.encode())


def declared_type(ident, at):
    """The type node of the variable `ident` (used at `at`): from the declaration in scope
    there (a local, a parameter or receiver, else a package-level var of this file), when
    it spells the type (`x T`, `var x T`, `x := T{…}`, `x := &T{…}`, `x := new(T)`); None
    when the type is not syntactically evident."""
    decl = local_declaration(ident)
    if decl is None:
        decl = _package_var(ident)
    return None if decl is None else _type_of_declared(decl)


def _package_var(ident):
    root = ident
    while root.parent is not None:
        root = root.parent
    for top in root.named_children:
        if top.type == "var_declaration":
            for name in declared_by_statement(top):
                if name.text == ident.text:
                    return name
    return None


def _type_of_declared(name):
    """The type of the variable a declaring identifier node declares, if spelled out."""
    owner = name.parent
    if owner.type == "parameter_declaration":
        # the group's type: a name tree-sitter-go split off is its declaration's "type"
        return next((g.type_node for g in groups(owner.parent)
                     if any(n.start_byte == name.start_byte for n in g.names)), None)
    if owner.type == "var_spec":
        spelled = owner.child_by_field_name("type")
        if spelled is not None:
            return spelled
        index = [n.start_byte for n in owner.children_by_field_name("name")].index(name.start_byte)
        return _value_type(owner.child_by_field_name("value"), index)
    if owner.type == "expression_list" and owner.parent.type == "short_var_declaration":
        index = [n.start_byte for n in owner.named_children].index(name.start_byte)
        return _value_type(owner.parent.child_by_field_name("right"), index)
    return None


def _value_type(values, index):
    if values is None or index >= len(values.named_children):
        return None
    return _literal_type(values.named_children[index])


def _literal_type(expr):
    if expr.type == "composite_literal":
        return expr.child_by_field_name("type")
    if expr.type == "unary_expression" and expr.child_by_field_name("operand") is not None:
        inner = expr.child_by_field_name("operand")
        if inner.type == "composite_literal" and expr.children[0].type == "&":
            return _PointerTo(inner.child_by_field_name("type"))
    if expr.type == "call_expression" and callee(expr).text == b"new":
        args = [a for a in expr.child_by_field_name("arguments").named_children if a.type != "comment"]
        if len(args) == 1:
            return _PointerTo(args[0])
    return None


class _PointerTo:
    """A stand-in pointer_type node for `&T{...}`."""

    type = "pointer_type"

    def __init__(self, inner):
        self.named_children = [inner]
