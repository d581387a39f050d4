"""code_id: the version plus a digest of the code's contents, in the keys of woven files and
of the drop-in driver's compiles. Same contents, same id (a cache shared across machines
still hits); other contents, another id (a fix between releases reaches the next build)."""

from __future__ import annotations

import os

import pytest

from toolweave import __version__
from toolweave.driver.codeid import code_id


def _tree(root, files: dict):
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    return str(root)


CODE = {"__init__.py": "x = 1\n", "aspect/weaver.py": "def weave(): pass\n", "data/runtime/a.go": "package a\n"}


@pytest.fixture(autouse=True)
def private_cache(tmp_path, monkeypatch):
    monkeypatch.setenv("TOOLWEAVE_CACHE_DIR", str(tmp_path / "cache"))
    code_id.cache_clear()
    yield
    code_id.cache_clear()


def test_the_same_code_at_two_places_and_times_has_one_id(tmp_path):
    a = _tree(tmp_path / "a", CODE)
    b = _tree(tmp_path / "b", CODE)
    os.utime(os.path.join(b, "__init__.py"), (1_000_000, 1_000_000))
    assert code_id(a) == code_id(b)
    assert code_id(a).startswith(__version__ + "+")


@pytest.mark.parametrize("change", [
    {"aspect/weaver.py": "def weave(): return 1\n"},    # a fix
    {"aspect/new.py": "\n"},                             # a new module
    {"aspect/schema.json": "{}\n"},                     # not only Python
])
def test_other_code_has_another_id(tmp_path, change):
    before = code_id(_tree(tmp_path / "a", CODE))
    assert code_id(_tree(tmp_path / "b", {**CODE, **change})) != before


def test_data_is_keyed_elsewhere(tmp_path):
    # the runtime module, built-in aspects and launcher are keyed where they are used
    before = code_id(_tree(tmp_path / "a", CODE))
    assert code_id(_tree(tmp_path / "b", {**CODE, "data/runtime/a.go": "package b\n"})) == before


def test_an_edit_in_place_is_seen_through_the_memo(tmp_path):
    root = _tree(tmp_path / "a", CODE)
    before = code_id(root)
    code_id.cache_clear()                               # a new process: the memo on disk answers
    assert code_id(root) == before
    code_id.cache_clear()
    path = tmp_path / "a" / "aspect" / "weaver.py"
    path.write_text("def weave(): return 2\n")          # another size, another mtime
    assert code_id(root) != before


def test_the_installed_package_has_an_id():
    assert code_id().startswith(__version__ + "+")
