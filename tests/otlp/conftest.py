"""Fixtures for the OTLP receiver tests: a Receiver, and a real Go OTel SDK emitter."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path
from typing import Callable

import pytest

from toolweave.otlp import Receiver

GOEMITTER_SRC = Path(__file__).parent / "goemitter"
SERVICE_NAME = "goemitter-test"


@pytest.fixture
def receiver():
    with Receiver() as r:
        yield r


@pytest.fixture(scope="session")
def goemitter(tmp_path_factory) -> Path:
    """The goemitter binary, built once per session from tests/otlp/goemitter."""
    go = shutil.which("go")
    if go is None:
        pytest.skip("the go command is not on PATH")
    out = tmp_path_factory.mktemp("goemitter") / "goemitter"
    env = {**os.environ, "GOWORK": "off", "GOFLAGS": "-mod=readonly", "CGO_ENABLED": "0"}
    proc = subprocess.run(
        [go, "build", "-o", str(out), "."],
        cwd=GOEMITTER_SRC,
        env=env,
        capture_output=True,
        text=True,
        timeout=540,
    )
    if proc.returncode != 0:
        pytest.fail(f"building goemitter failed:\n{proc.stdout}\n{proc.stderr}")
    return out


def emitter_env(r: Receiver, **extra: str) -> dict[str, str]:
    """The process environment without any OTEL_* setting, pointed at ``r``."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("OTEL_")}
    env.update(r.env())
    env["OTEL_SERVICE_NAME"] = SERVICE_NAME
    env.update(extra)
    return env


@pytest.fixture(scope="session")
def run_goemitter(goemitter) -> Callable[..., subprocess.CompletedProcess]:
    """``run_goemitter(receiver, **env)`` runs the emitter to completion against ``receiver``."""

    def run(r: Receiver, **extra: str) -> subprocess.CompletedProcess:
        proc = subprocess.run(
            [str(goemitter)],
            env=emitter_env(r, **extra),
            capture_output=True,
            text=True,
            timeout=60,
        )
        assert proc.returncode == 0, (
            f"goemitter exited {proc.returncode}:\n{proc.stdout}\n{proc.stderr}\n{r.summary()}"
        )
        return proc

    return run
