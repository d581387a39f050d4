"""Building and running the ecosystem apps (a uniquely named module: `conftest` names clash)."""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import time
from pathlib import Path

import pytest

import buildmodes
from toolweave.otlp.receiver import Receiver

APPS = Path(__file__).parent / "apps"

# CI time is a budget: in CI the front end builds every app and the launcher (GOFLAGS) the
# representative ones; scripts/test-matrix (TOOLWEAVE_FULL_MATRIX=1) builds every app in every
# mode, the pure-Python drop-in driver (`toolexec`) included.
FULL = buildmodes.FULL_MATRIX
REPRESENTATIVE = {"grpc", "goredis", "gin", "zap", "pgx", "distributed"}


def modes(integration: str) -> tuple[str, ...]:
    """The build modes an integration's test app is built in (see above)."""
    if FULL:
        return buildmodes.MODES
    return ("frontend", "goflags") if integration in REPRESENTATIVE else ("frontend",)


def tree_hashes(root: Path) -> dict[str, str]:
    return {str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(root.rglob("*")) if p.is_file()}


# TOOLWEAVE_LIBRARY_VERSION=max (scripts/test-matrix): each app is built with its library
# raised to the newest version the integration claims; otherwise (CI) as the app pins it,
# which is the lowest claimed.
WANT = os.environ.get("TOOLWEAVE_LIBRARY_VERSION", "min")


def library(integration: str) -> dict:
    """The `meta.library` of a built-in integration: module and claimed versions."""
    from toolweave.aspect import load_aspects
    from toolweave.config import BUILTIN_DIR

    ((_, meta),) = load_aspects([os.path.join(BUILTIN_DIR, integration + ".yml")], require_meta=True).meta
    return meta["library"]


def build(mode: str, app: str, env: dict, out_dir: Path, extra_env: dict | None = None,
          integration: str | None = None) -> Path:
    """`go build -o OUT .` of apps/<app> with weaving, the way `mode` builds; the app's
    directory must come out byte-identical. With `integration`, the binary must hold its
    library at the claimed version WANT says (min: as the app pins it; max: raised in a copy)."""
    src = APPS / app
    before = tree_hashes(src)
    lib = library(integration) if integration else None
    if lib and WANT == "max":
        src = out_dir / f"{app}-src"
        shutil.copytree(APPS / app, src)
        for argv in (["go", "get", f"{lib['module']}@{lib['versions']['max']}"], ["go", "mod", "tidy"]):
            proc = subprocess.run(argv, cwd=src, env={**env, "GOFLAGS": "-mod=mod"}, capture_output=True, text=True)
            assert proc.returncode == 0, f"{' '.join(argv)} in a copy of {app}:\n{proc.stderr}"
    out = out_dir / app
    proc = buildmodes.go(mode, "build", ["-o", str(out), "."], src, {**env, **(extra_env or {})})
    assert proc.returncode == 0, f"{mode} build of {app} failed:\n{proc.stdout}\n{proc.stderr}"
    assert tree_hashes(APPS / app) == before, f"building {app} wrote into its directory"
    if lib:
        version = module_version(out, lib["module"])
        assert version == lib["versions"][WANT], f"{app} linked {lib['module']} {version}, want {WANT} " \
                                                 f"{lib['versions'][WANT]}"
    return out


def module_version(binary: Path, module: str) -> str | None:
    """The version of `module` a binary was built with (`go version -m`)."""
    out = subprocess.run(["go", "version", "-m", str(binary)], capture_output=True, text=True, check=True).stdout
    for line in out.splitlines():
        fields = line.split()
        if len(fields) >= 3 and fields[0] == "dep" and fields[1] == module:
            return fields[2]
    return None


def run(binary: Path, service: str, args=(), env_extra: dict | None = None, timeout: float = 120):
    """Run a program to its end against a fresh OTLP receiver: (process, receiver). The
    receiver is stopped, so its data is complete (the program flushed before exiting)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("OTEL_", "TOOLWEAVE_"))}
    with Receiver() as receiver:
        env.update(receiver.env())
        env.update(OTEL_SERVICE_NAME=service, OTEL_BSP_SCHEDULE_DELAY="100", OTEL_METRIC_EXPORT_INTERVAL="500",
                   OTEL_BLRP_SCHEDULE_DELAY="100", **(env_extra or {}))
        proc = subprocess.run([str(binary), *args], env=env, capture_output=True, text=True, timeout=timeout)
        time.sleep(0.2)
    return proc, receiver


def one(items: list, what: str, tree: str):
    if len(items) != 1:
        pytest.fail(f"expected exactly one {what}, found {len(items)}; spans:\n{tree}", pytrace=False)
    return items[0]
