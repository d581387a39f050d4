"""Go's ``doPrintf`` format-string interpreter (used by :mod:`gofmt`).

Contract: :func:`do_printf` walks the format exactly like Go's ``doPrintf``
-- flags, width (number or ``*``), precision, verb -- and delegates each
verb to the ``print_arg`` callback.  ``%[n]`` argument indexes are not
supported (the ``[`` is then reported as a bad verb).
"""

from .values import type_name

_FLAG_CHARS = "#0+- "


def _too_large(n):
    # Go guards against absurd widths/precisions the same way.
    return n > 1_000_000 or n < -1_000_000


def _parse_num(s, i):
    """Go's parsenum: returns (value or None, new index)."""
    num, start = 0, i
    while i < len(s) and "0" <= s[i] <= "9":
        if _too_large(num):
            return None, len(s)
        num = num * 10 + ord(s[i]) - 48
        i += 1
    return (num if i > start else None), i


def _int_from_arg(args, argnum):
    """Go's intFromArg: (value or None, new argnum)."""
    if argnum >= len(args):
        return None, argnum
    v = args[argnum]
    if not isinstance(v, int) or isinstance(v, bool) or _too_large(v):
        return None, argnum + 1
    return v, argnum + 1


def _set_flag(f, c):
    if c == "#":
        f.sharp = True
    elif c == "0":
        f.zero = True
    elif c == "+":
        f.plus = True
    elif c == "-":
        f.minus = True
    else:
        f.space = True


def _width(fmt, i, args, argnum, f, out):
    """Parse the width (digits or '*'); returns (i, argnum)."""
    if i < len(fmt) and fmt[i] == "*":
        f.wid, argnum = _int_from_arg(args, argnum)
        if f.wid is None:
            out.append("%!(BADWIDTH)")
        elif f.wid < 0:  # a negative width means left-justify
            f.wid, f.minus, f.zero = -f.wid, True, False
        return i + 1, argnum
    f.wid, i = _parse_num(fmt, i)
    return i, argnum


def _precision(fmt, i, args, argnum, f, out):
    """Parse ".prec" (digits or '*'); returns (i, argnum)."""
    if not (i + 1 < len(fmt) and fmt[i] == "."):
        return i, argnum
    i += 1
    if fmt[i] == "*":
        f.prec, argnum = _int_from_arg(args, argnum)
        if f.prec is not None and f.prec < 0:
            f.prec = None
        if f.prec is None:
            out.append("%!(BADPREC)")
        return i + 1, argnum
    f.prec, i = _parse_num(fmt, i)
    if f.prec is None:
        f.prec = 0
    return i, argnum


def do_printf(fmt, args, print_arg, flags_class):
    """Format *args* according to *fmt* (see module doc)."""
    out, argnum, i, end = [], 0, 0, len(fmt)
    while i < end:
        j = fmt.find("%", i)
        if j < 0:
            out.append(fmt[i:])
            break
        out.append(fmt[i:j])
        i = j + 1
        f = flags_class()
        while i < end and fmt[i] in _FLAG_CHARS:
            _set_flag(f, fmt[i])
            i += 1
        i, argnum = _width(fmt, i, args, argnum, f, out)
        i, argnum = _precision(fmt, i, args, argnum, f, out)
        if i >= end:
            out.append("%!(NOVERB)")
            break
        verb = fmt[i]
        i += 1
        if verb == "%":  # a literal percent consumes no operand
            out.append("%")
        elif argnum >= len(args):
            out.append("%!" + verb + "(MISSING)")
        else:
            if verb == "v":  # '#' and '+' mean Go syntax / field names for %v
                f.sharp_v, f.sharp, f.plus = f.sharp, False, False
            print_arg(out, args[argnum], verb, f)
            argnum += 1
    if argnum < len(args):
        _extra(out, args[argnum:], print_arg, flags_class)
    return "".join(out)


def _extra(out, extra, print_arg, flags_class):
    """Go's report of unused operands: ``%!(EXTRA type=value, ...)``."""
    out.append("%!(EXTRA ")
    for k, arg in enumerate(extra):
        if k:
            out.append(", ")
        if arg is None:
            out.append("<nil>")
        else:
            out.append(type_name(arg) + "=")
            print_arg(out, arg, "v", flags_class())
    out.append(")")
