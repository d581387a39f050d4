"""Parser for Go templates, a port of ``text/template/parse/parse.go``.

Contract: :func:`parse` turns template text into a dict of named
:class:`Tree` objects (the main template plus every ``define``/``block``),
or raises :class:`ParseError` whose text is exactly Go's error string.  The
three-token lookahead buffer is reproduced faithfully because Go reports the
line of the most recently lexed token in its messages.  Expressions are
parsed by the :class:`~parse_expr.ExprParser` mixin.
"""

from . import gostr
from .lex import Lexer
from .nodes import (ActionNode, BreakNode, ContinueNode, ElseNode, EndNode,
                    IfNode, ListNode, RangeNode, TemplateNode, TextNode,
                    WithNode, is_empty_tree)
from .parse_expr import ExprParser
from .tokens import (BLOCK, BREAK, CONTINUE, DEFINE, ELSE, END, EOF, ERROR, IF,
                     LEFT_DELIM, RANGE, RAW_STRING, RIGHT_DELIM, SPACE, STRING,
                     TEMPLATE, TEXT, WITH, item_str)


class ParseError(Exception):
    """A template parse error; ``str(err)`` is Go's message."""


class Tree(ExprParser):
    """One parsed template: ``name``, ``parse_name``, ``root`` and ``text``."""

    def __init__(self, name):
        self.name = name
        self.parse_name = name
        self.root = None
        self.text = ""

    # -- token buffer (Go's next/backup/peek) ----------------------------
    def _start(self, funcs, lexer, tree_set):
        self.lex, self.funcs, self.tree_set = lexer, funcs, tree_set
        self.token = [None, None, None]
        self.peek_count = 0
        self.vars = ["$"]
        self.action_pos = None  # start of the action being parsed (Go: actionLine)
        self.range_depth = 0
        self.stack_depth = 0

    def _stop(self):
        # Parsing state is not needed for execution; drop it.
        del self.lex, self.funcs, self.tree_set, self.token, self.vars

    def next(self):
        if self.peek_count > 0:
            self.peek_count -= 1
        else:
            self.token[0] = self.lex.next_item()
        return self.token[self.peek_count]

    def backup(self):
        self.peek_count += 1

    def backup2(self, t1):
        self.token[1] = t1
        self.peek_count = 2

    def backup3(self, t2, t1):
        self.token[1], self.token[2] = t1, t2
        self.peek_count = 3

    def peek(self):
        if self.peek_count > 0:
            return self.token[self.peek_count - 1]
        self.peek_count = 1
        self.token[0] = self.lex.next_item()
        return self.token[0]

    def next_non_space(self):
        while True:
            token = self.next()
            if token[0] != SPACE:
                return token

    def peek_non_space(self):
        if self.peek_count > 0:  # fast path, same effect as next+backup
            token = self.token[self.peek_count - 1]
            if token[0] != SPACE:
                return token
        token = self.next_non_space()
        self.backup()
        return token

    # -- errors ----------------------------------------------------------
    def line_of(self, pos):
        """Line number of a text position (Go stores it in every item)."""
        return self.text.count("\n", 0, pos) + 1

    def errorf(self, msg):
        line = self.line_of(self.token[0][1])  # the most recently lexed item
        raise ParseError("template: %s:%d: %s" % (self.parse_name, line, msg))

    def expect(self, expected, context):
        token = self.next_non_space()
        if token[0] != expected:
            self.unexpected(token, context)
        return token

    def unexpected(self, token, context):
        if token[0] == ERROR:
            extra = ""
            action_line = self.line_of(self.action_pos) if self.action_pos is not None else 0
            if action_line != 0 and action_line != self.line_of(token[1]):
                extra = " in action started at %s:%d" % (self.parse_name, action_line)
                if token[2].endswith(" action"):
                    extra = extra[len(" in action"):]  # avoid "action in action"
            self.errorf(item_str(token) + extra)
        self.errorf("unexpected %s in %s" % (item_str(token), context))

    # -- top level -------------------------------------------------------
    def _child(self, name):
        """A tree for define/block sharing this tree's lexer and tree set."""
        child = Tree(name)
        child.text, child.parse_name = self.text, self.parse_name
        child._start(self.funcs, self.lex, self.tree_set)
        return child

    def add(self):
        tree = self.tree_set.get(self.name)
        if tree is None or is_empty_tree(tree.root):
            self.tree_set[self.name] = self
        elif not is_empty_tree(self.root):
            self.errorf("template: multiple definition of template " + gostr.quote(self.name))

    def parse_top(self):
        self.root = ListNode(self.peek()[1])
        while self.peek()[0] != EOF:
            if self.peek()[0] == LEFT_DELIM:
                delim = self.next()
                if self.next_non_space()[0] == DEFINE:
                    self._child("definition").parse_definition()
                    continue
                self.backup2(delim)
            n = self.text_or_action()
            if isinstance(n, (EndNode, ElseNode)):
                self.errorf("unexpected %s" % n)
            self.root.nodes.append(n)

    def parse_definition(self):
        context = "define clause"
        token = self.next_non_space()
        if token[0] not in (STRING, RAW_STRING):
            self.unexpected(token, context)
        self.name = self._unquote(token[2])
        self.expect(RIGHT_DELIM, context)
        self.root, end = self.item_list()
        if not isinstance(end, EndNode):
            self.errorf("unexpected %s in %s" % (end, context))
        self.add()
        self._stop()

    def _unquote(self, text):
        try:
            return gostr.unquote(text)
        except ValueError as err:
            self.errorf(str(err))

    def item_list(self):
        lst = ListNode(self.peek_non_space()[1])
        while self.peek_non_space()[0] != EOF:
            n = self.text_or_action()
            if isinstance(n, (EndNode, ElseNode)):
                return lst, n
            lst.nodes.append(n)
        self.errorf("unexpected EOF")

    def text_or_action(self):
        token = self.next_non_space()
        if token[0] == TEXT:
            return TextNode(token[1], token[2])
        if token[0] == LEFT_DELIM:
            self.action_pos = token[1]
            try:
                return self.action()
            finally:
                self.action_pos = None  # start of the action being parsed (Go: actionLine)
        self.unexpected(token, "input")

    def action(self):
        token = self.next_non_space()
        typ = token[0]
        control = _CONTROLS.get(typ)
        if control is not None:
            return control(self, token)
        self.backup()
        token = self.peek()
        return ActionNode(token[1], self.pipeline("command", RIGHT_DELIM))

    def _loop_control(self, token, name, node_class):
        other = self.next_non_space()
        if other[0] != RIGHT_DELIM:
            self.unexpected(other, "{{%s}}" % name)
        if self.range_depth == 0:
            self.errorf("{{%s}} outside {{range}}" % name)
        return node_class(token[1])

    def parse_control(self, context):
        """Parse the pipeline, body and else part of if/range/with."""
        mark = len(self.vars)
        try:
            pipe = self.pipeline(context, RIGHT_DELIM)
            if context == "range":
                self.range_depth += 1
            lst, nxt = self.item_list()
            if context == "range":
                self.range_depth -= 1
            else_list = None
            if isinstance(nxt, ElseNode):
                else_list = self._else_part(context, nxt)
            return pipe.pos, pipe, lst, else_list
        finally:
            del self.vars[mark:]

    def _else_part(self, context, else_node):
        # "{{else if x}}" is parsed as "{{else}}{{if x}}...{{end}}{{end}}".
        for keyword, control in (("if", IF), ("with", WITH)):
            if context == keyword and self.peek()[0] == control:
                token = self.next()
                lst = ListNode(else_node.pos)
                lst.nodes.append(_CONTROLS[control](self, token))
                return lst
        lst, nxt = self.item_list()
        if not isinstance(nxt, EndNode):
            self.errorf("expected end; found %s" % nxt)
        return lst

    def _else_control(self, _token):
        peek = self.peek_non_space()
        if peek[0] in (IF, WITH):
            return ElseNode(peek[1])
        token = self.expect(RIGHT_DELIM, "else")
        return ElseNode(token[1])

    def _end_control(self, _token):
        return EndNode(self.expect(RIGHT_DELIM, "end")[1])

    def _block_control(self, _token):
        context = "block clause"
        token = self.next_non_space()
        name = self.parse_template_name(token, context)
        pipe = self.pipeline(context, RIGHT_DELIM)
        block = self._child(name)
        block.root, end = block.item_list()
        if not isinstance(end, EndNode):
            self.errorf("unexpected %s in %s" % (end, context))
        block.add()
        block._stop()
        return TemplateNode(token[1], name, pipe)

    def _template_control(self, _token):
        context = "template clause"
        token = self.next_non_space()
        name = self.parse_template_name(token, context)
        pipe = None
        if self.next_non_space()[0] != RIGHT_DELIM:
            self.backup()
            pipe = self.pipeline(context, RIGHT_DELIM)
        return TemplateNode(token[1], name, pipe)

    def parse_template_name(self, token, context):
        if token[0] in (STRING, RAW_STRING):
            return self._unquote(token[2])
        self.unexpected(token, context)

_CONTROLS = {
    BLOCK: Tree._block_control,
    BREAK: lambda t, tok: t._loop_control(tok, "break", BreakNode),
    CONTINUE: lambda t, tok: t._loop_control(tok, "continue", ContinueNode),
    ELSE: Tree._else_control,
    END: Tree._end_control,
    IF: lambda t, tok: IfNode(*t.parse_control("if")),
    RANGE: lambda t, tok: RangeNode(*t.parse_control("range")),
    TEMPLATE: Tree._template_control,
    WITH: lambda t, tok: WithNode(*t.parse_control("with")),
}

def parse(name, text, funcs):
    """Parse *text* as template *name*; return ``{name: Tree}``.

    *funcs* is the set of function names known at parse time (builtins plus
    user functions).  Raises :class:`ParseError` on error.
    """
    tree_set = {}
    tree = Tree(name)
    tree.text = text
    lexer = Lexer(text, break_ok="break" not in funcs, continue_ok="continue" not in funcs)
    tree._start(funcs, lexer, tree_set)
    tree.parse_top()
    tree.add()
    tree._stop()
    return tree_set
