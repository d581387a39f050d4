"""Wiring the Go runtime module (shipped as Go source in data/runtime) into builds.

The module is copied once per content fingerprint into the cache, so `replace` points at a
stable directory, and editing the runtime source rebuilds exactly what depends on it.
"""

from __future__ import annotations

import os
import shutil
from functools import lru_cache

from .cache import Cache, digest

MODULE = "toolweave.dev/runtime"
VERSION = "v0.0.0-00010101000000-000000000000"   # a pseudo-version: `replace` supplies the code
SOURCE_DIR = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "data", "runtime")


@lru_cache(maxsize=1)
def fingerprint() -> str:
    parts = []
    for base, dirs, files in sorted(os.walk(SOURCE_DIR)):
        dirs.sort()
        for name in sorted(files):
            path = os.path.join(base, name)
            with open(path, "rb") as f:
                parts += [os.path.relpath(path, SOURCE_DIR), f.read()]
    return digest(*parts)[:24]


def runtime_dir(cache: Cache) -> str:
    """The cached copy of the runtime module for this fingerprint."""
    return cache.directory("runtime", fingerprint(),
                           lambda tmp: shutil.copytree(SOURCE_DIR, tmp, dirs_exist_ok=True))


def is_runtime_import(path: str) -> bool:
    return path == MODULE or path.startswith(MODULE + "/")
