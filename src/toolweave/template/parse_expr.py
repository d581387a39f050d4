"""Expression parsing: pipelines, commands, operands and terms.

Contract: :class:`ExprParser` is mixed into :class:`parse.Tree` and ports
``pipeline``, ``command``, ``operand`` and ``term`` from Go's parse.go,
including their lookahead (Go needs three tokens to tell ``$x := ...``
from ``$x arg``) and their exact error messages.
"""

from . import gostr
from .nodes import (BoolNode, ChainNode, CommandNode, DotNode, FieldNode,
                    IdentifierNode, NilNode, NumberNode, PipeNode, StringNode,
                    VariableNode)
from .numconst import new_number
from .tokens import (ASSIGN, BOOL, CHAR, CHAR_CONSTANT, COMPLEX, DECLARE, DOT,
                     FIELD, IDENTIFIER, LEFT_PAREN, NIL, NUMBER, PIPE, RAW_STRING,
                     RIGHT_DELIM, RIGHT_PAREN, SPACE, STRING, VARIABLE)

_MAX_STACK_DEPTH = 10000
_OPERAND_START = frozenset((BOOL, CHAR_CONSTANT, COMPLEX, DOT, FIELD, IDENTIFIER,
                            NUMBER, NIL, RAW_STRING, STRING, VARIABLE, LEFT_PAREN))
# Literal terms: not executable after a pipe, and cannot take ".Field".
_LITERALS = (BoolNode, DotNode, NilNode, NumberNode, StringNode)


class ExprParser:
    """Mixin: needs the token buffer, ``errorf``, ``unexpected`` and ``vars``."""

    # -- pipelines -------------------------------------------------------
    def pipeline(self, context, end):
        token = self.peek_non_space()
        pipe = PipeNode(token[1])
        self._declarations(pipe, context)
        while True:
            token = self.next_non_space()
            if token[0] == end:
                self.check_pipeline(pipe, context)
                return pipe
            if token[0] in _OPERAND_START:
                self.backup()
                pipe.cmds.append(self.command())
            else:
                self.unexpected(token, context)

    def _declarations(self, pipe, context):
        """Parse ``$x :=``, ``$x =`` and ``$i, $e :=`` prefixes of a pipeline."""
        while True:
            v = self.peek_non_space()
            if v[0] != VARIABLE:
                return
            self.next()
            # "$x foo" needs three tokens of lookahead to tell an argument
            # from a declaration, so remember the token after the variable.
            after = self.peek()
            nxt = self.peek_non_space()
            if nxt[0] in (ASSIGN, DECLARE):
                pipe.is_assign = nxt[0] == ASSIGN
                self.next_non_space()
                self._declare(pipe, v)
            elif nxt[0] == CHAR and nxt[2] == ",":
                self.next_non_space()
                self._declare(pipe, v)
                if context == "range" and len(pipe.decl) < 2:
                    if self.peek_non_space()[0] in (VARIABLE, RIGHT_DELIM, RIGHT_PAREN):
                        continue  # second variable of a range
                    self.errorf("range can only initialize variables")
                self.errorf("too many declarations in " + context)
            elif after[0] == SPACE:
                self.backup3(v, after)
            else:
                self.backup2(v)
            return

    def _declare(self, pipe, v):
        pipe.decl.append(VariableNode(v[1], v[2]))
        self.vars.append(v[2])

    def check_pipeline(self, pipe, context):
        if not pipe.cmds:
            self.errorf("missing value for " + context)
        for i, c in enumerate(pipe.cmds[1:]):
            if isinstance(c.args[0], _LITERALS):
                self.errorf("non executable command in pipeline stage %d" % (i + 2))

    # -- commands and operands ------------------------------------------
    def command(self):
        cmd = CommandNode(self.peek_non_space()[1])
        while True:
            self.peek_non_space()  # skip leading spaces
            operand = self.operand()
            if operand is not None:
                cmd.args.append(operand)
            token = self.next()
            if token[0] == SPACE:
                continue
            if token[0] in (RIGHT_DELIM, RIGHT_PAREN):
                self.backup()
            elif token[0] != PIPE:
                self.unexpected(token, "operand")
            break
        if not cmd.args:
            self.errorf("empty command")
        return cmd

    def operand(self):
        node = self.term()
        if node is None or self.peek()[0] != FIELD:
            return node
        chain = ChainNode(self.peek()[1], node)
        while self.peek()[0] == FIELD:
            chain.field.append(self.next()[2][1:])
        # Fields and variables absorb the chain, as in Go's original API.
        if isinstance(node, FieldNode):
            return FieldNode(chain.pos, str(chain))
        if isinstance(node, VariableNode):
            return VariableNode(chain.pos, str(chain))
        if isinstance(node, _LITERALS):
            self.errorf("unexpected . after term " + gostr.quote(str(node)))
        return chain

    def term(self):
        token = self.next_non_space()
        handler = _TERMS.get(token[0])
        if handler is None:
            self.backup()
            return None
        return handler(self, token)

    def _identifier(self, token):
        if token[2] not in self.funcs:
            self.errorf("function %s not defined" % gostr.quote(token[2]))
        return IdentifierNode(token[1], token[2])

    def _variable(self, token):
        v = VariableNode(token[1], token[2])
        if v.ident[0] not in self.vars:
            self.errorf("undefined variable " + gostr.quote(v.ident[0]))
        return v

    def _number(self, token):
        try:
            return new_number(token[1], token[2], token[0])
        except ValueError as err:
            self.errorf(str(err))

    def _paren(self, _token):
        if self.stack_depth >= _MAX_STACK_DEPTH:
            self.errorf("max expression depth exceeded")
        self.stack_depth += 1
        try:
            return self.pipeline("parenthesized pipeline", RIGHT_PAREN)
        finally:
            self.stack_depth -= 1

    def _string(self, token):
        return StringNode(token[1], token[2], self._unquote(token[2]))


_TERMS = {
    IDENTIFIER: ExprParser._identifier,
    DOT: lambda t, tok: DotNode(tok[1]),
    NIL: lambda t, tok: NilNode(tok[1]),
    VARIABLE: ExprParser._variable,
    FIELD: lambda t, tok: FieldNode(tok[1], tok[2]),
    BOOL: lambda t, tok: BoolNode(tok[1], tok[2] == "true"),
    CHAR_CONSTANT: ExprParser._number,
    COMPLEX: ExprParser._number,
    NUMBER: ExprParser._number,
    LEFT_PAREN: ExprParser._paren,
    STRING: ExprParser._string,
    RAW_STRING: ExprParser._string,
}
