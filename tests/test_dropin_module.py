"""Which packages the drop-in driver counts as the main module's (`package-filter: {root:
true}`, the module's go version): decided from the compile's directories, since the go command
tells a -toolexec tool nothing about modules."""

from __future__ import annotations

import pytest

from toolweave.driver.compile import _module_rel

TREE = {
    "go.mod": "module example.com/app\n",
    "cmd/app/main.go": "package main\n",
    "internal/db/db.go": "package db\n",
    "spawner/go.mod": "module example.com/spawner\n",          # a nested module (replace ./spawner)
    "spawner/inner/x.go": "package inner\n",
    "vendor/github.com/x/y/y.go": "package y\n",
    "vendored/z.go": "package vendored\n",                      # only "vendor" is special
}


@pytest.mark.parametrize("pkg, rel", [
    ("", "."),
    ("cmd/app", "cmd/app"),
    ("internal/db", "internal/db"),
    ("spawner", ""),
    ("spawner/inner", ""),
    ("vendor/github.com/x/y", ""),
    ("vendored", "vendored"),
    ("../elsewhere", ""),
])
def test_a_package_is_the_main_modules_when_no_go_mod_or_vendor_lies_between(tmp_path, pkg, rel):
    root = tmp_path / "app"
    for name, text in TREE.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text)
    (tmp_path / "elsewhere").mkdir()
    pkg_dir = str((root / pkg).resolve()) if pkg else str(root)
    assert _module_rel(str(root), pkg_dir) == rel
