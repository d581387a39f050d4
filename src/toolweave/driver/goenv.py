"""The go command: finding it, running it, and reading `go env`."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from dataclasses import dataclass


class GoError(Exception):
    """The go command failed (or is missing); `str()` is one line for the user."""


def go_binary(env: dict | None = None) -> str:
    path = shutil.which("go", path=(env or os.environ).get("PATH"))
    if path is None:
        raise GoError("the go command was not found on PATH: install Go (https://go.dev/dl) or fix PATH")
    return path


def run_go(args: list[str], cwd: str | None = None, env: dict | None = None) -> str:
    """Run `go args…` and return stdout; GoError with go's stderr on failure."""
    proc = subprocess.run([go_binary(env), *args], cwd=cwd, env=env, capture_output=True, text=True)
    if proc.returncode != 0:
        raise GoError(proc.stderr.strip() or f"go {' '.join(args[:2])} failed with exit code {proc.returncode}")
    return proc.stdout


@dataclass(frozen=True)
class GoEnv:
    goroot: str
    gomodcache: str
    gomod: str         # path of the main module's go.mod ("" or os.devnull outside a module)
    gowork: str
    goversion: str     # e.g. go1.26.8
    goflags: str
    gocache: str
    goenv: str = ""    # go's own configuration file (`go env -w`)

    @property
    def in_workspace(self) -> bool:
        """GOWORK names a go.work file ("off" and "" mean module mode)."""
        return self.gowork not in ("", "off", os.devnull)

    @property
    def toolchain_in_modcache(self) -> bool:
        """A toolchain the go command downloaded (GOTOOLCHAIN=go1.N.M) lives in the module
        cache, where overlays are refused."""
        root = os.path.abspath(self.gomodcache) + os.sep if self.gomodcache else None
        return bool(root) and os.path.abspath(self.goroot).startswith(root)

    @property
    def in_module(self) -> bool:
        return bool(self.gomod) and self.gomod != os.devnull


def go_env(cwd: str | None = None, env: dict | None = None) -> GoEnv:
    keys = ["GOROOT", "GOMODCACHE", "GOMOD", "GOWORK", "GOVERSION", "GOFLAGS", "GOCACHE", "GOENV"]
    data = json.loads(run_go(["env", "-json", *keys], cwd=cwd, env=env))
    return GoEnv(*(data.get(k, "") for k in keys))


def split_goflags(goflags: str) -> list[str]:
    """GOFLAGS as the go command splits it: on spaces, honouring quotes."""
    import shlex

    try:
        return shlex.split(goflags)
    except ValueError:
        return goflags.split()
