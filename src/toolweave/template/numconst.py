"""Numeric constants: Go's ``parse.newNumber`` and ``state.idealConstant``.

Contract: :func:`new_number` builds a :class:`NumberNode` exactly as Go's
parser does (recording every type that can represent the value) or raises
:class:`ValueError` carrying Go's error text; :func:`ideal_constant` picks
the Go type of an untyped constant (int, float64 or complex128) and returns
the Python value, or raises :class:`OverflowError` with Go's message.
"""

from . import gostr
from .tokens import CHAR_CONSTANT, COMPLEX
from .nodes import NumberNode

_I64 = 1 << 63
_U64 = 1 << 64


def _fits_int64(f):
    return -_I64 <= f < _I64 and f == int(f)


def _fits_uint64(f):
    return 0 <= f < _U64 and f == int(f)


def _simplify_complex(n):
    """Record the real types a complex constant with zero imaginary part has."""
    n.is_float = n.complex128.imag == 0
    if n.is_float:
        n.float64 = n.complex128.real
        n.is_int = _fits_int64(n.float64)
        if n.is_int:
            n.int64 = int(n.float64)
        n.is_uint = _fits_uint64(n.float64)
        if n.is_uint:
            n.uint64 = int(n.float64)


def _char_constant(n, text):
    ch, i = gostr.unquote_char(text, 1, "'")
    if text[i:] != "'":
        raise ValueError("malformed character constant: " + text)
    code = ord(ch)
    n.int64 = n.uint64 = code
    n.float64 = float(code)
    n.is_int = n.is_uint = n.is_float = True


def _complex_constant(n, text):
    try:
        n.complex128 = complex(text[:-1].replace("_", "") + "j")
    except ValueError:
        raise ValueError("illegal number syntax: " + gostr.quote(text)) from None
    n.is_complex = True
    _simplify_complex(n)


def new_number(pos, text, typ):
    """Parse a number/char/complex token into a NumberNode (see module doc)."""
    n = NumberNode(pos, text)
    if typ == CHAR_CONSTANT:
        _char_constant(n, text)
        return n
    if typ == COMPLEX:
        _complex_constant(n, text)
        return n
    if text.endswith("i"):  # imaginary constants are complex unless zero
        f = gostr.parse_float(text[:-1])
        if f is not None:
            n.is_complex, n.complex128 = True, complex(0, f)
            _simplify_complex(n)
            return n
    u = gostr.parse_uint(text)
    if u is not None:
        n.is_uint, n.uint64 = True, u
    i = gostr.parse_int(text)
    if i is not None:
        n.is_int, n.int64 = True, i
        if i == 0:
            n.is_uint, n.uint64 = True, 0  # in case of -0
    if n.is_int:
        n.is_float, n.float64 = True, float(n.int64)
    elif n.is_uint:
        n.is_float, n.float64 = True, float(n.uint64)
    else:
        _float_constant(n, text)
    if not (n.is_int or n.is_uint or n.is_float):
        raise ValueError("illegal number syntax: " + gostr.quote(text))
    return n


def _float_constant(n, text):
    f = gostr.parse_float(text)
    if f is None:
        return
    # A float that looks like an integer is an int too large for int64.
    if not any(c in text for c in ".eEpP"):
        raise ValueError("integer overflow: " + gostr.quote(text))
    n.is_float, n.float64 = True, f
    if _fits_int64(f):
        n.is_int, n.int64 = True, int(f)
    if _fits_uint64(f):
        n.is_uint, n.uint64 = True, int(f)


def _is_hex_int(s):
    return len(s) > 2 and s[0] == "0" and s[1] in "xX" and not any(c in s for c in "pP")


def ideal_constant(n):
    """Return the value of an untyped constant in a context without a type."""
    if n.is_complex:
        return n.complex128
    if (n.is_float and not _is_hex_int(n.text) and not n.text.startswith("'")
            and any(c in n.text for c in ".eEpP")):
        return n.float64
    if n.is_int:
        return n.int64
    if n.is_uint:
        raise OverflowError(n.text + " overflows int")
    return None
