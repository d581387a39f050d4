"""The Go <-> Python value model used during execution.

Runtime values stand for Go ``reflect.Value``\\ s:

* ``None`` is the invalid (zero) ``reflect.Value`` -- e.g. a missing map
  key -- which prints as ``<no value>``.
* :class:`Iface` wraps a value whose static Go type is ``interface {}``:
  map values and list elements, as in ``map[string]interface{}`` and
  ``[]interface{}``.  ``Iface(None)`` is a nil interface.  Pipelines unwrap
  it (:func:`unwrap`), exactly where Go calls ``Elem()``.
* Everything else is a concrete value: ``bool``, ``int`` (Go ``int``),
  :class:`Uint8` (a byte from indexing a string), ``float`` (``float64``),
  ``complex`` (``complex128``), ``str``, ``list``/``tuple``
  (``[]interface {}``), ``dict`` (``map[string]interface {}``), callables
  (``func``) and any other object, which behaves like a pointer to a struct.

Go type names: an object's type is ``cls.__go_type__`` if the class sets it
(a property is read on the object: one class may stand for several Go types),
else ``"*" + cls.__name__``; a function's type is derived from its
annotations (``int``->int, ``float``->float64, ``str``->string,
``bool``->bool, ``list``->[]interface {}, ``dict``->map[string]interface {},
anything else -> interface {}).
"""

ANY = "interface {}"
RV = "reflect.Value"
MISSING = object()  # Go's missingVal: "no final pipeline argument"


class Iface:
    """A value of static type ``interface {}``; ``v is None`` means nil."""

    __slots__ = ("v",)

    def __init__(self, v):
        self.v = v


class Uint8(int):
    """A Go ``uint8`` (byte), produced by ``index`` on a string."""

    __slots__ = ()


class GoError(Exception):
    """An error returned by a builtin function (Go's ``error`` result)."""


_KINDS = {bool: "bool", int: "int", Uint8: "uint", float: "float",
          complex: "complex", str: "string", list: "slice", tuple: "slice",
          dict: "map", Iface: "interface", type(None): "invalid"}
_NAMES = {bool: "bool", int: "int", Uint8: "uint8", float: "float64",
          complex: "complex128", str: "string", list: "[]interface {}",
          tuple: "[]interface {}", dict: "map[string]interface {}", Iface: ANY}


def kind(v):
    """Return the reflect kind of a runtime value (see module doc)."""
    k = _KINDS.get(type(v))
    if k is not None:
        return k
    for cls in (bool, Uint8, int, float, complex, str, list, tuple, dict):
        if isinstance(v, cls):
            return _KINDS[cls]
    return "func" if callable(v) else "ptr"


_KIND_NAMES = {"bool": "bool", "int": "int", "uint": "uint8", "float": "float64",
               "complex": "complex128", "string": "string", "slice": "[]interface {}",
               "map": "map[string]interface {}", "interface": ANY}


def type_name(v):
    """Return the Go type string of a runtime value (not valid for None)."""
    name = _NAMES.get(type(v))
    if name is not None:
        return name
    k = kind(v)
    if k == "func":
        return signature(v).go_type()
    if k == "ptr":
        named = getattr(type(v), "__go_type__", None)
        if isinstance(named, property):
            named = named.__get__(v)
        return named or "*" + type(v).__name__
    return _KIND_NAMES[k]


def unwrap(v):
    """Strip an interface: what Go's pipeline does with ``interface {}``."""
    return v.v if type(v) is Iface else v


def indirect(v):
    """Go's ``indirect``: returns ``(value, is_nil)`` for interface values."""
    if type(v) is Iface:
        return (v, True) if v.v is None else (v.v, False)
    return v, False


def plain(v):
    """The Python value a function receives for an argument."""
    return v.v if type(v) is Iface else v


def is_true(v):
    """Go's ``isTrue`` after ``indirectInterface``: the truth of a value."""
    v = unwrap(v)
    if v is None:
        return False
    k = kind(v)
    if k in ("string", "slice", "map"):
        return len(v) > 0
    if k in ("bool", "int", "uint", "float", "complex"):
        return v != 0
    return True  # pointers to structs and functions are non-nil


def can_be_nil(typ):
    """Whether an untyped nil can be assigned to Go type *typ*."""
    return typ in (ANY, RV) or typ.startswith(("[]", "map[", "*", "func(", "chan "))


def annotation_type(ann):
    """Map a Python annotation (object or string) to a Go type name."""
    if isinstance(ann, str):
        return {"int": "int", "float": "float64", "str": "string", "bool": "bool",
                "list": "[]interface {}", "dict": "map[string]interface {}"}.get(ann, ANY)
    if ann in (int, float, str, bool, list, dict):
        return _NAMES[ann]
    if isinstance(ann, type) and ann is not object:
        return getattr(ann, "__go_type__", None) or "*" + ann.__name__
    return ANY


class Signature:
    """A Go function type: fixed parameter types, variadic element type."""

    __slots__ = ("params", "variadic", "result", "optional")

    def __init__(self, params, variadic=None, result=ANY, optional=0):
        self.params = tuple(params)
        self.variadic = variadic
        self.result = result
        self.optional = optional  # trailing params with Python defaults

    def go_type(self):
        params = list(self.params)
        if self.variadic is not None:
            params.append("..." + self.variadic)
        return "func(" + ", ".join(params) + ") " + self.result


_SIG_CACHE = {}
_UNKNOWN_SIG = Signature((), ANY)


def signature(fn):
    """Return the :class:`Signature` of a Python callable (cached)."""
    key = getattr(fn, "__func__", fn)
    bound = key is not fn
    try:
        sig = _SIG_CACHE.get((key, bound))
    except TypeError:  # unhashable callable object
        return _inspect_signature(fn)
    if sig is None:
        sig = _inspect_signature(fn)
        if len(_SIG_CACHE) > 4096:
            _SIG_CACHE.clear()
        _SIG_CACHE[(key, bound)] = sig
    return sig


def _inspect_signature(fn):
    import inspect  # deferred: costs milliseconds at import time
    try:
        sig = inspect.signature(fn)
    except (TypeError, ValueError):
        return _UNKNOWN_SIG  # builtins without metadata: accept anything

    def go_type(ann):
        return ANY if ann is sig.empty else annotation_type(ann)

    params, variadic, optional = [], None, 0
    for p in sig.parameters.values():
        if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD):
            params.append(go_type(p.annotation))
            optional += p.default is not p.empty
        elif p.kind == p.VAR_POSITIONAL:
            variadic = go_type(p.annotation)
    return Signature(params, variadic, go_type(sig.return_annotation), optional)
