"""The build plan: `go list -deps -json` with the user's flags, as Package records."""

from __future__ import annotations

import json
import os
from dataclasses import dataclass

from .goenv import run_go

_FIELDS = ("ImportPath,Name,Dir,GoFiles,CgoFiles,CompiledGoFiles,Imports,Standard,Module,ForTest,"
           "DepOnly,Goroot,Error,TestGoFiles,XTestGoFiles,Deps")


@dataclass(frozen=True)
class Module:
    path: str
    dir: str
    version: str
    main: bool
    go_version: str
    replace_dir: str


@dataclass(frozen=True)
class Package:
    import_path: str          # as go list prints it, e.g. "p [p.test]" for test variants
    name: str
    dir: str
    go_files: tuple[str, ...]  # absolute paths of the Go files compiled (not cgo inputs)
    imports: frozenset
    standard: bool
    module: Module | None
    for_test: str
    deps: frozenset = frozenset()     # every package it depends on, transitively
    cgo_files: frozenset = frozenset()  # the absolute paths of go_files that are cgo inputs

    @property
    def path(self) -> str:
        """The import path without a test-variant suffix."""
        return self.import_path.split(" ", 1)[0]

    @property
    def is_test_main(self) -> bool:
        return self.name == "main" and self.path.endswith(".test") and bool(self.for_test or self.import_path.endswith(".test"))


def go_list(flags: list[str], patterns: list[str], test: bool = False, cwd: str | None = None,
            env: dict | None = None) -> list[Package]:
    """Every package the build compiles (dependencies first, as go list orders them)."""
    args = ["list", "-e", "-deps", f"-json={_FIELDS}", *flags]
    if test:
        args.append("-test")
    out = run_go(args + ["--", *patterns] if patterns else args, cwd=cwd, env=env)
    return [_package(raw) for raw in _decode_stream(out)]


def _decode_stream(text: str):
    decoder = json.JSONDecoder()
    i, n = 0, len(text)
    while i < n:
        while i < n and text[i].isspace():
            i += 1
        if i >= n:
            break
        obj, i = decoder.raw_decode(text, i)
        yield obj


def _package(raw: dict) -> Package:
    d = raw.get("Dir", "")
    # cgo files are woven like the others: the go command applies the overlay to cgo inputs.
    files = list(raw.get("GoFiles") or []) + list(raw.get("CgoFiles") or [])
    mod = raw.get("Module")
    module = None
    if mod:
        rep = mod.get("Replace") or {}
        module = Module(mod.get("Path", ""), mod.get("Dir", ""), mod.get("Version", ""), bool(mod.get("Main")),
                        mod.get("GoVersion", ""), rep.get("Dir", "") if rep else "")
    return Package(
        raw["ImportPath"], raw.get("Name", ""), d,
        tuple(f if os.path.isabs(f) else os.path.join(d, f) for f in files),
        frozenset(raw.get("Imports", []) or []), bool(raw.get("Standard")), module, raw.get("ForTest", ""),
        frozenset(raw.get("Deps", []) or []),
        frozenset(f if os.path.isabs(f) else os.path.join(d, f) for f in raw.get("CgoFiles") or []),
    )
