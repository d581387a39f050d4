"""vendor/modules.txt parsing and when a build is vendored (driver/vendor.py)."""

from __future__ import annotations

import os

import pytest

from toolweave.driver.goenv import GoEnv
from toolweave.driver.vendor import VendoredModule, parse_modules_txt, vendor_mode

MODULES_TXT = """\
# github.com/a/b v1.2.3
## explicit; go 1.21
github.com/a/b
github.com/a/b/sub
# github.com/c/d v0.1.0 => ../fork
## explicit
github.com/c/d
# example.com/nothing v1.0.0
## explicit; go 1.22
# example.com/replaced => ../elsewhere
"""


def test_modules_txt_is_parsed():
    assert parse_modules_txt(MODULES_TXT) == [
        VendoredModule("github.com/a/b", "v1.2.3", "1.21", ("github.com/a/b", "github.com/a/b/sub")),
        VendoredModule("github.com/c/d", "v0.1.0", "", ("github.com/c/d",)),
        VendoredModule("example.com/nothing", "v1.0.0", "1.22", ()),
    ]


def test_a_workspace_modules_txt_skips_workspace_modules():
    text = "## workspace\n# example.com/lib\n# github.com/a/b v1.2.3\n## explicit; go 1.16\ngithub.com/a/b\n"
    assert [m.path for m in parse_modules_txt(text)] == ["github.com/a/b"]


def _env(gomod="", gowork=""):
    return GoEnv("/goroot", "/gomodcache", gomod, gowork, "go1.26.0", "", "/gocache")


@pytest.fixture
def module(tmp_path):
    (tmp_path / "go.mod").write_text("module example.com/m\n\ngo 1.22\n")
    (tmp_path / "vendor").mkdir()
    (tmp_path / "vendor" / "modules.txt").write_text(MODULES_TXT)
    return tmp_path


@pytest.mark.parametrize("flag,goflags,vendored", [
    (None, "", True),                      # go >= 1.14 with vendor/: -mod=vendor by default
    ("vendor", "", True),
    ("mod", "", False),
    ("readonly", "-mod=vendor", False),    # the command line wins over GOFLAGS
    (None, "-mod=mod", False),
    (None, "-trimpath -mod=vendor", True),
])
def test_vendor_mode_follows_the_go_command(module, flag, goflags, vendored):
    found = vendor_mode(flag, goflags, _env(str(module / "go.mod")), None, str(module))
    assert (found is not None) == vendored
    if found:
        assert found.dir == str(module / "vendor") and len(found.modules) == 3


def test_old_go_lines_and_workspace_vendor_dirs_are_not_vendored(module):
    gomod = str(module / "go.mod")
    (module / "go.mod").write_text("module example.com/m\n\ngo 1.13\n")
    assert vendor_mode(None, "", _env(gomod), None, str(module)) is None
    (module / "go.mod").write_text("module example.com/m\n")
    assert vendor_mode(None, "", _env(gomod), None, str(module)) is None
    (module / "go.mod").write_text("module example.com/m\n\ngo 1.22\n")
    (module / "vendor" / "modules.txt").write_text("## workspace\n" + MODULES_TXT)
    assert vendor_mode(None, "", _env(gomod), None, str(module)) is None
    assert vendor_mode(None, "", _env(os.devnull), None, str(module)) is None


def test_a_workspace_vendor_dir_is_beside_go_work(tmp_path):
    (tmp_path / "go.work").write_text("go 1.22\n\nuse ./app\n")
    (tmp_path / "vendor").mkdir()
    (tmp_path / "vendor" / "modules.txt").write_text("## workspace\n" + MODULES_TXT)
    env = _env(str(tmp_path / "app" / "go.mod"), str(tmp_path / "go.work"))
    found = vendor_mode(None, "", env, None, str(tmp_path / "app"))
    assert found is not None and found.dir == str(tmp_path / "vendor")
