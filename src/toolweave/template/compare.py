"""Comparison builtins ``eq ne lt le gt ge`` with Go's type rules.

Contract: arguments are raw runtime values (Go ``reflect.Value``);
interfaces are unwrapped first.  Basic kinds (bool, int, uint, float,
complex, string) compare by value; int and uint compare with each other;
any other mix raises :class:`GoError` with Go's message.  ``eq`` accepts
several right-hand operands (true if any matches).
"""

from . import gofmt
from .values import GoError, kind, type_name, unwrap

_BASIC = frozenset(("bool", "int", "uint", "float", "complex", "string"))
_INTS = frozenset(("int", "uint"))
_UNCOMPARABLE = frozenset(("slice", "map", "func"))


def _basic_kind(v):
    """The comparison kind of *v*, or None (Go's invalidKind)."""
    if v is None:
        return None
    k = kind(v)
    return k if k in _BASIC else None


def _fmt(v, verb):
    # Go formats the reflect.Value itself, so nil shows "<invalid reflect.Value>".
    return "<invalid reflect.Value>" if v is None else gofmt.format_one(v, verb)


def _eq_other(a, b):
    """Equality for non-basic kinds (lists, maps, objects, nil)."""
    ka = kind(a) if a is not None else "invalid"
    kb = kind(b) if b is not None else "invalid"
    if ka != kb and "invalid" not in (ka, kb):
        raise GoError("non-comparable types %s: %s, %s: %s" % (
            _fmt(a, "s"), type_name(a), type_name(b), _fmt(b, "v")))
    if a is None or b is None:
        return (a is None) == (b is None)
    if kb in _UNCOMPARABLE:
        raise GoError("non-comparable type %s: %s" % (_fmt(b, "s"), type_name(b)))
    return a is b  # pointer identity


def eq(arg1, *arg2):
    """Go's eq: arg1 == arg2[0] || arg1 == arg2[1] || ..."""
    arg1 = unwrap(arg1)
    if not arg2:
        raise GoError("missing argument for comparison")
    k1 = _basic_kind(arg1)
    for arg in arg2:
        arg = unwrap(arg)
        k2 = _basic_kind(arg)
        if k1 != k2:
            if k1 in _INTS and k2 in _INTS:
                truth = int(arg1) == int(arg)
            elif arg1 is not None and arg is not None:
                raise GoError("incompatible types for comparison: %s and %s" % (
                    type_name(arg1), type_name(arg)))
            else:
                truth = False
        elif k1 is not None:
            truth = arg1 == arg
        else:
            truth = _eq_other(arg1, arg)
        if truth:
            return True
    return False


def ne(arg1, arg2):
    """Go's ne: the inverse of eq."""
    return not eq(arg1, arg2)


def lt(arg1, arg2):
    """Go's lt for basic ordered kinds."""
    arg1 = unwrap(arg1)
    k1 = _basic_kind(arg1)
    if k1 is None:
        raise GoError("invalid type for comparison")
    arg2 = unwrap(arg2)
    k2 = _basic_kind(arg2)
    if k2 is None:
        raise GoError("invalid type for comparison")
    if k1 != k2:
        if k1 in _INTS and k2 in _INTS:
            return int(arg1) < int(arg2)
        raise GoError("incompatible types for comparison: %s and %s" % (
            type_name(arg1), type_name(arg2)))
    if k1 in ("bool", "complex"):
        raise GoError("invalid type for comparison")
    return arg1 < arg2


def le(arg1, arg2):
    """Go's le: lt or eq."""
    return lt(arg1, arg2) or eq(arg1, arg2)


def gt(arg1, arg2):
    """Go's gt: not le."""
    return not le(arg1, arg2)


def ge(arg1, arg2):
    """Go's ge: not lt."""
    return not lt(arg1, arg2)
