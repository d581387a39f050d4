"""Strict aspect files and Go releases (driver/releases.py): which builds they refuse."""

from __future__ import annotations

import pytest

from toolweave.aspect import load_aspects
from toolweave.config import BUILTIN_DIR, OPTIONAL_DIR
from toolweave.driver.releases import release_of, unsupported

GLS = f"{OPTIONAL_DIR}/gls.yml"


@pytest.mark.parametrize("version, release", [
    ("go1.26.8", (1, 26)), ("go1.27.3", (1, 27)), ("go1.27rc1", (1, 27)), ("go1.26", (1, 26)),
    ("devel go1.28-abc", None), ("", None),
])
def test_release_of(version, release):
    assert release_of(version) == release


@pytest.mark.parametrize("package, version, refused", [
    ("runtime", "go1.26.8", False),
    ("runtime", "go1.27.3", False),
    ("runtime", "go1.25.5", True),
    ("runtime", "go1.28.0", True),
    ("runtime", "devel go1.28-abc", True),        # unknown: refused, never guessed
    ("net/http", "go1.25.5", False),              # not the package a strict file is about
])
def test_gls_refuses_releases_it_does_not_support(package, version, refused):
    error = unsupported(load_aspects([GLS]), package, version)
    assert (error is not None) == refused
    if refused:
        assert version in error and "gls" in error


def test_non_strict_files_never_refuse():
    nethttp = load_aspects([f"{BUILTIN_DIR}/nethttp.yml"])
    assert unsupported(nethttp, "net/http", "go1.25.5") is None
