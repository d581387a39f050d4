"""Type facts: what Go's type checker says about a file, in the terms the weaver asks.

The driver computes them (the typefacts helper: one run per package, on the first question
of any of its files); join points and template helpers consult them only where the syntax
cannot answer exactly, through `FileContext.types` (None where no facts are available, e.g.
`toolweave weave` outside a module: then the syntactic answer stands).

Questions the syntax answers exactly never reach here: a receiver whose declaration spells
its type, a parameter spelled as the very type asked for, a predeclared type.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .types import TypeName

#: Template helpers whose string argument names an interface (asked of the type checker).
_IFACE_ARG = re.compile(r'(?:ThatImplements|FinalResultImplements)\s+"([^"\\]+)"')
#: Predeclared types that are not interfaces: a parameter of one implements only `any`.
PREDECLARED = frozenset("""bool byte complex64 complex128 float32 float64 int int8 int16 int32 int64
rune string uint uint8 uint16 uint32 uint64 uintptr""".split())
_TYPE_ARGS = re.compile(r"(?<=[\w])\[.*\]$")


@dataclass(frozen=True)
class FileTypes:
    """Facts of one file, keyed by byte span: `operands` (x of a method selection x.M ->
    (type of x, receiver type of M's declaration)) and `types` (a receiver, parameter or
    result type expression -> (its type, the asked interfaces it implements))."""

    operands: dict
    types: dict

    @classmethod
    def from_json(cls, facts: dict, interfaces: tuple) -> "FileTypes":
        operands = {(s, e): (x, recv) for s, e, x, recv in facts.get("operands") or ()}
        types = {(s, e): (t, frozenset(i for i, bit in zip(interfaces, bits) if bit == "1"))
                 for s, e, t, bits in facts.get("types") or ()}
        return cls(operands, types)

    def operand(self, node) -> tuple[str, str] | None:
        return self.operands.get((node.start_byte, node.end_byte))

    def type_of(self, node) -> str | None:
        fact = self.types.get((node.start_byte, node.end_byte))
        return None if fact is None else fact[0]

    def implements(self, node, iface: TypeName) -> bool:
        fact = self.types.get((node.start_byte, node.end_byte))
        return fact is not None and str(iface) in fact[1]


def same_type(fact: str, tn: TypeName) -> bool:
    """Whether a type as the checker prints it is the aspect's type name (type arguments of
    a generic type are not part of the name)."""
    return _TYPE_ARGS.sub("", fact) == str(tn)


def interfaces_asked(aspects) -> tuple[str, ...]:
    """Every interface the aspects may ask about, sorted: `*-implements` options and the
    string arguments of the template helpers that find by interface."""
    asked = set()
    for aspect in aspects:
        asked.update(aspect.join_point.interfaces())
        for adv in aspect.advice:
            for template in adv.templates():
                asked.update(_IFACE_ARG.findall(template.text))
    return tuple(sorted(asked))
