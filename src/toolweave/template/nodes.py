"""Parse-tree nodes, mirroring ``text/template/parse/node.go``.

Contract: ``str(node)`` equals Go's ``node.String()``, because execution
errors quote it (``executing "t" at <.X>``).  ``pos`` is the index of the
node's first character in the template text, chosen exactly as Go's parser
chooses it (e.g. a chain ``$x.A`` is positioned at ``.A``).  Go's deprecated
``Line`` fields are omitted.
"""

from .gostr import quote


class Node:
    """Base class; every node has a position in the source text."""

    __slots__ = ("pos",)


class ListNode(Node):
    __slots__ = ("nodes",)

    def __init__(self, pos):
        self.pos, self.nodes = pos, []

    def __str__(self):
        return "".join(str(n) for n in self.nodes)


class TextNode(Node):
    __slots__ = ("text",)

    def __init__(self, pos, text):
        self.pos, self.text = pos, text

    def __str__(self):
        return self.text


class PipeNode(Node):
    __slots__ = ("is_assign", "decl", "cmds")

    def __init__(self, pos):
        self.pos, self.is_assign, self.decl, self.cmds = pos, False, [], []

    def __str__(self):
        head = ""
        if self.decl:
            head = ", ".join(str(v) for v in self.decl)
            head += " = " if self.is_assign else " := "
        return head + " | ".join(str(c) for c in self.cmds)


class ActionNode(Node):
    __slots__ = ("pipe",)

    def __init__(self, pos, pipe):
        self.pos, self.pipe = pos, pipe

    def __str__(self):
        return "{{" + str(self.pipe) + "}}"


class CommandNode(Node):
    __slots__ = ("args",)

    def __init__(self, pos):
        self.pos, self.args = pos, []

    def __str__(self):
        return " ".join("(" + str(a) + ")" if isinstance(a, PipeNode) else str(a)
                        for a in self.args)


class IdentifierNode(Node):
    __slots__ = ("ident",)

    def __init__(self, pos, ident):
        self.pos, self.ident = pos, ident

    def __str__(self):
        return self.ident


class VariableNode(Node):
    """``$x`` or ``$x.A.B``; ``ident[0]`` includes the dollar sign."""

    __slots__ = ("ident",)

    def __init__(self, pos, text):
        self.pos, self.ident = pos, text.split(".")

    def __str__(self):
        return ".".join(self.ident)


class DotNode(Node):
    __slots__ = ()

    def __init__(self, pos):
        self.pos = pos

    def __str__(self):
        return "."


class NilNode(Node):
    __slots__ = ()

    def __init__(self, pos):
        self.pos = pos

    def __str__(self):
        return "nil"


class FieldNode(Node):
    """``.A.B``; ``ident`` holds the names without dots."""

    __slots__ = ("ident",)

    def __init__(self, pos, text):
        self.pos, self.ident = pos, text[1:].split(".")

    def __str__(self):
        return "".join("." + i for i in self.ident)


class ChainNode(Node):
    """A term followed by field accesses, e.g. ``(pipeline).A.B``."""

    __slots__ = ("node", "field")

    def __init__(self, pos, node):
        self.pos, self.node, self.field = pos, node, []

    def __str__(self):
        head = str(self.node)
        if isinstance(self.node, PipeNode):
            head = "(" + head + ")"
        return head + "".join("." + f for f in self.field)


class BoolNode(Node):
    __slots__ = ("true",)

    def __init__(self, pos, true):
        self.pos, self.true = pos, true

    def __str__(self):
        return "true" if self.true else "false"


class NumberNode(Node):
    """A numeric constant stored under every type that represents it."""

    __slots__ = ("text", "is_int", "is_uint", "is_float", "is_complex",
                 "int64", "uint64", "float64", "complex128")

    def __init__(self, pos, text):
        self.pos, self.text = pos, text
        self.is_int = self.is_uint = self.is_float = self.is_complex = False
        self.int64 = self.uint64 = 0
        self.float64 = 0.0
        self.complex128 = 0j

    def __str__(self):
        return self.text


class StringNode(Node):
    __slots__ = ("quoted", "text")

    def __init__(self, pos, quoted, text):
        self.pos, self.quoted, self.text = pos, quoted, text

    def __str__(self):
        return self.quoted


class EndNode(Node):
    __slots__ = ()

    def __init__(self, pos):
        self.pos = pos

    def __str__(self):
        return "{{end}}"


class ElseNode(Node):
    __slots__ = ()

    def __init__(self, pos):
        self.pos = pos

    def __str__(self):
        return "{{else}}"


class BranchNode(Node):
    """Common shape of if, range and with."""

    __slots__ = ("pipe", "list", "else_list")
    keyword = ""

    def __init__(self, pos, pipe, lst, else_list):
        self.pos, self.pipe, self.list, self.else_list = pos, pipe, lst, else_list

    def __str__(self):
        text = "{{" + self.keyword + " " + str(self.pipe) + "}}" + str(self.list)
        if self.else_list is not None:
            text += "{{else}}" + str(self.else_list)
        return text + "{{end}}"


class IfNode(BranchNode):
    __slots__ = ()
    keyword = "if"


class RangeNode(BranchNode):
    __slots__ = ()
    keyword = "range"


class WithNode(BranchNode):
    __slots__ = ()
    keyword = "with"


class BreakNode(Node):
    __slots__ = ()

    def __init__(self, pos):
        self.pos = pos

    def __str__(self):
        return "{{break}}"


class ContinueNode(Node):
    __slots__ = ()

    def __init__(self, pos):
        self.pos = pos

    def __str__(self):
        return "{{continue}}"


class TemplateNode(Node):
    __slots__ = ("name", "pipe")

    def __init__(self, pos, name, pipe):
        self.pos, self.name, self.pipe = pos, name, pipe

    def __str__(self):
        text = "{{template " + quote(self.name)
        if self.pipe is not None:
            text += " " + str(self.pipe)
        return text + "}}"


_GO_SPACE = " \t\n\v\f\r\x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006" \
            "\u2007\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000"


def is_empty_tree(node):
    """Go's ``IsEmptyTree``: only whitespace text (and comments) inside."""
    if node is None:
        return True
    if isinstance(node, ListNode):
        return all(is_empty_tree(n) for n in node.nodes)
    if isinstance(node, TextNode):
        return not node.text.strip(_GO_SPACE)  # bytes.TrimSpace semantics
    return False
