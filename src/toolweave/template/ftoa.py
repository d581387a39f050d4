"""Go's ``strconv.FormatFloat`` for float64 (the formats fmt uses).

Contract: :func:`format_float` returns exactly Go's text for the formats
'b', 'e', 'E', 'f', 'g', 'G', 'x', 'X'; precision -1 means "shortest
representation that round-trips" (Python's ``repr`` computes the same
digits).  Explicit precisions use Python's correctly rounded printf, which
agrees with Go's.
"""

import struct


def _shortest_digits(f):
    """Return (digits, dp) of the shortest repr of abs(f): 0.d1d2... x 10^dp."""
    r = repr(abs(f))
    mant, _, exp = r.partition("e")
    ip, _, fp = mant.partition(".")
    allds = ip + fp
    stripped = allds.lstrip("0")
    lead = len(allds) - len(stripped)
    digits = stripped.rstrip("0")
    if not digits:
        return "", 0
    return digits, len(ip) - lead + (int(exp) if exp else 0)


def _fmt_e(neg, digits, dp, prec, e):
    """Go's fmtE for decimal digits with *prec* digits after the point."""
    first = digits[0] if digits else "0"
    frac = digits[1:prec + 1].ljust(prec, "0")
    exp = dp - 1 if digits else 0
    sign = "-" if exp < 0 else "+"
    body = first + ("." + frac if prec > 0 else "")
    return ("-" if neg else "") + body + e + sign + "%02d" % abs(exp)


def _fmt_f(neg, digits, dp, prec):
    """Go's fmtF: digits with *prec* digits after the decimal point."""
    ip = (digits[:dp] if dp > 0 else "").ljust(max(dp, 0), "0") or "0"
    frac = ""
    if prec > 0:
        frac = "".join(digits[dp + i] if 0 <= dp + i < len(digits) else "0"
                       for i in range(prec))
        frac = "." + frac
    return ("-" if neg else "") + ip + frac


def _float_parts(f):
    """(mantissa, unbiased exponent) of a finite float64, as Go's genericFtoa."""
    bits = struct.unpack("<Q", struct.pack("<d", f))[0]
    exp = (bits >> 52) & 0x7FF
    mant = bits & ((1 << 52) - 1)
    if exp == 0:
        exp = 1  # denormal
    else:
        mant |= 1 << 52
    return mant, exp - 1023


def _format_binary(f, fmt, prec, neg):
    """Go's fmtB ('b': decimal mantissa, binary exponent) and fmtX (hex)."""
    mant, exp = _float_parts(f)
    sign = "-" if neg else ""
    if fmt == "b":
        exp -= 52
        return "%s%dp%s%d" % (sign, mant, "+" if exp >= 0 else "", exp)
    if mant == 0:
        exp = 0
    mant <<= 8  # leading 1 (if any) at bit 60
    while mant and not mant & (1 << 60):
        mant <<= 1
        exp -= 1
    if 0 <= prec < 15:  # round to prec hex digits, half to even
        shift = prec * 4
        extra = (mant << shift) & ((1 << 60) - 1)
        mant >>= 60 - shift
        if extra | (mant & 1) > 1 << 59:
            mant += 1
        mant <<= 60 - shift
        if mant & (1 << 61):
            mant >>= 1
            exp += 1
    digits = "0123456789ABCDEF" if fmt == "X" else "0123456789abcdef"
    out = [sign, "0", fmt, str((mant >> 60) & 1)]
    mant = (mant << 4) & ((1 << 64) - 1)
    count = prec if prec > 0 else (-1 if prec < 0 and mant else 0)
    if count:
        out.append(".")
        while (count < 0 and mant) or count > 0:
            out.append(digits[(mant >> 60) & 15])
            mant = (mant << 4) & ((1 << 64) - 1)
            count -= 1 if count > 0 else 0
    out.append("P" if fmt == "X" else "p")
    out.append("-" if exp < 0 else "+")
    out.append("%02d" % abs(exp))
    return "".join(out)


def format_float(f, fmt, prec):
    """``strconv.FormatFloat(f, fmt, prec, 64)`` for fmt in 'beEfgGxX'."""
    if f != f:
        return "NaN"
    if f in (float("inf"), float("-inf")):
        return "+Inf" if f > 0 else "-Inf"
    neg = f < 0 or (f == 0 and str(f)[0] == "-")
    if fmt in "bxX":
        return _format_binary(f, fmt, prec, neg)
    if prec >= 0:
        # Python's printf is correctly rounded like Go's, with the same
        # %g trailing-zero removal and two-digit exponents.
        text = ("%." + str(prec) + fmt) % abs(f)
        return ("-" if neg else "") + text
    digits, dp = _shortest_digits(f)
    if fmt in "eE":
        return _fmt_e(neg, digits, dp, max(len(digits) - 1, 0), fmt)
    if fmt == "f":
        return _fmt_f(neg, digits, dp, max(len(digits) - dp, 0))
    exp = dp - 1
    if digits and (exp < -4 or exp >= 6):  # shortest %g switches at 1e6
        return _fmt_e(neg, digits, dp, len(digits) - 1, "e" if fmt == "g" else "E")
    return _fmt_f(neg, digits, dp, max(len(digits) - dp, 0))

