"""Fixtures for end-to-end tests: real go builds through `toolweave go`, real OTLP payloads.

Every test builds a real module with the real go command; the OpenTelemetry modules come from
the Go module proxy (the module cache and build cache are shared, so only the first build in
a fresh environment is slow). TOOLWEAVE_E2E_GOTOOLCHAIN selects the Go version under test
(CI runs the suite once per supported version).
"""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
import textwrap
from dataclasses import dataclass
from pathlib import Path

import pytest

from toolweave.otlp.receiver import Receiver


@pytest.fixture(scope="session")
def tw_cache(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("toolweave-cache")


@pytest.fixture(scope="session")
def base_env(tw_cache) -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("OTEL_", "TOOLWEAVE_"))}
    env.update(TOOLWEAVE_CACHE_DIR=str(tw_cache), TOOLWEAVE_STRICT="1", GOFLAGS="")
    toolchain = os.environ.get("TOOLWEAVE_E2E_GOTOOLCHAIN")
    if toolchain:
        env["GOTOOLCHAIN"] = toolchain
    return env


@dataclass
class Result:
    returncode: int
    stdout: str
    stderr: str

    def check(self) -> "Result":
        assert self.returncode == 0, f"exit {self.returncode}\nstdout:\n{self.stdout}\nstderr:\n{self.stderr}"
        return self


class Runner:
    """Runs toolweave and go in a module directory with a controlled environment."""

    def __init__(self, env: dict):
        self.env = env

    def toolweave(self, *args, cwd, env=None, timeout=600) -> Result:
        return self._run([sys.executable, "-m", "toolweave.cli", *args], cwd, env, timeout)

    def go(self, *args, cwd, env=None, timeout=600) -> Result:
        return self._run(["go", *args], cwd, env, timeout)

    def run(self, argv, cwd, env=None, timeout=120) -> Result:
        return self._run(list(argv), cwd, env, timeout)

    def _run(self, argv, cwd, env, timeout) -> Result:
        proc = subprocess.run(argv, cwd=cwd, env={**self.env, **(env or {})}, capture_output=True,
                              text=True, timeout=timeout)
        return Result(proc.returncode, proc.stdout, proc.stderr)


@pytest.fixture(scope="session")
def runner(base_env) -> Runner:
    return Runner(base_env)


def write_module(root: Path, files: dict[str, str]) -> Path:
    """Write a module: {relative path: text (dedented)}."""
    for rel, text in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text).lstrip("\n"))
    return root


def tree_hashes(root: Path) -> dict[str, str]:
    """sha256 of every file under root (the pristine-tree check)."""
    return {str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(root.rglob("*")) if p.is_file()}


@pytest.fixture
def receiver():
    with Receiver() as r:
        yield r


def otel_env(receiver: Receiver, **extra) -> dict:
    env = dict(receiver.env())
    env.update(OTEL_BSP_SCHEDULE_DELAY="100", OTEL_METRIC_EXPORT_INTERVAL="500", OTEL_BLRP_SCHEDULE_DELAY="100")
    env.update(extra)
    return env
