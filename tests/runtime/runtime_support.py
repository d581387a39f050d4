"""Helpers for the runtime tests: where things are, and running the real go command on
modules that use the Go runtime module."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
RUNTIME = ROOT / "src" / "toolweave" / "data" / "runtime"
ASPECTS = ROOT / "src" / "toolweave" / "data" / "aspects"
APPS = Path(__file__).parent / "apps"


def go_env(mod: str = "mod") -> dict[str, str]:
    """The environment for go commands: no workspace, no OTEL_* of the machine. `mod` is
    "mod" for the temporary modules, which gain imports by weaving (the Go proxy is
    reachable), and "readonly" for committed modules, which must build as they are."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("OTEL_")}
    env.update(GOWORK="off", GOFLAGS=f"-mod={mod} -buildvcs=false", CGO_ENABLED="0")
    return env


def go_run(go: str, args: list[str], cwd: Path, mod: str = "mod", timeout: int = 540) -> subprocess.CompletedProcess:
    proc = subprocess.run([go, *args], cwd=cwd, env=go_env(mod), capture_output=True, text=True, timeout=timeout)
    assert proc.returncode == 0, f"go {' '.join(args)} failed in {cwd}:\n{proc.stdout}\n{proc.stderr}"
    return proc


def new_module(root: Path, module: str) -> Path:
    """A main module at `root` that requires toolweave.dev/runtime through a `replace` to the
    source tree, with the runtime's go.sum so its dependencies verify without a lookup."""
    root.mkdir(parents=True, exist_ok=True)
    (root / "go.mod").write_text(
        f"module {module}\n\ngo 1.26.0\n\n"
        "require toolweave.dev/runtime v0.0.0\n\n"
        f"replace toolweave.dev/runtime => {RUNTIME}\n"
    )
    shutil.copy(RUNTIME / "go.sum", root / "go.sum")
    return root


def weave_cli(sources: list[Path], aspects: list[str], package_path: str = "") -> bytes:
    """`toolweave weave --aspects A.yml … FILE.go` (strict): the woven file."""
    args = ["toolweave", "weave"]
    for name in aspects:
        args += ["--aspects", str(ASPECTS / name)]
    if package_path:
        args += ["--package-path", package_path]
    proc = subprocess.run([*args, *map(str, sources)], capture_output=True, env={**os.environ, "TOOLWEAVE_STRICT": "1"})
    assert proc.returncode == 0, proc.stderr.decode()
    return proc.stdout


def weave_main_module(source: Path, aspects: list[str], import_path: str, module: str) -> bytes:
    """Weave `source` as a package of the main module, through the Python API.

    `toolweave weave` cannot say that its input belongs to the main module, so
    `package-filter: {root: true}` (bootstrap's os.Exit / log.Fatal rewrites) never matches
    there; the build drivers pass these facts, and so does this helper."""
    from toolweave.aspect import load_aspects
    from toolweave.aspect.facts import PackageFacts
    from toolweave.weave import Rewritten, weave_file

    rel = import_path[len(module):].lstrip("/") or "."
    facts = PackageFacts(import_path=import_path, name="main", main_module=module, module_rel=rel)
    result = weave_file(str(source), source.read_bytes(), load_aspects([str(ASPECTS / a) for a in aspects]), facts)
    assert isinstance(result, Rewritten), result
    return result.data


def run_env(receiver, **extra: str) -> dict[str, str]:
    """A woven program's environment: no OTEL_* of the machine, everything exported over
    OTLP to `receiver`."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("OTEL_")}
    env.update(receiver.env())
    env.update(extra)
    return env
