"""Wiring the Go runtime module (shipped as Go source in data/runtime) into builds.

The module is copied once per content fingerprint into the cache, so `replace` points at a
stable directory, and editing the runtime source rebuilds exactly what depends on it.
"""

from __future__ import annotations

import os
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
