"""The builtin template functions, ported from ``text/template/funcs.go``.

Contract: each builtin is a :class:`Func` whose :class:`Signature` mirrors
the Go signature (``reflect.Value`` parameters receive raw runtime values,
``interface {}`` parameters receive plain Python values).  Errors Go would
return are raised as :class:`GoError` with Go's text; the executor wraps
them as ``error calling NAME: ...``.  ``and``, ``or`` and ``call`` are
partly implemented by the executor, as in Go.
"""

from . import gofmt
from .compare import eq, ge, gt, le, lt, ne
from .values import (ANY, RV, GoError, Iface, Signature, Uint8, can_be_nil,
                     indirect, is_true, kind, plain, signature, type_name,
                     unwrap)


class Func:
    """A callable plus its Go signature; ``builtin`` marks Go's builtins."""

    __slots__ = ("impl", "sig", "builtin")

    def __init__(self, impl, sig, builtin=False):
        self.impl, self.sig, self.builtin = impl, sig, builtin


def elem_type_name(v):
    """Type name after Go's ``indirect``: objects lose their pointer star."""
    name = type_name(v)
    return name[1:] if kind(v) == "ptr" and name.startswith("*") else name


def _byte_len(s):
    return len(s) if s.isascii() else len(s.encode("utf-8", "surrogatepass"))


def _length(item):
    item, is_nil = indirect(item)
    if is_nil:
        raise GoError("len of nil pointer")
    if item is None:  # Go calls Type() on the zero Value and panics
        raise GoError("reflect: call of reflect.Value.Type on zero Value")
    k = kind(item)
    if k == "string":
        return _byte_len(item)
    if k in ("slice", "map"):
        return len(item)
    raise GoError("len of type " + elem_type_name(item))


def _index_arg(index, cap):
    """Go's indexArg: validate an index against *cap*; return it as int."""
    if index is None:
        raise GoError("cannot index slice/array with nil")
    if kind(index) not in ("int", "uint"):
        raise GoError("cannot index slice/array with type " + type_name(index))
    x = int(index)
    if x < 0 or x > cap:
        raise GoError("index out of range: %d" % x)
    return x


def prepare_arg(value, arg_type):
    """Go's prepareArg: check *value* is assignable to *arg_type*."""
    if value is None:
        if not can_be_nil(arg_type):
            raise GoError("value is nil; should be of type " + arg_type)
        return None
    vt = type_name(value)
    if vt == arg_type or arg_type in (ANY, RV):
        return value
    if kind(value) in ("int", "uint") and arg_type in ("int", "uint8"):
        return Uint8(value) if arg_type == "uint8" else int(value)
    raise GoError("value has type %s; should be %s" % (vt, arg_type))


def _index_one(item, index):
    k = kind(item)
    if k == "slice":
        x = _index_arg(index, len(item))
        if x == len(item):
            raise GoError("reflect: slice index out of range")
        return Iface(item[x])
    if k == "string":
        data = item.encode("utf-8", "surrogatepass")
        x = _index_arg(index, len(data))
        if x == len(data):
            raise GoError("reflect: string index out of range")
        return Uint8(data[x])
    if k == "map":
        key = prepare_arg(index, "string")
        return Iface(item[key]) if key in item else Iface(None)
    raise GoError("can't index item of type " + elem_type_name(item))


def _index(item, *indexes):
    item = unwrap(item)
    if item is None:
        raise GoError("index of untyped nil")
    for index in indexes:
        item, is_nil = indirect(item)
        if is_nil:
            raise GoError("index of nil pointer")
        item = _index_one(item, unwrap(index))
    return item


def _slice_string(s, i, j):
    if s.isascii():
        return s[i:j]
    # Go slices bytes; a split UTF-8 sequence becomes U+FFFD here.
    return s.encode("utf-8", "surrogatepass")[i:j].decode("utf-8", "replace")


def _slice(item, *indexes):
    item = unwrap(item)
    if item is None:
        raise GoError("slice of untyped nil")
    if len(indexes) > 3:
        raise GoError("too many slice indexes: %d" % len(indexes))
    k = kind(item)
    if k == "string":
        if len(indexes) == 3:
            raise GoError("cannot 3-index slice a string")
        cap = _byte_len(item)
    elif k == "slice":
        cap = len(item)
    else:
        raise GoError("can't slice item of type " + elem_type_name(item))
    # Note: Go does not unwrap interface-typed indexes here (unlike index).
    idx = [0, cap, cap]
    for i, index in enumerate(indexes):
        idx[i] = _index_arg(index, cap)
    if idx[0] > idx[1]:
        raise GoError("invalid slice index: %d > %d" % (idx[0], idx[1]))
    if len(indexes) == 3 and idx[1] > idx[2]:
        raise GoError("invalid slice index: %d > %d" % (idx[1], idx[2]))
    if k == "string":
        return _slice_string(item, idx[0], idx[1])
    return list(item[idx[0]:idx[1]])


