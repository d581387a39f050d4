"""Lexer for Go template text, a faithful port of ``text/template/parse/lex.go``.

Contract: :class:`Lexer` produces the same item sequence (type, position,
value) as Go's lexer for the default ``{{``/``}}`` delimiters, with comments
skipped.  Positions are indices into the Python string (error formatting
converts them to byte columns).  Items are plain tuples ``(typ, pos, val)``
because the parser creates many of them.  Go also records each item's line;
that is always 1 + the newlines before ``pos``, so it is computed only when
an error message needs it.
"""

import re

from .lexlit import LiteralScanner
from .tokens import (ASSIGN, BOOL, BREAK, CHAR, CONTINUE, DECLARE, DOT, EOF,
                     ERROR, FIELD, IDENTIFIER, KEYWORDS, LEFT, LEFT_DELIM,
                     LEFT_PAREN, PIPE, RIGHT, RIGHT_DELIM, RIGHT_PAREN, SPACE,
                     SPACES, TEXT, VARIABLE, format_rune_u, is_alnum)

_ASCII_ALNUM = re.compile(r"[A-Za-z0-9_]*")
_SPACE_RUN = re.compile(r"[ \t\r\n]*")


def _has_left_trim(s, i):
    return len(s) >= i + 2 and s[i] == "-" and s[i + 1] in SPACES


def _has_right_trim(s, i):
    return len(s) >= i + 2 and s[i] in SPACES and s[i + 1] == "-"


