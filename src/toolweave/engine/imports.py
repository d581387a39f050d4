"""ImportTable: the imports of one file, and what a package name in it refers to."""

from __future__ import annotations

import re
from dataclasses import dataclass


@dataclass(frozen=True)
class ImportSpec:
    """One import spec. `alias` is the explicit name ('' if none, '_' blank, '.' dot);
    `name` is the name the file uses for it (alias, else the last path element: a guess
    the go command would refine, right for every package that names itself by its path)."""

    path: str
    alias: str
    start: int          # byte range of the spec
    end: int
    decl_end: int       # end of the enclosing import declaration

    @property
    def name(self) -> str:
        return self.alias or default_name(self.path)


def default_name(path: str) -> str:
    """The package name conventionally declared by `path`: its last element, without a
    major-version suffix (`/v2`) and with `go-` prefixes / `.go` suffixes dropped."""
    parts = path.split("/")
    last = parts[-1]
    if len(parts) > 1 and last.startswith("v") and last[1:].isdigit():
        last = parts[-2]
    if re.search(r"\.v\d+$", last):        # gopkg.in/yaml.v3 declares package yaml
        last = last[: last.rindex(".v")]
    if last.startswith("go-"):
        last = last[3:]
    for suffix in (".go", "-go"):
        if last.endswith(suffix):
            last = last[: -len(suffix)]
    return last.replace("-", "_").replace(".", "_")


def _unquote(text: str) -> str:
    return text[1:-1]


@dataclass(frozen=True)
class ImportTable:
    specs: tuple[ImportSpec, ...]
    package_clause_end: int     # where new imports go when the file has none

    @classmethod
    def of(cls, root) -> "ImportTable":
        specs: list[ImportSpec] = []
        clause_end = 0
        for child in root.named_children:
            if child.type == "package_clause":
                clause_end = child.end_byte
            elif child.type == "import_declaration":
                for spec in _specs(child):
                    alias_node = spec.child_by_field_name("name")
                    path_node = spec.child_by_field_name("path")
                    alias = alias_node.text.decode() if alias_node is not None else ""
                    specs.append(ImportSpec(_unquote(path_node.text.decode(errors="replace")), alias,
                                            spec.start_byte, spec.end_byte, child.end_byte))
            elif child.type not in ("comment",):
                break
        return cls(tuple(specs), clause_end)

    def resolve(self, name: str) -> str | None:
        """The import path a qualifier `name` refers to (ignoring shadowing), or None."""
        for spec in self.specs:
            if spec.alias not in ("_", ".") and spec.name == name:
                return spec.path
        return None

    def by_package_name(self, name: str) -> str | None:
        """The path of an import whose package is conventionally named `name`, whatever
        alias the file gives it (`stdctx "context"` for `context`), or None."""
        for spec in self.specs:
            if spec.alias not in ("_", ".") and default_name(spec.path) == name:
                return spec.path
        return None

    def names_for(self, path: str) -> list[str]:
        """Every qualifier under which `path` is imported (not blank or dot)."""
        return [s.name for s in self.specs if s.path == path and s.alias not in ("_", ".")]

    def dot_imported(self, path: str) -> bool:
        return any(s.path == path and s.alias == "." for s in self.specs)

    def has_dot_imports(self) -> bool:
        return any(s.alias == "." for s in self.specs)

    def imports(self, path: str) -> bool:
        return any(s.path == path for s in self.specs)

    @property
    def end(self) -> int:
        """Where new import declarations go: after the last one, else after `package`."""
        return max((s.decl_end for s in self.specs), default=self.package_clause_end)


def _specs(decl):
    for child in decl.named_children:
        if child.type == "import_spec":
            yield child
        elif child.type == "import_spec_list":
            yield from (c for c in child.named_children if c.type == "import_spec")
