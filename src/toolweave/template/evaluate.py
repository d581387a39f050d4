"""Evaluation of pipelines, commands, fields and variables (Go's ``eval*``).

Contract: :class:`Evaluator` is mixed into the execution state.  Every
method mirrors the Go function of the same name in ``exec.go``, including
*when* it records the current node (``self.node``) because that node is
quoted in error messages.  Function calls and argument conversion live in
:mod:`calls`.
"""

from .calls import Caller
from .funcs import BUILTINS
from .gostr import quote
from .nodes import (BoolNode, ChainNode, DotNode, FieldNode, IdentifierNode,
                    NilNode, NumberNode, PipeNode, StringNode, VariableNode)
from .numconst import ideal_constant
from .values import MISSING, Iface, kind, signature, type_name


class Evaluator(Caller):
    """Pipeline evaluation; expects ``node``, ``vars``, ``funcs``, ``errorf``."""

    __slots__ = ()

    def eval_pipeline(self, dot, pipe):
        """Evaluate a pipeline; declared variables are pushed (or assigned)."""
        if pipe is None:
            return None
        self.node = pipe
        value = MISSING
        for cmd in pipe.cmds:
            value = self.eval_command(dot, cmd, value)
            if type(value) is Iface:  # interface{} results are unwrapped
                value = value.v
        for var in pipe.decl:
            if pipe.is_assign:
                self.set_var(var.ident[0], value)
            else:
                self.vars.append([var.ident[0], value])
        return value

    def not_a_function(self, args, final):
        if (args is not None and len(args) > 1) or final is not MISSING:
            self.errorf("can't give argument to non-function %s" % args[0])

    def eval_command(self, dot, cmd, final):
        first = cmd.args[0]
        t = type(first)
        if t is FieldNode:
            return self.eval_field_node(dot, first, cmd.args, final)
        if t is ChainNode:
            return self.eval_chain_node(dot, first, cmd.args, final)
        if t is IdentifierNode:
            return self.eval_function(dot, first, cmd, cmd.args, final)
        if t is PipeNode:
            self.not_a_function(cmd.args, final)
            return self.eval_pipeline(dot, first)
        if t is VariableNode:
            return self.eval_variable_node(dot, first, cmd.args, final)
        self.node = first
        self.not_a_function(cmd.args, final)
        if t is BoolNode:
            return first.true
        if t is DotNode:
            return dot
        if t is NilNode:
            self.errorf("nil is not a command")
        if t is NumberNode:
            return self.ideal_constant(first)
        if t is StringNode:
            return first.text
        self.errorf("can't evaluate command " + quote(str(first)))

    def ideal_constant(self, node):
        self.node = node
        try:
            return ideal_constant(node)
        except OverflowError as err:
            self.errorf(str(err))

    def eval_field_node(self, dot, field, args, final):
        self.node = field
        return self.eval_field_chain(dot, dot, field, field.ident, args, final)

    def eval_chain_node(self, dot, chain, args, final):
        self.node = chain
        if not chain.field:
            self.errorf("internal error: no fields in evalChainNode")
        if type(chain.node) is NilNode:
            self.errorf("indirection through explicit nil in %s" % chain)
        pipe = self.eval_arg(dot, None, chain.node)
        return self.eval_field_chain(dot, pipe, chain, chain.field, args, final)

    def eval_variable_node(self, dot, variable, args, final):
        self.node = variable
        value = self.var_value(variable.ident[0])
        if len(variable.ident) == 1:
            self.not_a_function(args, final)
            return value
        return self.eval_field_chain(dot, value, variable, variable.ident[1:], args, final)

    def eval_field_chain(self, dot, receiver, node, ident, args, final):
        for name in ident[:-1]:
            receiver = self.eval_field(dot, name, node, None, MISSING, receiver)
        return self.eval_field(dot, ident[-1], node, args, final, receiver)

    def eval_function(self, dot, node, cmd, args, final):
        self.node = node
        name = node.ident
        fn = self.funcs.get(name) or BUILTINS.get(name)
        if fn is None:
            self.errorf("%s is not a defined function" % quote(name))
        return self.eval_call(dot, fn.impl, fn.sig, fn.builtin, cmd, name, args, final)

    def eval_field(self, dot, name, node, args, final, receiver):
        """``.Name`` on *receiver*: a method call, struct field or map key."""
        if receiver is None:  # invalid value: behaves like a missing map key
            return None
        typ = type_name(receiver)
        if type(receiver) is Iface:
            if receiver.v is None:
                self.errorf("nil pointer evaluating %s.%s" % (typ, name))
            receiver = receiver.v
        k = kind(receiver)
        has_args = (args is not None and len(args) > 1) or final is not MISSING
        if k == "ptr" and not name.startswith("_"):
            found, attr = self._attribute(receiver, name)
            if found and callable(attr):
                return self.call_method(dot, attr, node, name, args, final)
            if found:
                if has_args:
                    self.errorf("%s has arguments but cannot be invoked as function" % name)
                return Iface(None) if attr is None else attr
        elif k == "map":
            if has_args:
                self.errorf("%s is not a method but has arguments" % name)
            return Iface(receiver[name]) if name in receiver else None
        self.errorf("can't evaluate field %s in type %s" % (name, typ))

    def _attribute(self, obj, name):
        """Look up an attribute; (False, None) when it does not exist."""
        try:
            return True, getattr(obj, name)
        except AttributeError:
            return False, None
        except Exception as err:  # a failing property: report like a method
            self.errorf("error calling %s: %s" % (name, err))

    def call_method(self, dot, method, node, name, args, final):
        return self.eval_call(dot, method, signature(method), False, node, name, args, final)
