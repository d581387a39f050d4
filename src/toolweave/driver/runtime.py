"""Wiring the Go runtime module (shipped as Go source in data/runtime) into builds.

The module is copied once per content fingerprint into the cache, so `replace` points at a
stable directory, and editing the runtime source rebuilds exactly what depends on it.
"""

from __future__ import annotations

import os
import re
import shutil
from functools import lru_cache

from .. import env
from .cache import Cache, digest

MODULE = "toolweave.dev/runtime"
VERSION = "v0.0.0-00010101000000-000000000000"   # a pseudo-version: `replace` supplies the code
SHIPPED = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "data", "runtime")


def source_dir() -> str:
    return os.environ.get(env.RUNTIME_SOURCE) or SHIPPED


@lru_cache(maxsize=4)
def _fingerprint(source: str) -> str:
    parts = []
    for base, dirs, files in sorted(os.walk(source)):
        dirs.sort()
        for name in sorted(files):
            path = os.path.join(base, name)
            with open(path, "rb") as f:
                parts += [os.path.relpath(path, source), f.read()]
    return digest(*parts)[:24]


def fingerprint() -> str:
    """Content hash of the runtime module source: a change makes a new cached copy."""
    return _fingerprint(source_dir())


def runtime_dir(cache: Cache) -> str:
    """The cached copy of the runtime module for this fingerprint."""
    source = source_dir()
    return cache.directory("runtime", fingerprint(),
                           lambda tmp: shutil.copytree(source, tmp, dirs_exist_ok=True))


def is_runtime_import(path: str) -> bool:
    return path == MODULE or path.startswith(MODULE + "/")


# ----------------------------------------------------------------------------- library glue
#
# Glue for a third-party library lives in a module of its own nested in the runtime's
# directory, libs/<name> (toolweave.dev/runtime/libs/<name>): its requirements (the library,
# its contrib instrumentation) enter a build only when woven code imports it, that is where
# the program uses the library, so a program without gin never resolves gin, and MVS never
# raises a version for a library the program does not have. The first line of its go.mod,
# `// toolweave:library <module>`, names the library it instruments.

LIBS = MODULE + "/libs/"
_LIBRARY = re.compile(r"(?m)^//\s*toolweave:library\s+(\S+)\s*$")


def lib_name(path: str) -> str | None:
    """The glue module's name of an import path under toolweave.dev/runtime/libs/, else None."""
    return path[len(LIBS):].split("/", 1)[0] or None if path.startswith(LIBS) else None


def lib_module(name: str) -> str:
    return LIBS + name


def lib_dir(root: str, name: str) -> str:
    """A glue module's directory in a copy (or the source) of the runtime at `root`."""
    return os.path.join(root, "libs", name)


def lib_names() -> list[str]:
    """Every glue module shipped (or in TOOLWEAVE_RUNTIME_SOURCE)."""
    base = os.path.join(source_dir(), "libs")
    try:
        return sorted(n for n in os.listdir(base) if os.path.isfile(os.path.join(base, n, "go.mod")))
    except FileNotFoundError:
        return []


def lib_library(name: str) -> str:
    """The module a glue module instruments (its go.mod's `// toolweave:library` line)."""
    with open(os.path.join(lib_dir(source_dir(), name), "go.mod"), encoding="utf-8") as f:
        m = _LIBRARY.search(f.read())
    if not m:
        raise ValueError(f"{lib_module(name)}: go.mod has no `// toolweave:library MODULE` line")
    return m.group(1)


def lib_requirements(name: str) -> list[str]:
    """The modules a glue module requires directly (its library, the instrumentation)."""
    from .modfile import go_requires   # modfile imports this module

    with open(os.path.join(lib_dir(source_dir(), name), "go.mod"), encoding="utf-8") as f:
        return sorted({module for module, indirect in go_requires(f.read()) if not indirect})


def libs_for(modules) -> set[str]:
    """The glue modules whose library is among `modules` (module paths)."""
    present = set(modules)
    return {n for n in lib_names() if lib_library(n) in present}


def needed_by(packages, required_modules) -> set[str]:
    """The non-standard packages among `packages` (what aspects may import) that woven code
    can add to a module requiring `required_modules`: the glue of a library it does not
    require is left out (a module without go-redis never resolves, nor raises, anything for
    go-redis)."""
    libs = libs_for(required_modules)
    return {p for p in packages if "." in p.split("/", 1)[0] and lib_name(p) in (None, *libs)}


def closure(cache: Cache, env: dict) -> frozenset:
    """The non-standard packages the runtime module's packages depend on (transitively).

    Woven code that imports the runtime must never go into one of them: logr, say, is
    imported by OpenTelemetry, so rewriting its slog.New call to the runtime's would close an
    import cycle. Computed once per runtime content and Go version."""
    return frozenset(_closure(cache, env)["packages"])


def closure_modules(cache: Cache, env: dict) -> frozenset:
    """The modules those packages come from (the runtime module's own included)."""
    return frozenset(_closure(cache, env)["modules"])


_CLOSURES: dict[tuple, dict] = {}     # per process: a drop-in call asks for both halves


def _closure(cache: Cache, env: dict) -> dict:
    import json

    from .goenv import run_go

    key = digest("closure-2", fingerprint(), env.get("GOTOOLCHAIN", ""), env.get("PATH", ""))
    if (cache.root, key) in _CLOSURES:
        return _CLOSURES[cache.root, key]
    known = cache.get("closure", key, ".json")
    if known is not None:
        return _CLOSURES.setdefault((cache.root, key), json.loads(known))
    out = run_go(["list", "-deps", "-f", "{{if not .Standard}}{{.ImportPath}} {{.Module.Path}}{{end}}", "./..."],
                 cwd=runtime_dir(cache), env={**env, "GOWORK": "off", "GOFLAGS": "-mod=mod"})
    pairs = [line.split() for line in out.splitlines() if len(line.split()) == 2]
    found = {"packages": sorted({p for p, _ in pairs}), "modules": sorted({m for _, m in pairs})}
    cache.put("closure", key, json.dumps(found).encode(), ".json")
    return _CLOSURES.setdefault((cache.root, key), found)
