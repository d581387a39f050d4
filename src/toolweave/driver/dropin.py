"""What every tool call of a drop-in build shares: the module, the configuration, the aspects
and their fingerprint.

`go build -toolexec 'toolweave toolexec'` runs one process per tool call, so nothing is kept in
memory between them: each reads what it needs, cheapest first. The fingerprint (for `-V=full`)
hashes files without parsing them; the aspects are loaded only by a compile that may weave.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from functools import cached_property

from .codeid import code_id
from .cache import Cache, digest
from .langpin import go_line
from .parent import ParentBuild

_MODULE = re.compile(rb"(?m)^module[ \t]+\"?([^\s\"]+)\"?")


@dataclass(frozen=True)
class Module:
    path: str          # the module path
    dir: str           # the directory of its go.mod
    go_version: str    # its go line as the user wrote it (never a generated module file's)


def find_module(start: str) -> Module | None:
    """The module whose go.mod is in `start` or above it."""
    d = os.path.abspath(start)
    while True:
        gomod = os.path.join(d, "go.mod")
        if os.path.isfile(gomod):
            with open(gomod, "rb") as f:
                data = f.read()
            m = _MODULE.search(data)
            return Module(m.group(1).decode() if m else "", d, go_line(data))
        up = os.path.dirname(d)
        if up == d:
            return None
        d = up


class DropIn:
    """The shared context of one tool call."""

    def __init__(self, parent: ParentBuild, cache: Cache | None = None):
        self.parent = parent
        self.cache = cache or Cache()

    @cached_property
    def module(self) -> Module | None:
        return find_module(self.parent.cwd)

    @cached_property
    def config(self):
        from ..config import load_config

        return load_config(self.module.dir if self.module else None)

    @cached_property
    def aspect_files(self) -> list[str]:
        return self.config.aspect_files(self.parent.verb)

    @cached_property
    def aspects(self):
        from ..aspect import load_aspects

        return load_aspects(self.aspect_files, valid_marks=os.path.join(self.cache.root, "schema-valid"))

    @cached_property
    def protected(self) -> frozenset:
        """The packages our runtime depends on: never woven (code there could import it)."""
        from .runtime import closure

        return closure(self.cache, dict(os.environ))

    def fingerprint(self) -> str:
        """What woven archives depend on besides their source: toolweave, the active aspect
        files and configuration, the runtime module, and whether the main module's language
        version predates per-iteration loop variables. Reads files, parses nothing.

        The go command keys every compile by the compiler's identity, so this is global: an
        aspect edit recompiles every package (outputs of packages it does not touch come out
        the same, so links and dependents' content IDs are stable). Compiles of the main
        module keep the user's go line (-lang), which the generated module file raises and
        so hides from the go command's keys; go1.22 is the release whose language change
        alters the meaning of valid code (loop variables), hence the one bit here."""
        from . import runtime
        from .langpin import version_key

        go = self.module.go_version if self.module else ""
        parts = [code_id(), runtime.fingerprint(), bool(go) and version_key(go) < (1, 22), self.requirements()]
        for path in [self.config.source] if self.config.source else []:
            with open(path, "rb") as f:
                parts.append(f.read())
        for path in self.aspect_files:
            with open(path, "rb") as f:
                parts += [os.path.basename(path), f.read()]
        return digest(*parts)[:16]

    def requirements(self) -> str:
        """What this build resolves the modules woven code imports to: their selected versions
        and replacements (our runtime's included, with its directory). The go command keys a
        woven compile by the imports it sees, not by the ones woven code adds, so without
        this an archive woven against one OpenTelemetry (or one runtime copy) would be reused
        in a build that links another: the linker would refuse the mismatch. The libraries'
        glue modules and what they require count too (`-e`: a module the build lacks is
        listed with an error, not resolved). One `go list -m` with the build's module flags,
        run only where the fingerprint is computed."""
        import subprocess

        from .goenv import go_binary
        from .runtime import closure_modules

        if self.module is None:
            return ""
        flags = [f for f in self.parent.nested_flags() if f.split("=", 1)[0] in ("-mod", "-modfile")]
        fmt = "{{.Path}} {{.Version}}{{with .Replace}} => {{.Path}} {{.Version}} {{.Dir}}{{end}}"
        from .runtime import lib_module, lib_names, lib_requirements

        glue = [m for n in lib_names() for m in (lib_module(n), *lib_requirements(n))]   # absent ones: -e
        argv = [self.parent.go or go_binary(), "list", "-m", "-e", *flags, "-f", fmt,
                *sorted(closure_modules(self.cache, dict(os.environ)) | set(glue))]
        proc = subprocess.run(argv, cwd=self.parent.cwd, capture_output=True, text=True)
        return proc.stdout if proc.returncode == 0 else "unavailable"
