"""Python mirrors of the Go reference program's FuncMap and Person type.

Everything here must stay in sync with ``go/main.go``: the differential test
renders each case with both and compares the results byte for byte.
"""


class Person:
    """Mirror of Go's ``*main.Person`` (fields plus methods)."""

    __go_type__ = "*main.Person"

    def __init__(self, Name="", Age=0, Tags=None, Extra=None):
        self.Name = Name
        self.Age = Age
        self.Tags = [] if Tags is None else Tags  # Go's nil slice prints "[]"
        self.Extra = Extra

    def Greet(self, greeting: str) -> str:
        return greeting + ", " + self.Name

    def Fail(self) -> str:
        raise RuntimeError("person failure")

    def __str__(self):
        return "Person(" + self.Name + ")"

    def Add(self, a: int, b: int) -> int:
        return a + b

    def Self(self):
        return self


def _fail() -> str:
    raise RuntimeError("boom")


def _add(a: int, b: int) -> int:
    return a + b


def _join(sep: str, *parts: str) -> str:
    return sep.join(parts)


def _add_pair(a: int, b: int) -> int:
    return a + b


def _panicky() -> str:
    raise RuntimeError("oh no")


def _seq(n: int) -> list:
    if n < 0:  # Go's make([]interface{}, n) panics
        raise RuntimeError("runtime error: makeslice: len out of range")
    return list(range(n))


def _yesno(b: bool) -> str:
    return "yes" if b else "no"


FUNCS = {
    "Version": lambda: "1.0",
    "fail": _fail,
    "add": _add,
    "join": _join,
    "identity": lambda x: x,
    "adder": lambda: _add_pair,
    "panicky": _panicky,
    "half": lambda f: f / 2,
    "nothing": lambda: None,
    "upper": lambda s: s.upper(),
    "yesno": _yesno,
    "seq": _seq,
}
# Annotate the lambdas whose Go parameters are typed.
FUNCS["half"].__annotations__ = {"f": float, "return": float}
FUNCS["upper"].__annotations__ = {"s": str, "return": str}
FUNCS["Version"].__annotations__ = {"return": str}


def convert(value):
    """Decode test data like the Go program: ``__obj__`` maps become objects."""
    if isinstance(value, list):
        return [convert(v) for v in value]
    if isinstance(value, dict):
        if value.get("__obj__") == "person":
            return Person(value.get("Name", ""), convert(value.get("Age", 0)),
                          convert(value.get("Tags")), convert(value.get("Extra")))
        return {k: convert(v) for k, v in value.items()}
    return value
