"""Go ``strconv`` behaviour needed by the template engine.

Contracts:

* :func:`quote`, :func:`quote_rune` reproduce ``strconv.Quote`` /
  ``QuoteToASCII`` / ``QuoteRune`` byte for byte (Go's ``IsPrint`` equals
  Python's ``str.isprintable`` for single characters: both accept the
  categories L, M, N, P, S plus the ASCII space).
* :func:`unquote` and :func:`unquote_char` reproduce ``strconv.Unquote`` /
  ``UnquoteChar``; they raise :class:`ValueError` with Go's message
  (``invalid syntax``).  A ``\\xNN`` escape above 0x7f yields the code point
  U+00NN, because a Python ``str`` cannot hold a lone byte.
* :func:`parse_int`, :func:`parse_uint`, :func:`parse_float` follow
  ``strconv.ParseInt(s, 0, 64)``, ``ParseUint(s, 0, 64)`` and
  ``ParseFloat(s, 64)``: they return ``None`` where Go returns an error.
* Float formatting (``strconv.FormatFloat``) lives in :mod:`ftoa`.
"""

import re

_ESCAPES = {"\a": "\\a", "\b": "\\b", "\f": "\\f", "\n": "\\n",
            "\r": "\\r", "\t": "\\t", "\v": "\\v"}


def _escape_rune(ch, quote, ascii_only):
    """Return Go's escaped form of one character inside a quoted literal."""
    if ch == quote or ch == "\\":
        return "\\" + ch
    o = ord(ch)
    if ascii_only:
        if o < 0x80 and ch.isprintable():
            return ch
    elif ch.isprintable():
        return ch
    esc = _ESCAPES.get(ch)
    if esc:
        return esc
    if o < 0x20 or o == 0x7F:
        return "\\x%02x" % o
    if 0xD800 <= o < 0xE000:  # not a valid rune: Go substitutes U+FFFD
        o = 0xFFFD
    if o < 0x10000:
        return "\\u%04x" % o
    return "\\U%08x" % o


def quote(s, ascii_only=False):
    """Return ``strconv.Quote(s)`` (or ``QuoteToASCII`` when *ascii_only*)."""
    if not ascii_only and s.isprintable() and '"' not in s and "\\" not in s:
        return '"' + s + '"'  # fast path: nothing needs escaping
    return '"' + "".join(_escape_rune(c, '"', ascii_only) for c in s) + '"'


def quote_rune(code, ascii_only=False):
    """Return ``strconv.QuoteRune(code)``; invalid code points become U+FFFD."""
    if code > 0x10FFFF or 0xD800 <= code < 0xE000 or code < 0:
        code = 0xFFFD
    return "'" + _escape_rune(chr(code), "'", ascii_only) + "'"


def can_backquote(s):
    """Report whether *s* can be written as a Go raw string literal."""
    return all(c == "\t" or (c >= " " and c not in "`\x7f\ufeff") for c in s)


_SIMPLE = {"a": "\a", "b": "\b", "f": "\f", "n": "\n", "r": "\r",
           "t": "\t", "v": "\v", "\\": "\\"}
_HEXLEN = {"x": 2, "u": 4, "U": 8}
_HEXDIGITS = frozenset("0123456789abcdefABCDEF")


def unquote_char(s, i, quote):
    """Decode one (possibly escaped) character of *s* starting at index *i*.

    Returns ``(char, next_index)``; raises ``ValueError("invalid syntax")``.
    """
    if i >= len(s):
        raise ValueError("invalid syntax")
    c = s[i]
    if c == quote and quote in "'\"":
        raise ValueError("invalid syntax")
    if c != "\\":
        return c, i + 1
    if i + 1 >= len(s):
        raise ValueError("invalid syntax")
    c = s[i + 1]
    i += 2
    if c in _SIMPLE:
        return _SIMPLE[c], i
    if c in _HEXLEN:
        n = _HEXLEN[c]
        digits = s[i:i + n]
        if len(digits) < n or not all(d in _HEXDIGITS for d in digits):
            raise ValueError("invalid syntax")
        v = int(digits, 16)
        if c != "x" and (v > 0x10FFFF or 0xD800 <= v < 0xE000):
            raise ValueError("invalid syntax")
        return chr(v), i + n
    if "0" <= c <= "7":
        digits = c + s[i:i + 2]
        if len(digits) < 3 or not all("0" <= d <= "7" for d in digits):
            raise ValueError("invalid syntax")
        v = int(digits, 8)
        if v > 255:
            raise ValueError("invalid syntax")
        return chr(v), i + 2
    if c in "'\"" and c == quote:
        return c, i
    raise ValueError("invalid syntax")


