"""PackageFacts: what the weaver knows of the package a file belongs to."""

from __future__ import annotations

from dataclasses import dataclass, field


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

    def config(self) -> dict:
        return dict(self.configuration)
