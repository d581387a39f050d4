"""How deep the drop-in driver's nested `go list -export` builds may go: a compile inside a
nested list may start one of its own (woven code adding imports to a package only woven code
imports), up to MAX_NESTING; beyond, one located refusal and no go command run."""

from __future__ import annotations

import pytest

from toolweave.driver import exports
from toolweave.driver.parent import ParentBuild


@pytest.mark.parametrize("value, depth", [(None, 0), ("", 0), ("1", 1), ("2", 2), ("x", 1)])
def test_nesting_is_read_from_the_environment(monkeypatch, value, depth):
    if value is None:
        monkeypatch.delenv(exports.NESTED, raising=False)
    else:
        monkeypatch.setenv(exports.NESTED, value)
    assert exports._nesting() == depth
    assert exports._nested_env(ParentBuild(1, "0", "/", None))[exports.NESTED] == str(depth + 1)


def test_a_list_beyond_the_bound_is_refused_without_running_go(monkeypatch, tmp_path):
    monkeypatch.setenv(exports.NESTED, str(exports.MAX_NESTING))
    parent = ParentBuild(1, "0", str(tmp_path), None, go=str(tmp_path / "no-such-go"))
    with pytest.raises(exports.ExportError, match=f"{exports.MAX_NESTING} nested builds deep: refusing"):
        exports._list(parent, frozenset({"fmt"}))
