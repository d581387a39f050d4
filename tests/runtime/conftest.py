"""Fixtures for the runtime tests (helpers are in runtime_support.py)."""

from __future__ import annotations

import shutil

import pytest


@pytest.fixture(scope="session")
def go() -> str:
    path = shutil.which("go")
    if path is None:
        pytest.fail("the runtime tests need the go command on PATH")
    return path
