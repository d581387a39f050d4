"""Scanning of literals inside actions: strings, characters and numbers.

Contract: :class:`LiteralScanner` is mixed into :class:`lex.Lexer`; its
methods are Go's ``lexQuote``, ``lexChar``, ``lexRawQuote`` and
``lexNumber``/``scanNumber``.  Like Go, the number scanner is permissive
(it accepts "089" or "0x1.p"); the parser rejects bad numbers later.
"""

from .gostr import quote
from .tokens import CHAR_CONSTANT, COMPLEX, NUMBER, RAW_STRING, STRING, is_alnum


class LiteralScanner:
    """Mixin: needs ``input``, ``pos``, ``start``, ``_peek``, ``_emit``, ``_errorf``."""

    def _lex_quoted(self, r):
        """Scan a "..." string or a '...' character constant."""
        inp, n = self.input, len(self.input)
        while True:
            c = inp[self.pos] if self.pos < n else ""
            self.pos += 1
            if c == "\\":
                c2 = inp[self.pos] if self.pos < n else ""
                self.pos += 1
                if c2 not in ("", "\n"):
                    continue
                c = c2
            if c in ("", "\n"):
                return self._errorf("unterminated quoted string" if r == '"'
                                    else "unterminated character constant")
            if c == r:
                return self._emit(STRING if r == '"' else CHAR_CONSTANT)

    def _lex_raw_quote(self, _):
        x = self.input.find("`", self.pos)
        if x < 0:
            return self._errorf("unterminated raw quoted string")
        self.pos = x + 1
        return self._emit(RAW_STRING)

    def _lex_number(self):
        if not self._scan_number():
            return self._errorf("bad number syntax: " + quote(self.input[self.start:self.pos]))
        if self._peek() in ("+", "-"):
            # Complex: 1+2i. No spaces, must end in 'i'.
            if not self._scan_number() or self.input[self.pos - 1] != "i":
                return self._errorf("bad number syntax: " + quote(self.input[self.start:self.pos]))
            return self._emit(COMPLEX)
        return self._emit(NUMBER)

    def _accept(self, valid):
        if self.pos < len(self.input) and self.input[self.pos] in valid:
            self.pos += 1
            return True
        return False

    def _accept_run(self, valid):
        while self._accept(valid):
            pass

    def _scan_number(self):
        self._accept("+-")
        digits = "0123456789_"
        if self._accept("0"):
            if self._accept("xX"):
                digits = "0123456789abcdefABCDEF_"
            elif self._accept("oO"):
                digits = "01234567_"
            elif self._accept("bB"):
                digits = "01_"
        self._accept_run(digits)
        if self._accept("."):
            self._accept_run(digits)
        if len(digits) == 11 and self._accept("eE"):  # decimal: exponent
            self._accept("+-")
            self._accept_run("0123456789_")
        if len(digits) == 23 and self._accept("pP"):  # hex: binary exponent
            self._accept("+-")
            self._accept_run("0123456789_")
        self._accept("i")  # imaginary
        # The next thing must not be alphanumeric.
        nxt = self._peek()
        if nxt and is_alnum(nxt):
            self.pos += 1
            return False
        return True