def unquote(s):
    """Return ``strconv.Unquote(s)`` for "..." and `...` literals."""
    if len(s) < 2 or s[0] != s[-1]:
        raise ValueError("invalid syntax")
    q, body = s[0], s[1:-1]
    if q == "`":
        if "`" in body:
            raise ValueError("invalid syntax")
        return body.replace("\r", "")  # Go drops carriage returns
    if q != '"' or "\n" in body:
        raise ValueError("invalid syntax")
    if "\\" not in body and '"' not in body:
        return body
    out, i = [], 0
    while i < len(body):
        ch, i = unquote_char(body, i, '"')
        out.append(ch)
    return "".join(out)


def underscore_ok(s):
    """Go's ``underscoreOK``: underscores only between digits/base prefix."""
    saw, i = "^", 0
    if s[:1] in ("+", "-"):
        s = s[1:]
    hexa = False
    if len(s) >= 2 and s[0] == "0" and s[1] in "bBoOxX":
        i, saw, hexa = 2, "0", s[1] in "xX"
    while i < len(s):
        c = s[i]
        if "0" <= c <= "9" or (hexa and c in _HEXDIGITS):
            saw = "0"
        elif c == "_":
            if saw != "0":
                return False
            saw = "_"
        elif saw == "_":
            return False
        else:
            saw = "!"
        i += 1
    return saw != "_"


def parse_uint(s):
    """``strconv.ParseUint(s, 0, 64)``: the value, or None on error."""
    if not s:
        return None
    base, body = 10, s
    if s[0] == "0":
        if len(s) >= 3 and s[1] in "bBoOxX":
            base = {"b": 2, "o": 8, "x": 16}[s[1].lower()]
            body = s[2:]
        else:
            base, body = 8, s[1:]
    digits = body.replace("_", "")
    if digits and not all(c in _HEXDIGITS and int(c, 16) < base for c in digits):
        return None
    if "_" in body and not underscore_ok(s):
        return None
    value = int(digits, base) if digits else 0
    return value if value < 1 << 64 else None


def parse_int(s):
    """``strconv.ParseInt(s, 0, 64)``: the value, or None on error."""
    neg = s[:1] == "-"
    body = s[1:] if s[:1] in ("+", "-") else s
    u = parse_uint(body)
    if u is None or "_" in s and not underscore_ok(s):
        return None
    if neg:
        return -u if u <= 1 << 63 else None
    return u if u < 1 << 63 else None


_DEC_FLOAT = re.compile(r"[+-]?(?=\.?[0-9])[0-9_]*(\.[0-9_]*)?([eE][+-]?[0-9][0-9_]*)?\Z")
_HEX_FLOAT = re.compile(r"[+-]?0[xX](?=\.?[0-9a-fA-F])[0-9a-fA-F_]*(\.[0-9a-fA-F_]*)?"
                        r"[pP][+-]?[0-9][0-9_]*\Z")


def parse_float(s):
    """``strconv.ParseFloat(s, 64)`` for number tokens: value or None."""
    if _DEC_FLOAT.match(s):
        value = float(s.replace("_", ""))
    elif _HEX_FLOAT.match(s):
        try:
            value = float.fromhex(s.replace("_", ""))
        except OverflowError:
            return None
    else:
        return None
    if "_" in s and not underscore_ok(s):
        return None
    if value in (float("inf"), float("-inf")):
        return None  # Go reports ErrRange
    return value
