"""Template execution: Go's ``state.walk*`` functions from ``exec.go``.

Contract: :func:`run` executes one parsed tree against *data* and returns the
output, or raises :class:`ExecError` whose text is Go's error string
(``template: NAME:LINE:COL: executing "NAME" at <NODE>: MESSAGE``) and whose
``output`` holds what had been written before the error.  Recursion beyond
Python's stack limit is reported like Go's depth limit.
"""

from . import gofmt
from .evaluate import Evaluator
from .gostr import quote
from .nodes import (ActionNode, BreakNode, ContinueNode, IfNode, ListNode,
                    RangeNode, TemplateNode, TextNode, WithNode)
from .values import Iface, indirect, is_true, kind, type_name

MAX_EXEC_DEPTH = 100000  # Go's limit, quoted in the error message
_OUTPUT_CHECK = 1024     # with a budget, the output's size is checked every this many steps


class ExecError(Exception):
    """An execution error; ``str(err)`` is Go's message."""

    def __init__(self, message, output=""):
        super().__init__(message)
        self.output = output


class _Break(Exception):
    pass


class _Continue(Exception):
    pass


class State(Evaluator):
    """Execution state of one template invocation (Go's ``state``)."""

    __slots__ = ("tree", "trees", "funcs", "out", "node", "vars", "depth", "budget")

    def __init__(self, tree, trees, funcs, out, dot, depth=0, budget=None):
        self.tree, self.trees, self.funcs, self.out = tree, trees, funcs, out
        self.node = None
        self.vars = [["$", dot]]  # mutable pairs: range updates them in place
        self.depth = depth
        self.budget = budget      # None (Go: unbounded) or Budget, shared with callees

    def spend(self):
        """One step (a range iteration or a template call) of a bounded execution."""
        b = self.budget
        if b is None:
            return
        b.steps -= 1
        if b.steps < 0:
            self.errorf("exceeded the %d steps (range iterations and template calls) an execution may take"
                        % b.max_steps)
        if b.steps % _OUTPUT_CHECK == 0 and sum(map(len, self.out)) > b.max_output:
            self.errorf("output exceeded %d bytes" % b.max_output)

    # -- errors and variables -------------------------------------------
    def errorf(self, msg):
        name = self.tree.name
        if self.node is None:
            text = "template: %s: %s" % (name, msg)
        else:
            text = "template: %s: executing %s at <%s>: %s" % (
                self._location(self.node.pos), quote(name), self.node, msg)
        raise ExecError(text)

    def _location(self, pos):
        """``NAME:LINE:COL`` with Go's byte-based column."""
        text = self.tree.text[:pos]
        nl = text.rfind("\n")
        col = len(text[nl + 1:].encode("utf-8", "surrogatepass"))
        return "%s:%d:%d" % (self.tree.parse_name, text.count("\n") + 1, col)

    def set_var(self, name, value):
        for entry in reversed(self.vars):
            if entry[0] == name:
                entry[1] = value
                return
        self.errorf("undefined variable: " + name)

    def var_value(self, name):
        for entry in reversed(self.vars):
            if entry[0] == name:
                return entry[1]
        self.errorf("undefined variable: " + name)

    # -- walking ---------------------------------------------------------
    def walk(self, dot, node):
        self.node = node
        _WALKERS[type(node)](self, dot, node)

    def walk_action(self, dot, node):
        # Variables declared here persist until the enclosing {{end}}.
        val = self.eval_pipeline(dot, node.pipe)
        if not node.pipe.decl:
            self.print_value(node, val)

    def walk_list(self, dot, node):
        for n in node.nodes:
            self.walk(dot, n)

    def walk_if_or_with(self, dot, node):
        mark = len(self.vars)
        val = self.eval_pipeline(dot, node.pipe)
        if is_true(val):
            self.walk(val if type(node) is WithNode else dot, node.list)
        elif node.else_list is not None:
            self.walk(dot, node.else_list)
        del self.vars[mark:]

    def print_value(self, node, v):
        self.node = node
        if type(v) is str:
            self.out.append(v)
        elif v is None:
            self.out.append("<no value>")
        elif kind(v) == "func":
            self.errorf("can't print %s of type %s" % (node, type_name(v)))
        else:
            self.out.append(gofmt.sprint_value(v))

    def walk_range(self, dot, r):
        self.node = r
        mark0 = len(self.vars)
        try:
            val, _ = indirect(self.eval_pipeline(dot, r.pipe))
            if not self._range_items(r, val):
                if r.else_list is not None:
                    self.walk(dot, r.else_list)
        except _Break:
            pass
        finally:
            del self.vars[mark0:]

    def _range_items(self, r, val):
        """Run the range body over *val*; return whether it iterated."""
        mark = len(self.vars)
        k = kind(val) if val is not None else "invalid"
        if k in ("int", "uint"):
            if len(r.pipe.decl) > 1:
                self.errorf("can't use %s to iterate over more than one variable"
                            % gofmt.format_one(val, "v"))
            for i in range(val):
                self._one_iteration(r, mark, None, i)
            return val > 0
        if k == "slice":
            for i, elem in enumerate(val):
                self._one_iteration(r, mark, i, Iface(elem))
            return len(val) > 0
        if k == "map":
            for key in gofmt._sorted_keys(val):
                self._one_iteration(r, mark, key, Iface(val[key]))
            return len(val) > 0
        if k != "invalid":  # nil ranges like an empty map
            self.errorf("range can't iterate over %s" % gofmt.format_one(val, "v"))
        return False

    def _one_iteration(self, r, mark, index, elem):
        self.spend()
        decl = r.pipe.decl
        if decl:
            if r.pipe.is_assign:
                # With two variables the index comes first; with one, the element.
                self.set_var(decl[0].ident[0], index if len(decl) > 1 else elem)
            else:
                self.vars[-1][1] = elem
        if len(decl) > 1:
            if r.pipe.is_assign:
                self.set_var(decl[1].ident[0], elem)
            else:
                self.vars[-2][1] = index
        try:
            self.walk(elem, r.list)
        except _Continue:
            pass
        finally:
            del self.vars[mark:]

    def walk_template(self, dot, t):
        self.node = t
        tree = self.trees.get(t.name)
        if tree is None:
            self.errorf("template %s not defined" % quote(t.name))
        if self.depth == MAX_EXEC_DEPTH:
            self.errorf("exceeded maximum template depth (%d)" % MAX_EXEC_DEPTH)
        dot = self.eval_pipeline(dot, t.pipe)
        self.spend()
        # No dynamic scoping: the callee sees only "$".
        callee = State(tree, self.trees, self.funcs, self.out, dot, self.depth + 1, self.budget)
        try:
            callee.walk(dot, tree.root)
        except RecursionError:
            self.node = t
            self.errorf("exceeded maximum template depth (%d)" % MAX_EXEC_DEPTH)


def _raise(exc):
    def walker(_state, _dot, _node):
        raise exc
    return walker


_WALKERS = {
    ActionNode: State.walk_action,
    BreakNode: _raise(_Break()),
    ContinueNode: _raise(_Continue()),
    IfNode: State.walk_if_or_with,
    ListNode: State.walk_list,
    RangeNode: State.walk_range,
    TemplateNode: State.walk_template,
    TextNode: lambda state, dot, node: state.out.append(node.text),
    WithNode: State.walk_if_or_with,
}


class Budget:
    """Bounds of one execution (not Go's: text/template has none; a build that executes
    templates from aspect files must not loop for ever)."""

    __slots__ = ("steps", "max_steps", "max_output")

    def __init__(self, max_steps, max_output):
        self.steps = self.max_steps = max_steps
        self.max_output = max_output


def run(tree, trees, funcs, data, budget=None):
    """Execute *tree* with *data* (within *budget*, a Budget, when given); see module doc."""
    out = []
    state = State(tree, trees, funcs, out, data, budget=budget)
    try:
        state.walk(data, tree.root)
    except ExecError as err:
        err.output = "".join(out)
        raise
    return "".join(out)
