"""PackageFacts: what the weaver knows of the package a file belongs to."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class PackageFacts:
    """Facts about the package being woven, from the build plan (or the CLI).

    `imports` is the set of import paths the package imports (None: unknown); `main_module`
    and `module_rel` (the package's path relative to the main module, "." for its root, ""
    when the package is outside it) serve `package-filter` with `root: true`.
    """

    import_path: str = ""
    name: str = ""
    imports: frozenset | None = None
    main_module: str = ""
    module_rel: str = ""
    test_main: bool = False
    configuration: tuple = ()
    go_version: str = ""

    @property
    def in_main_module(self) -> bool:
        return bool(self.module_rel)

    def key(self) -> str:
        """A stable text form for cache keys (repr of a frozenset varies between runs)."""
        imports = "?" if self.imports is None else ",".join(sorted(self.imports))
        return "|".join([self.import_path, self.name, imports, self.main_module, self.module_rel,
                         str(self.test_main), repr(sorted(self.configuration)), self.go_version])

    def config(self) -> dict:
        return dict(self.configuration)

    def to_record(self) -> dict:
        """A JSON-ready form, for the build record (driver/patch.py); from_record inverts it."""
        return {**self.__dict__, "imports": None if self.imports is None else sorted(self.imports),
                "configuration": [list(kv) for kv in self.configuration]}

    @classmethod
    def from_record(cls, data: dict) -> "PackageFacts":
        return cls(**{**data, "imports": None if data["imports"] is None else frozenset(data["imports"]),
                      "configuration": tuple(tuple(kv) for kv in data["configuration"])})