class Lexer(LiteralScanner):
    """State-machine lexer; call :meth:`next_item` repeatedly (lazy, like Go)."""

    def __init__(self, text, break_ok=True, continue_ok=True):
        self.input = text
        self.pos = 0
        self.start = 0
        self.inside_action = False
        self.paren_depth = 0
        self.break_ok = break_ok
        self.continue_ok = continue_ok
        self.item = None

    # -- helpers ---------------------------------------------------------
    def _this_item(self, typ):
        item = (typ, self.start, self.input[self.start:self.pos])
        self.start = self.pos
        return item

    def _emit(self, typ):
        self.item = self._this_item(typ)

    def _ignore(self):
        self.start = self.pos

    def _errorf(self, msg):
        # Like Go, drop the input so that lexing cannot continue.
        self.item = (ERROR, self.start, msg)
        self.input, self.start, self.pos = "", 0, 0

    def _peek(self):
        return self.input[self.pos] if self.pos < len(self.input) else ""

    def _at_terminator(self):
        """Whether the next character may follow an identifier/field/variable."""
        r = self._peek()
        if r == "" or r in SPACES or r in ".,|:)(":
            return True
        return self.input.startswith(RIGHT, self.pos)

    def _at_right_delim(self):
        """Return (at_delim, trim) for the current position."""
        if _has_right_trim(self.input, self.pos) and self.input.startswith(RIGHT, self.pos + 2):
            return True, True
        return self.input.startswith(RIGHT, self.pos), False

    def next_item(self):
        """Return the next item tuple."""
        state = self._lex_inside_action if self.inside_action else self._lex_text
        while state is not None:
            state = state()
        return self.item

    # -- states ----------------------------------------------------------
    def _lex_text(self):
        inp = self.input
        x = inp.find(LEFT, self.pos)
        if x < 0:
            self.pos = len(inp)
            self._emit(TEXT if self.pos > self.start else EOF)
            return None
        if x > self.pos:
            trim = 0
            if _has_left_trim(inp, x + len(LEFT)):
                seg = inp[self.start:x]
                trim = len(seg) - len(seg.rstrip(SPACES))
            self.pos = x - trim
            item = self._this_item(TEXT)
            self.pos = x
            self._ignore()
            if item[2]:
                self.item = item
                return None
        self.pos = x
        return self._lex_left_delim

    def _lex_left_delim(self):
        self.pos += len(LEFT)
        after = 2 if _has_left_trim(self.input, self.pos) else 0
        if self.input.startswith("/*", self.pos + after):
            self.pos += after
            self._ignore()
            return self._lex_comment
        item = self._this_item(LEFT_DELIM)
        self.inside_action = True
        self.pos += after
        self._ignore()
        self.paren_depth = 0
        self.item = item
        return None

    def _lex_comment(self):
        x = self.input.find("*/", self.pos + 2)
        if x < 0:
            return self._errorf("unclosed comment")
        self.pos = x + 2
        delim, trim = self._at_right_delim()
        if not delim:
            return self._errorf("comment ends before closing delimiter")
        self._ignore()  # comments are not emitted (Go's emitComment is off)
        self.pos += (2 if trim else 0) + len(RIGHT)
        if trim:
            self.pos += self._left_trim_length()
        self._ignore()
        return self._lex_text

    def _left_trim_length(self):
        return _SPACE_RUN.match(self.input, self.pos).end() - self.pos

    def _lex_right_delim(self):
        _, trim = self._at_right_delim()
        if trim:
            self.pos += 2
            self._ignore()
        self.pos += len(RIGHT)
        item = self._this_item(RIGHT_DELIM)
        if trim:
            self.pos += self._left_trim_length()
            self._ignore()
        self.inside_action = False
        self.item = item
        return None

    def _lex_inside_action(self):
        if self.pos >= len(self.input):
            return self._errorf("unclosed action")
        r = self.input[self.pos]
        # A right delimiter (possibly " -}}") can only start with '}' or a space.
        if r == "}" or r in SPACES:
            delim, _ = self._at_right_delim()
            if delim:
                if self.paren_depth == 0:
                    return self._lex_right_delim
                return self._errorf("unclosed left paren")
        self.pos += 1
        if r in SPACES:
            self.pos -= 1  # put it back in case of " -}}"
            return self._lex_space
        handler = _SIMPLE_STATES.get(r)
        if handler is not None:
            return handler(self, r)
        if r == ".":
            nxt = self._peek()
            if not ("0" <= nxt <= "9") and nxt != "":
                return self._lex_field_or_variable(FIELD)
        if r in "+-." or "0" <= r <= "9":
            self.pos -= 1
            return self._lex_number
        if is_alnum(r):
            self.pos -= 1
            return self._lex_identifier
        if " " <= r <= "~":
            return self._emit(CHAR)
        return self._errorf("unrecognized character in action: " + format_rune_u(r))

    def _lex_colon(self, _):
        if self._peek() != "=":
            self.pos += 1
            return self._errorf("expected :=")
        self.pos += 1
        return self._emit(DECLARE)

    def _lex_paren(self, r):
        self.paren_depth += 1 if r == "(" else -1
        if self.paren_depth < 0:
            return self._errorf("unexpected right paren")
        return self._emit(LEFT_PAREN if r == "(" else RIGHT_PAREN)

    def _lex_space(self):
        inp, start = self.input, self.pos
        self.pos = _SPACE_RUN.match(inp, start).end()
        n = self.pos - start
        if _has_right_trim(inp, self.pos - 1) and inp.startswith(RIGHT, self.pos + 1):
            self.pos -= 1  # leave the last space for the trim marker
            if n == 1:
                return self._lex_right_delim
        return self._emit(SPACE)

    def _scan_alnum(self):
        """Advance over alphanumerics; return the first other char ('' at EOF)."""
        while True:
            # A regex handles the ASCII bulk; is_alnum decides the rest exactly.
            self.pos = _ASCII_ALNUM.match(self.input, self.pos).end()
            c = self._peek()
            if not (c >= "\x80" and is_alnum(c)):
                return c
            self.pos += 1

    def _lex_identifier(self):
        r = self._scan_alnum()
        if not self._at_terminator():
            return self._errorf("bad character " + format_rune_u(r))
        word = self.input[self.start:self.pos]
        typ = KEYWORDS.get(word)
        if typ is not None:
            if (typ == BREAK and not self.break_ok) or (typ == CONTINUE and not self.continue_ok):
                typ = IDENTIFIER
        elif word in ("true", "false"):
            typ = BOOL
        else:
            typ = IDENTIFIER
        return self._emit(typ)

    def _lex_variable(self, _):
        if self._at_terminator():
            return self._emit(VARIABLE)
        return self._lex_field_or_variable(VARIABLE)

    def _lex_field_or_variable(self, typ):
        if self._at_terminator():
            return self._emit(VARIABLE if typ == VARIABLE else DOT)
        r = self._scan_alnum()
        if not self._at_terminator():
            return self._errorf("bad character " + format_rune_u(r))
        return self._emit(typ)


_SIMPLE_STATES = {
    "=": lambda lx, r: lx._emit(ASSIGN),
    ":": Lexer._lex_colon,
    "|": lambda lx, r: lx._emit(PIPE),
    '"': Lexer._lex_quoted,
    "'": Lexer._lex_quoted,
    "`": Lexer._lex_raw_quote,
    "$": Lexer._lex_variable,
    "(": Lexer._lex_paren,
    ")": Lexer._lex_paren,
}
