"""A subset of Go's ``fmt`` package: Sprint, Sprintln, Sprintf.

Contract: arguments are plain Python values under the mapping of
:mod:`values` (``None`` is a nil interface).  Output matches Go for the
verbs ``v s q d t x X c U b o O e E f F g G %`` with the flags ``+ - # 0
space``, width, precision and ``*``, including Go's error forms
(``%!d(string=x)``, ``%!d(MISSING)``, ``%!(EXTRA ...)``, ``%!(NOVERB)``),
``%#v`` for basic values, lists and maps, and ``%b``/``%x`` on floats.
Not reproduced: ``%[n]`` argument indexes, ``%p``, pointer addresses of
functions, and non-Stringer verbs (or ``%#v``) applied to struct-like
objects, for which Go prints the struct's fields.
"""

from .fmtverbs import fmt_bool, fmt_complex, fmt_float, fmt_integer, fmt_string, pad
from .printf import do_printf
from .values import kind, type_name


class Flags:
    """Formatting state for one verb (Go's ``fmt.fmtFlags`` plus width)."""

    __slots__ = ("plus", "minus", "sharp", "space", "zero", "wid", "prec", "sharp_v")

    def __init__(self):
        self.plus = self.minus = self.sharp = self.space = self.zero = self.sharp_v = False
        self.wid = self.prec = None


_NO_FLAGS = Flags()


def _bad_verb(out, verb, arg, f):
    out.append("%!" + verb + "(")
    if arg is None:
        out.append("<nil>")
    else:
        out.append(type_name(arg) + "=")
        _print_arg(out, arg, "v", f, methods=False)
    out.append(")")


def _is_stringer(v) -> bool:
    """Objects are Stringers (``str()``); so is a list/dict subclass that defines its own
    ``__str__``, like a Go named slice or map type with a String method."""
    k = kind(v)
    if k == "ptr":
        return True
    return k in ("slice", "map") and type(v).__str__ is not object.__str__


def _handle_methods(out, v, verb, f):
    """Stringer support: Stringers print via ``str()`` for v, s, x, X, q."""
    if verb not in "vsxXq" or not _is_stringer(v):
        return False
    try:
        text = str(v)
    except Exception as err:  # Go recovers panics in String methods
        out.append("%!" + verb + "(PANIC=String method: " + str(err) + ")")
        return True
    out.append(fmt_string(text, verb, f))
    return True


_SIMPLE = {"bool": fmt_bool, "int": fmt_integer, "uint": fmt_integer,
           "float": fmt_float, "complex": fmt_complex, "string": fmt_string}


def _print_arg(out, arg, verb, f, methods=True):
    """Go's ``printArg`` / ``printValue`` for a (plain) value."""
    if arg is None:
        if verb in "Tv":
            out.append(pad("<nil>", f))
        else:
            _bad_verb(out, verb, None, f)
        return
    if verb == "T":
        name = type_name(arg)
        out.append(pad(name if f.prec is None else name[:f.prec], f))
        return
    _print_value(out, arg, verb, f, 0, methods)


def _print_value(out, v, verb, f, depth, methods=True):
    k = kind(v)
    fn = _SIMPLE.get(k)
    if fn is not None:
        text = fn(v, verb, f)
        if text is None:
            _bad_verb(out, verb, v, f)
        else:
            out.append(text)
    elif methods and _handle_methods(out, v, verb, f):
        pass
    elif k == "slice":
        open_, sep, close_ = (type_name(v) + "{", ", ", "}") if f.sharp_v else ("[", " ", "]")
        out.append(open_)
        for i, e in enumerate(v):
            if i:
                out.append(sep)
            _print_elem(out, e, verb, f, depth + 1)
        out.append(close_)
    elif k == "map":
        open_, sep, close_ = (type_name(v) + "{", ", ", "}") if f.sharp_v else ("map[", " ", "]")
        out.append(open_)
        for i, key in enumerate(_sorted_keys(v)):
            if i:
                out.append(sep)
            _print_elem(out, key, verb, f, depth + 1)
            out.append(":")
            _print_elem(out, v[key], verb, f, depth + 1)
        out.append(close_)
    else:
        # Functions (Go prints an address) and non-Stringer verbs on objects
        # (Go prints struct fields) have no faithful form; use str().
        out.append(pad(str(v), f))


def _print_elem(out, e, verb, f, depth):
    # Elements of []interface{} / map values are interfaces: nil is "<nil>".
    if e is None:
        out.append("interface {}(nil)" if f.sharp_v else "<nil>")
    else:
        _print_value(out, e, verb, f, depth)


def _sorted_keys(d):
    try:
        return sorted(d)
    except TypeError:  # mixed key types: group by type name, like fmtsort
        return sorted(d, key=lambda k: (type(k).__name__, str(k)))


def sprint_value(v):
    """``fmt.Sprint(v)`` for one value (the default printing of an action)."""
    t = type(v)
    if t is str:
        return v
    if t is int:
        return str(v)
    out = []
    _print_arg(out, v, "v", _NO_FLAGS)
    return "".join(out)


def sprint(args):
    """``fmt.Sprint``: spaces between operands when neither is a string."""
    out, prev_string = [], False
    for i, arg in enumerate(args):
        is_string = isinstance(arg, str)
        if i > 0 and not is_string and not prev_string:
            out.append(" ")
        _print_arg(out, arg, "v", _NO_FLAGS)
        prev_string = is_string
    return "".join(out)


def sprintln(args):
    """``fmt.Sprintln``: always a space between operands, then a newline."""
    out = []
    for i, arg in enumerate(args):
        if i > 0:
            out.append(" ")
        _print_arg(out, arg, "v", _NO_FLAGS)
    out.append("\n")
    return "".join(out)


def sprintf(fmt, args):
    """``fmt.Sprintf`` (see module doc for the supported subset)."""
    return do_printf(fmt, args, _print_arg, Flags)


def format_one(v, verb):
    """Format one plain value with *verb* and no flags (``fmt.Sprintf("%v", v)``)."""
    out = []
    _print_arg(out, v, verb, _NO_FLAGS)
    return "".join(out)
