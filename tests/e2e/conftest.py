"""Fixtures for end-to-end tests: real go builds through `toolweave go`, real OTLP payloads.

Every test builds a real module with the real go command; the OpenTelemetry modules come from
the Go module proxy (the module cache and build cache are shared, so only the first build in
a fresh environment is slow). GOTOOLCHAIN in the environment selects the Go version under
test: scripts/test runs these suites once more with GOTOOLCHAIN=go1.27.3.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from buildmodes import MODES
from e2e_support import Runner
from toolweave.otlp.receiver import Receiver


@pytest.fixture(scope="session")
def tw_cache(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("toolweave-cache")


@pytest.fixture(scope="session")
def base_env(tw_cache) -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("OTEL_", "TOOLWEAVE_"))}
    env.update(TOOLWEAVE_CACHE_DIR=str(tw_cache), TOOLWEAVE_STRICT="1", GOFLAGS="")
    return env


@pytest.fixture(scope="session")
def runner(base_env) -> Runner:
    return Runner(base_env)


@pytest.fixture(params=MODES)
def mode(request) -> str:
    """Each way of building with toolweave: the front end, -toolexec, GOFLAGS."""
    return request.param


@pytest.fixture
def receiver():
    with Receiver() as r:
        yield r


