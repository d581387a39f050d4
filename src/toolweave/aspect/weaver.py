"""FileWeaver: the per-file state advice writes into, and the splice that ends a weave.

Advice record edits here; the weaver owns what several advice share: the names chosen for
imports, names given to unnamed parameters, blank imports, `links`. `finish()` adds the
import edits, turns imports the weave left unused into blank imports (same line count, and
their init ran before anyway) and splices the file with line directives.
"""

from __future__ import annotations

import bisect

from ..engine import EditBuffer, Gen, Orig, splice
from .signature import params

NEW_ALIAS = "__tw_{}"
PARAM_NAME = {"parameters": "__tw_arg{}", "result": "__tw_res{}", "receiver": "__tw_recv{}"}


class FileWeaver:
    def __init__(self, fctx):
        self.fctx = fctx
        self.edits = EditBuffer()
        self.added: dict[str, str] = {}          # import path -> alias we add
        self.uses: dict[str, int] = {}           # qualifier name -> uses in generated code
        self.aspect_imports: dict[str, str] = {}  # {alias: path} of the aspect being applied
        self.blank: list[str] = []
        self.links: set[str] = set()
        self.langs: set[str] = set()
        self._named: dict[tuple, list[str]] = {}
        self._applied_file_level: set = set()

    # -- names ---------------------------------------------------------------------------
    def import_name(self, path: str, alias: str) -> str:
        """The qualifier generated code must use for `path`: an existing, unshadowed import
        of it, else a collision-free alias we add."""
        name = self.added.get(path)
        if name is None:
            for existing in self.fctx.imports.names_for(path):
                if existing not in self.fctx.local_names:
                    name = existing
                    break
        if name is None:
            name = NEW_ALIAS.format(alias)
            taken = set(self.added.values()) | {s.name for s in self.fctx.imports.specs}
            n = 1
            while name in taken or name in self.fctx.local_names:
                n += 1
                name = NEW_ALIAS.format(f"{alias}{n}")
            self.added[path] = name
        self.uses[name] = self.uses.get(name, 0) + 1
        return name

    def param_names(self, func, field: str) -> list[str]:
        """Names of the parameters/results/receiver of `func`, naming unnamed and `_` ones
        (once per function) so templates can refer to them."""
        key = (func.start_byte, func.end_byte, field)
        if key in self._named:
            return self._named[key]
        ps = params(func, field)
        names = [p.name for p in ps]
        if any(n in (None, "_") for n in names):
            names = [n if n not in (None, "_") else PARAM_NAME[field].format("" if field == "receiver" else p.index)
                     for n, p in zip(names, ps)]
            self._name_params(func, field, ps, names)
        self._named[key] = names
        return names

    def _name_params(self, func, field, ps, names) -> None:
        node = func.child_by_field_name(field)
        if node.type != "parameter_list":           # `func f() error` -> `(__tw_res0 error)`
            self.edits.add(node.start_byte, node.end_byte,
                           [Gen(f"({names[0]} "), Orig(node.start_byte, node.end_byte), Gen(")")], origin="naming a result")
            return
        for p, name in zip(ps, names):
            if p.name_node is not None and p.name == "_":
                self.edits.add(p.name_node.start_byte, p.name_node.end_byte, [Gen(name)], origin="naming a parameter")
            elif p.name_node is None:
                at = p.decl.start_byte
                self.edits.add(at, at, [Gen(name + " ")], origin="naming a parameter")

    def once_per_file(self, key) -> bool:
        """True the first time `key` is seen: file-level advice apply once per file."""
        if key in self._applied_file_level:
            return False
        self._applied_file_level.add(key)
        return True

    # -- finishing ----------------------------------------------------------------------
    def finish(self) -> bytes:
        source = self.fctx.source
        self._add_imports()
        pieces = self.edits.pieces(len(source.data))
        if self._blank_unused(pieces):
            pieces = self.edits.pieces(len(source.data))
        return splice(source, pieces)

    def _add_imports(self) -> None:
        # By path, as gofmt would sort them: the output must not depend on the order in
        # which templates happened to mention their packages.
        specs = [f'{alias} "{path}"' for path, alias in sorted(self.added.items())]
        specs += [f'_ "{p}"' for p in sorted(self.blank) if not self.fctx.imports.imports(p) and p not in self.added]
        if not specs:
            return
        # On the line of the last import (or of the package clause): no line moves.
        text = "; import (" + "; ".join(specs) + ")"
        at = self.fctx.imports.end
        self.edits.add(at, at, [Gen(text)], rank=1 << 30, origin="adding imports")

    def _blank_unused(self, pieces) -> bool:
        """Blank the imports whose every use the weave removed; True if it added edits."""
        kept = sorted((p.start, p.end) for p in pieces if not p.is_gen)
        if sum(e - s for s, e in _union(kept)) == len(self.fctx.source.data):
            return False        # no original byte was dropped: no use can have gone
        starts = [s for s, _ in kept]
        surviving: dict[str, int] = {}
        original: dict[str, int] = {}
        for name, offset in self.fctx.qualifier_uses:
            original[name] = original.get(name, 0) + 1
            i = bisect.bisect_right(starts, offset) - 1
            if i >= 0 and offset < kept[i][1]:
                surviving[name] = surviving.get(name, 0) + 1
        added = False
        for spec in self.fctx.imports.specs:
            name = spec.name
            if spec.alias in ("_", ".") or spec.path == "C":
                continue
            if original.get(name) and not surviving.get(name) and not self.uses.get(name):
                self.edits.add(spec.start, spec.end, [Gen(f'_ "{spec.path}"')], origin="dropping an unused import")
                added = True
        return added


def _union(ranges):
    """Merge sorted, possibly overlapping (an original range moved twice) byte ranges."""
    out: list[list[int]] = []
    for s, e in ranges:
        if out and s <= out[-1][1]:
            out[-1][1] = max(out[-1][1], e)
        else:
            out.append([s, e])
    return out
