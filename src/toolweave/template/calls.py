"""Function and method calls: Go's ``evalCall``, ``evalArg``, ``validateType``.

Contract: :class:`Caller` checks argument counts against the callee's
:class:`~values.Signature`, evaluates each argument for its parameter type
(typed literals, ``interface {}``, ``reflect.Value``), invokes the callee and
turns any exception it raises into ``error calling NAME: MESSAGE``.
"""

from .funcs import call_function, to_result
from .nodes import (BoolNode, ChainNode, DotNode, FieldNode, IdentifierNode,
                    NilNode, NumberNode, PipeNode, StringNode, VariableNode)
from .values import ANY, MISSING, RV, Iface, Uint8, can_be_nil, is_true, plain, type_name

_INT_TYPES = frozenset(("int", "int8", "int16", "int32", "int64"))
_UINT_TYPES = frozenset(("uint", "uint8", "uint16", "uint32", "uint64", "uintptr"))
_FLOAT_TYPES = frozenset(("float32", "float64"))


def _param_type(sig, i):
    return sig.params[i] if i < len(sig.params) else sig.variadic


class Caller:
    """Mixin for the execution state (needs eval_* methods and errorf)."""

    __slots__ = ()

    def eval_call(self, dot, impl, sig, is_builtin, node, name, args, final):
        """Call *impl*; *args* are the command's nodes (args[0] is the callee)."""
        args = args[1:] if args is not None else ()
        num_in = len(args) + (final is not MISSING)
        n = len(sig.params)
        if sig.variadic is not None:
            if num_in < n:
                self.errorf("wrong number of args for %s: want at least %d got %d"
                            % (name, n, len(args)))
        elif not n - sig.optional <= num_in <= n:
            self.errorf("wrong number of args for %s: want %d got %d" % (name, n, num_in))
        if is_builtin and name in ("and", "or"):
            return self._and_or(dot, name, args, final)
        argv = []
        for i, arg in enumerate(args):
            t = _param_type(sig, i)
            v = self.eval_arg(dot, t, arg)
            argv.append(v if t == RV else plain(v))
        if final is not MISSING:
            t = _param_type(sig, num_in - 1)
            v = self.validate_type(final, t)
            argv.append(v if t == RV else plain(v))
        if is_builtin and name == "call":
            argv.insert(0, str(args[0]) if args else _value_string(final))
            impl = call_function
        try:
            result = impl(*argv)
        except Exception as err:  # Go: a returned error or a recovered panic
            self.node = node
            self.errorf("error calling %s: %s" % (name, err))
        return result if is_builtin else to_result(result)

    def _and_or(self, dot, name, args, final):
        """Short-circuit and/or: return the deciding argument unevaluated-past."""
        want = name == "or"
        v = None
        for arg in args:
            v = self.eval_arg(dot, RV, arg)
            if is_true(v) == want:
                return v
        if final is not MISSING:
            v = self.validate_type(final, RV)
        return v

    def validate_type(self, value, typ):
        """Check that *value* can be passed as Go type *typ*."""
        if value is None:
            if typ is None or can_be_nil(typ):
                return None
            self.errorf("invalid value; expected %s" % typ)
        if typ is None or typ == RV or typ == ANY:
            return value
        vt = type_name(value)
        if vt == typ:
            return value
        if type(value) is Iface and value.v is not None:
            value = value.v
            vt = type_name(value)
            if vt == typ:
                return value
        self.errorf("wrong type for value; expected %s; got %s" % (typ, vt))

    def eval_arg(self, dot, typ, n):
        """Evaluate argument node *n* for a parameter of Go type *typ*."""
        self.node = n
        t = type(n)
        if t is DotNode:
            return self.validate_type(dot, typ)
        if t is NilNode:
            if typ is not None and can_be_nil(typ):
                return None
            self.errorf("cannot assign nil to %s" % typ)
        if t is FieldNode:
            return self.validate_type(self.eval_field_node(dot, n, [n], MISSING), typ)
        if t is VariableNode:
            return self.validate_type(self.eval_variable_node(dot, n, None, MISSING), typ)
        if t is PipeNode:
            return self.validate_type(self.eval_pipeline(dot, n), typ)
        if t is IdentifierNode:
            return self.validate_type(self.eval_function(dot, n, n, None, MISSING), typ)
        if t is ChainNode:
            return self.validate_type(self.eval_chain_node(dot, n, None, MISSING), typ)
        return self._eval_literal(dot, typ, n)

    def _eval_literal(self, dot, typ, n):
        """A constant argument converted to the parameter type, as Go does."""
        t = type(n)
        if typ == "bool":
            if t is BoolNode:
                return n.true
            self.errorf("expected bool; found %s" % n)
        if typ in _FLOAT_TYPES:
            if t is NumberNode and n.is_float:
                return n.float64
            self.errorf("expected float; found %s" % n)
        if typ in _INT_TYPES:
            if t is NumberNode and n.is_int:
                return n.int64
            self.errorf("expected integer; found %s" % n)
        if typ == ANY or typ == RV:
            return self.eval_empty_interface(dot, n)
        if typ == "string":
            if t is StringNode:
                return n.text
            self.errorf("expected string; found %s" % n)
        if typ in _UINT_TYPES:
            if t is NumberNode and n.is_uint:
                return Uint8(n.uint64) if typ == "uint8" else n.uint64
            self.errorf("expected unsigned integer; found %s" % n)
        if typ == "complex128":
            if t is NumberNode and n.is_complex:
                return n.complex128
            self.errorf("expected complex; found %s" % n)
        self.errorf("can't handle %s for arg of type %s" % (n, typ))

    def eval_empty_interface(self, dot, n):
        self.node = n
        t = type(n)
        if t is BoolNode:
            return n.true
        if t is DotNode:
            return dot
        if t is FieldNode:
            return self.eval_field_node(dot, n, None, MISSING)
        if t is IdentifierNode:
            return self.eval_function(dot, n, n, None, MISSING)
        if t is NilNode:
            self.errorf("evalEmptyInterface: nil (can't happen)")
        if t is NumberNode:
            return self.ideal_constant(n)
        if t is StringNode:
            return n.text
        if t is VariableNode:
            return self.eval_variable_node(dot, n, None, MISSING)
        if t is PipeNode:
            return self.eval_pipeline(dot, n)
        self.errorf("can't handle assignment of %s to empty interface argument" % n)


def _value_string(v):
    """Go's ``reflect.Value.String()``."""
    if isinstance(v, str):
        return v
    return "<invalid Value>" if v is None else "<%s Value>" % type_name(v)
