"""Woven module copies in the generated module file: each replaces the version it was woven
from, and a copy that the runtime's requirements raise past is named (it builds unwoven)."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from toolweave.driver.modfile import ModSetup, raised_copies, replace_target


@dataclass(frozen=True)
class Module:
    path: str
    version: str


@pytest.mark.parametrize("path, version, target", [
    ("golang.org/x/net", "v0.19.0", "golang.org/x/net v0.19.0"),
    ("example.com/local", "", "example.com/local"),       # a directory replacement: every version
])
def test_a_copy_replaces_the_version_it_was_woven_from(path, version, target):
    assert replace_target(path, version) == target


GENERATED = """\
module example.com/app

go 1.26.0

require (
\tgithub.com/labstack/echo/v4 v4.11.4
\tgolang.org/x/net v0.59.0 // indirect
)

require example.com/single v1.2.0

replace golang.org/x/net v0.19.0 => /cache/modcopy/abc

replace (
	example.com/single v1.1.0 => ../single
)
"""


def test_copies_the_build_raises_are_named(tmp_path):
    modfile = tmp_path / "go.mod"
    modfile.write_text(GENERATED)
    setup = ModSetup(f"-modfile={modfile}", {}, "1.21", "1.26.0")
    copies = [Module("golang.org/x/net", "v0.19.0"), Module("github.com/labstack/echo/v4", "v4.11.4"),
              Module("example.com/single", "v1.2.0"), Module("example.com/local", "")]
    [warning] = raised_copies(setup, copies)
    assert warning.startswith("golang.org/x/net was woven at v0.19.0, but toolweave's runtime requirements raise it "
                              "to v0.59.0, which builds unwoven")
    assert raised_copies(ModSetup("", {"GOWORK": "/w"}, "", ""), copies) == []
