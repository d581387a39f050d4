"""A downloaded Go toolchain, moved out of the module cache.

With GOTOOLCHAIN=go1.N.M the go command runs a toolchain it keeps in the module cache, and its
standard library then lies beneath GOMODCACHE, where overlays are refused (Go 1.25+): woven
net/http could not reach the compiler. The toolchain is copied once per version into the cache
and the build runs that copy's go command with GOTOOLCHAIN=local; same binaries, same
build-cache keys.
"""

from __future__ import annotations

import os
import shutil

from .cache import Cache


def local_toolchain(goenv, cache: Cache, env: dict) -> dict:
    """`env` changed to run a cached copy of goenv's toolchain."""
    name = os.path.basename(goenv.goroot.rstrip(os.sep)) or goenv.goversion

    def fill(tmp):
        shutil.copytree(goenv.goroot, tmp, symlinks=True, dirs_exist_ok=True)

    root = cache.directory("toolchain", name, fill)
    path = os.path.join(root, "bin") + os.pathsep + env.get("PATH", "")
    return {**env, "PATH": path, "GOTOOLCHAIN": "local", "GOROOT": root}
