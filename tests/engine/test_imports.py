"""ImportTable: what a qualifier refers to."""

import pytest

from toolweave.engine import ImportTable, SourceFile
from toolweave.engine.imports import default_name

SRC = b'''package p

import (
	"fmt"
	h "net/http"
	. "strings"
	_ "embed"
	"github.com/redis/go-redis/v9"
)
'''


@pytest.fixture(scope="module")
def table():
    return ImportTable.of(SourceFile.parse("p.go", SRC).root)


@pytest.mark.parametrize("name,path", [
    ("fmt", "fmt"), ("h", "net/http"), ("http", None), ("redis", "github.com/redis/go-redis/v9"),
    ("strings", None), ("embed", None),
])
def test_resolve(table, name, path):
    assert table.resolve(name) == path


def test_dot_and_blank(table):
    assert table.dot_imported("strings") and table.has_dot_imports()
    assert table.imports("embed") and table.names_for("embed") == []


def test_new_imports_go_after_the_last_declaration(table):
    assert SRC[table.end - 1:table.end] == b")"


def test_no_imports_goes_after_package_clause():
    t = ImportTable.of(SourceFile.parse("p.go", b"package p // c\n\nvar x = 1\n").root)
    assert t.end == len(b"package p")


@pytest.mark.parametrize("path,name", [
    ("fmt", "fmt"), ("net/http", "http"), ("github.com/redis/go-redis/v9", "redis"),
    ("gopkg.in/yaml.v3", "yaml"), ("github.com/mattn/go-sqlite3", "sqlite3"),
])
def test_default_name(path, name):
    assert default_name(path) == name
