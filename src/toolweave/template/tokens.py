"""Lexical items of Go templates: item types, keywords, helpers.

Contract: the item type constants keep Go's relative order (keywords after
``KEYWORD``); :func:`item_str` reproduces Go's ``item.String()`` used in
"unexpected ..." parse errors.
"""

from .gostr import quote

# Item types; the order matters only for ``typ > KEYWORD`` (keywords last).
(ERROR, BOOL, CHAR, CHAR_CONSTANT, COMPLEX, ASSIGN, DECLARE, EOF, FIELD,
 IDENTIFIER, LEFT_DELIM, LEFT_PAREN, NUMBER, PIPE, RAW_STRING, RIGHT_DELIM,
 RIGHT_PAREN, SPACE, STRING, TEXT, VARIABLE, KEYWORD, BLOCK, BREAK, CONTINUE,
 DOT, DEFINE, ELSE, END, IF, NIL, RANGE, TEMPLATE, WITH) = range(34)

KEYWORDS = {"block": BLOCK, "break": BREAK, "continue": CONTINUE,
            "define": DEFINE, "else": ELSE, "end": END, "if": IF, "nil": NIL,
            "range": RANGE, "template": TEMPLATE, "with": WITH}

LEFT, RIGHT = "{{", "}}"
SPACES = " \t\r\n"


def is_alnum(ch):
    """Go's isAlphaNumeric: '_', a Unicode letter or a decimal digit."""
    return ch == "_" or ch.isalpha() or ch.isdecimal()


def format_rune_u(ch):
    """Go's ``%#U`` verb: ``U+0041 'A'`` (the glyph only when printable)."""
    text = "U+%04X" % ord(ch)
    return text + " '" + ch + "'" if ch.isprintable() else text


def item_str(item):
    """Go's ``item.String()``, used in "unexpected ..." parse errors."""
    typ, _, val = item
    if typ == EOF:
        return "EOF"
    if typ == ERROR:
        return val
    if typ > KEYWORD:
        return "<" + val + ">"
    if len(val.encode()) > 10:  # Go's %.10q truncates to ten runes
        return quote(val[:10]) + "..."
    return quote(val)