def call_function(name, fn, *args):
    """Go's ``call``: invoke the function value *fn* with *args*."""
    fn = unwrap(fn)
    if fn is None:
        raise GoError("call of nil")
    if kind(fn) != "func":
        raise GoError("non-function %s of type %s" % (name, type_name(fn)))
    sig = signature(fn)
    n = len(sig.params)
    if sig.variadic is not None:
        if len(args) < n:
            raise GoError("wrong number of args for %s: got %d want at least %d"
                          % (name, len(args), n))
    elif not n - sig.optional <= len(args) <= n:
        raise GoError("wrong number of args for %s: got %d want %d" % (name, len(args), n))
    argv = []
    for i, arg in enumerate(args):
        arg_type = sig.params[i] if i < n else sig.variadic
        try:
            argv.append(plain(prepare_arg(unwrap(arg), arg_type)))
        except GoError as err:
            raise GoError("arg %d: %s" % (i, err)) from None
    return to_result(fn(*argv))


def to_result(value):
    """Convert a Python function result: ``None`` is a nil ``interface {}``."""
    return Iface(None) if value is None else value


def _eval_args(args):
    """Go's evalArgs: Sprint of the arguments, nil printed as <no value>."""
    if len(args) == 1 and isinstance(args[0], str):
        return args[0]
    return gofmt.sprint(["<no value>" if a is None else a for a in args])


_HTML = {"\0": "\ufffd", '"': "&#34;", "'": "&#39;", "&": "&amp;", "<": "&lt;", ">": "&gt;"}
_JS = {"\\": "\\\\", "'": "\\'", '"': '\\"', "<": "\\u003C", ">": "\\u003E",
       "&": "\\u0026", "=": "\\u003D"}
_URL_SAFE = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.~")


def _html(*args):
    s = _eval_args(args)
    return "".join(_HTML.get(c, c) for c in s) if any(c in s for c in _HTML) else s


def _js_char(c):
    esc = _JS.get(c)
    if esc is not None:
        return esc
    if c < " ":
        return "\\u00%02X" % ord(c)
    if c >= "\x80" and not c.isprintable():
        return "\\u%04X" % ord(c)
    return c


def _js(*args):
    return "".join(_js_char(c) for c in _eval_args(args))


def _urlquery(*args):
    out = []
    for b in _eval_args(args).encode("utf-8", "surrogatepass"):
        c = chr(b)
        out.append(c if c in _URL_SAFE else "+" if c == " " else "%%%02X" % b)
    return "".join(out)


def _unreachable(*_args):
    raise AssertionError("implemented by the executor")


def _sig(params, variadic=None, result="bool"):
    return Signature(params, variadic, result)


BUILTINS = {
    "and": Func(_unreachable, _sig((RV,), RV, RV), True),
    "call": Func(call_function, _sig((RV,), RV, RV), True),
    "html": Func(_html, _sig((), ANY, "string"), True),
    "index": Func(_index, _sig((RV,), RV, RV), True),
    "slice": Func(_slice, _sig((RV,), RV, RV), True),
    "js": Func(_js, _sig((), ANY, "string"), True),
    "len": Func(_length, _sig((RV,), None, "int"), True),
    "not": Func(lambda a: not is_true(a), _sig((RV,)), True),
    "or": Func(_unreachable, _sig((RV,), RV, RV), True),
    "print": Func(lambda *a: gofmt.sprint(a), _sig((), ANY, "string"), True),
    "printf": Func(lambda f, *a: gofmt.sprintf(f, a), _sig(("string",), ANY, "string"), True),
    "println": Func(lambda *a: gofmt.sprintln(a), _sig((), ANY, "string"), True),
    "urlquery": Func(_urlquery, _sig((), ANY, "string"), True),
    "eq": Func(eq, _sig((RV,), RV), True),
    "ge": Func(ge, _sig((RV, RV)), True),
    "gt": Func(gt, _sig((RV, RV)), True),
    "le": Func(le, _sig((RV, RV)), True),
    "lt": Func(lt, _sig((RV, RV)), True),
    "ne": Func(ne, _sig((RV, RV)), True),
}
