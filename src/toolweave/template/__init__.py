"""``toolweave.template``: a faithful Python clone of Go's ``text/template``.

Public API::

    from toolweave.template import Template, TemplateError
    t = Template("name", funcs={"Version": lambda: "1.0"})
    t.parse(text)                  # returns t; TemplateError on parse errors
    out = t.execute(data)          # TemplateError on execution errors
    out = t.execute_template("other", data)   # a {{define}}d template

``str(TemplateError)`` is exactly the message Go would produce; for
execution errors ``err.output`` holds the output written before the error.

Value mapping (Go <-> Python): ``None`` nil, ``bool`` bool, ``int`` int,
``float`` float64, ``str`` string, ``list``/``tuple`` ``[]interface {}``,
``dict`` ``map[string]interface {}`` (values are ``interface {}``, exactly as
Go sees decoded JSON, so e.g. a nil map value prints as ``<no value>``).
Any other object acts like a pointer to a struct: ``.Name`` reads the
attribute (names starting with ``_`` are hidden, like unexported fields); a
callable attribute is a method called with the action's arguments; an
exception raised by a method or function is reported as
``error calling NAME: MESSAGE``; objects print via ``str()`` (a Go
``fmt.Stringer``), are always true, and compare by identity.  Attributes
are typed by their value; a ``None`` attribute is a nil ``interface {}``.
An object's Go type name (used in messages) is ``cls.__go_type__`` if set,
else ``"*" + cls.__name__``.  Function parameter types come from
annotations (``int``, ``float``, ``str``, ``bool``, ``list``, ``dict``,
classes; anything else is ``interface {}``), parameters with defaults are
optional, and a function returning ``None`` returns a nil ``interface {}``.

Deliberate gaps: custom delimiters, ``Option("missingkey=...")``,
``Clone``/``AddParseTree``/``Lookup``, channels and iterator functions in
``range``; ``printf``'s ``%[n]`` argument indexes and ``%p``; printing of
function values (Go prints an address) and of struct fields for objects
under non-string verbs; template recursion is bounded by Python's stack
rather than Go's 100000 frames (the error text is Go's); strings holding
invalid UTF-8 (``"\\xff"`` escapes, ``slice`` inside a multi-byte rune)
cannot be represented exactly.
"""

import re

from .execute import Budget, ExecError, run
from .funcs import BUILTINS, Func
from .gostr import quote
from .nodes import is_empty_tree
from .parse import ParseError, parse
from .values import signature

__all__ = ["Template", "TemplateError"]

_GOOD_NAME = re.compile(r"[^\W\d]\w*\Z")


class TemplateError(Exception):
    """A parse or execution error; ``str(err)`` is Go's exact error text."""

    def __init__(self, message, output=""):
        super().__init__(message)
        self.output = output  # partial output of a failed execution


class Template:
    """A named template plus the templates it defines (Go's ``*Template``)."""

    def __init__(self, name, funcs=None):
        self.name = name
        self._funcs = {}
        for fname, fn in (funcs or {}).items():
            if not _GOOD_NAME.match(fname):
                raise ValueError("function name %s is not a valid identifier" % quote(fname))
            if not callable(fn):
                raise ValueError("value for %s not a function" % fname)
            self._funcs[fname] = Func(fn, signature(fn))
        self._known = frozenset(BUILTINS) | frozenset(self._funcs)
        self._trees = {}

    def parse(self, text):
        """Parse *text*, adding its templates; returns ``self``.

        Like Go, a later definition replaces an earlier one unless its body
        is empty (only whitespace and comments).
        """
        try:
            trees = parse(self.name, text, self._known)
        except ParseError as err:
            raise TemplateError(str(err)) from None
        for name, tree in trees.items():
            if name in self._trees and is_empty_tree(tree.root):
                continue
            self._trees[name] = tree
        return self

    def execute(self, data=None, max_steps=None, max_output=None):
        """Execute the template named like this object; return the output. With `max_steps`
        (range iterations and template calls) and `max_output` (characters), an execution
        that goes past either fails: toolweave's bound, not Go's."""
        tree = self._trees.get(self.name)
        if tree is None:
            raise TemplateError("template: %s: %s is an incomplete or empty template"
                                % (self.name, quote(self.name)))
        budget = Budget(max_steps, max_output or float("inf")) if max_steps is not None else None
        return self._run(tree, data, budget)

    def execute_template(self, name, data=None):
        """Execute the associated template *name* (Go's ``ExecuteTemplate``)."""
        tree = self._trees.get(name)
        if tree is None:
            raise TemplateError("template: no template %s associated with template %s"
                                % (quote(name), quote(self.name)))
        return self._run(tree, data)

    def _run(self, tree, data, budget=None):
        try:
            return run(tree, self._trees, self._funcs, data, budget)
        except ExecError as err:
            raise TemplateError(str(err), err.output) from None
