"""Go's fmt verb formatters for basic values (bool, integers, floats, strings).

Contract: each ``fmt_*(value, verb, flags)`` returns the text Go's ``fmt``
would produce for that verb -- width, precision and the ``+ - # 0 space``
flags included -- or ``None`` when the verb does not apply to the value
(the caller then prints Go's ``%!verb(type=value)`` form).
"""

from .ftoa import format_float
from .gostr import can_backquote, quote, quote_rune


def pad(s, f):
    """Pad *s* to the field width (rune count), honouring '-' and '0'."""
    if not f.wid or len(s) >= f.wid:
        return s
    if f.minus:
        return s + " " * (f.wid - len(s))
    return ("0" if f.zero else " ") * (f.wid - len(s)) + s


def fmt_bool(v, verb, f):
    if verb in "tv":
        return pad("true" if v else "false", f)
    return None


_BASES = {"v": 10, "d": 10, "b": 2, "o": 8, "O": 8, "x": 16, "X": 16}


def fmt_integer(v, verb, f):
    base = _BASES.get(verb)
    if base is None:
        if verb == "c":
            ok = 0 <= v <= 0x10FFFF and not 0xD800 <= v < 0xE000
            return pad(chr(v) if ok else "\ufffd", f)
        if verb == "q":
            return pad(quote_rune(v, f.plus), f)
        if verb == "U":
            return _fmt_unicode(v, f)
        return None
    sharp = f.sharp
    if verb == "v" and f.sharp_v and type(v) is not int:  # %#v of unsigned: 0x..
        base, sharp = 16, True
    neg, u = v < 0, abs(v)
    prec = 0
    if f.prec is not None:
        prec = f.prec
        if prec == 0 and u == 0:  # precision 0 and value 0 print nothing
            return " " * (f.wid or 0)
    elif f.zero and not f.minus and f.wid:
        prec = f.wid - (1 if neg or f.plus or f.space else 0)
    digits = format(u, {10: "d", 2: "b", 8: "o", 16: "x"}[base])
    if verb == "X":
        digits = digits.upper()
    digits = digits.rjust(prec, "0")
    if sharp:
        if base == 2:
            digits = "0b" + digits
        elif base == 8 and digits[0] != "0":
            digits = "0" + digits
        elif base == 16:
            digits = ("0X" if verb == "X" else "0x") + digits
    if verb == "O":
        digits = "0o" + digits
    sign = "-" if neg else "+" if f.plus else " " if f.space else ""
    return _pad_spaces(sign + digits, f)


def _pad_spaces(s, f):
    """Pad with spaces even when the '0' flag is set (already applied)."""
    if not f.wid or len(s) >= f.wid:
        return s
    return s + " " * (f.wid - len(s)) if f.minus else " " * (f.wid - len(s)) + s


def _fmt_unicode(v, f):
    v &= (1 << 64) - 1  # Go formats the uint64 bit pattern
    prec = f.prec if f.prec is not None and f.prec > 4 else 4
    text = "U+" + ("%X" % v).rjust(prec, "0")
    if f.sharp and v <= 0x10FFFF and not 0xD800 <= v < 0xE000 and chr(v).isprintable():
        text += " '" + chr(v) + "'"
    return _pad_spaces(text, f)


def fmt_float(v, verb, f):
    if verb == "v":
        fmt, prec = "g", -1
    elif verb in "bgGxX":
        fmt, prec = verb, -1
    elif verb in "eEf":
        fmt, prec = verb, 6
    elif verb == "F":
        fmt, prec = "f", 6
    else:
        return None
    if f.prec is not None:
        prec = f.prec
    num = format_float(v, fmt, prec)
    if num[0] not in "+-":
        num = "+" + num
    if f.space and num[0] == "+" and not f.plus:
        num = " " + num[1:]
    if num[1] in "IN":  # infinities and NaN are never zero padded
        if num[1] == "N" and not f.space and not f.plus:
            num = num[1:]
        return _pad_spaces(num, f)
    if f.sharp and fmt != "b":
        num = _sharp_float(num, fmt, prec)
    if f.plus or num[0] != "+":
        if f.zero and not f.minus and f.wid and f.wid > len(num):
            return num[0] + "0" * (f.wid - len(num)) + num[1:]
        return pad(num, f)
    return pad(num[1:], f)


def _sharp_float(num, fmt, prec):
    """The '#' flag: force a decimal point and keep trailing zeros (Go's rules)."""
    digits = (6 if prec == -1 else prec) if fmt in "gGx" else 0
    tail, has_point, nonzero = "", False, False
    for i in range(1, len(num)):
        c = num[i]
        if c == ".":
            has_point = True
        elif c in "pP" or (c in "eE" and fmt not in "xX"):
            num, tail = num[:i], num[i:]
            break
        else:
            nonzero = nonzero or c != "0"
            if nonzero:
                digits -= 1
    if not has_point:
        if len(num) == 2 and num[1] == "0":  # a lone leading zero counts once
            digits -= 1
        num += "."
    return num + "0" * max(digits, 0) + tail


def fmt_complex(v, verb, f):
    if verb not in "vbgGxXfFeE":
        return None
    real = fmt_float(v.real, verb, f)
    old, f.plus = f.plus, True  # the imaginary part always has a sign
    imag = fmt_float(v.imag, verb, f)
    f.plus = old
    return "(" + real + imag + "i)"


def fmt_string(s, verb, f):
    if verb == "v" and not f.sharp_v or verb == "s":
        return pad(s if f.prec is None else s[:f.prec], f)
    if verb in "xX":
        return _fmt_sx(s.encode("utf-8", "surrogatepass"), verb, f)
    if verb in "qv":
        if f.prec is not None:
            s = s[:f.prec]
        if f.sharp and can_backquote(s):
            return pad("`" + s + "`", f)
        return pad(quote(s, f.plus), f)
    return None


def _fmt_sx(b, verb, f):
    """Go's fmtSbx: hex encoding of the bytes of a string."""
    length = len(b) if f.prec is None else min(len(b), f.prec)
    width = 2 * length
    if width == 0:
        return pad("", f)
    if f.space:
        width = width * (2 if f.sharp else 1) + length - 1
    elif f.sharp:
        width += 2
    prefix = "0X" if verb == "X" else "0x"
    parts = ["%02X" % c if verb == "X" else "%02x" % c for c in b[:length]]
    if f.space:
        body = " ".join((prefix if f.sharp else "") + p for p in parts)
    else:
        body = (prefix if f.sharp else "") + "".join(parts)
    fill = (f.wid or 0) - width
    if fill > 0 and not f.minus:
        body = ("0" if f.zero else " ") * fill + body
    elif fill > 0:
        body += " " * fill
    return body
