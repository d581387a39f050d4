"""The header of a Go file (driver/goheader.py): an edit below it may be re-woven without
planning again, an edit inside it may not. Each row is a file before and after an edit."""

from __future__ import annotations

import pytest

from toolweave.driver.goheader import header_digest, header_end

BASE = '''//go:build linux

// Package app does things.
package app

import (
	"fmt" // printing
	str "strings"
	. "os"
	_ "embed"
	`net/http`
)

import "errors"

// Greet says hello.
func Greet() string { return fmt.Sprint("hello") }
'''

SAME_HEADER = [
    ("a function body", BASE.replace('"hello"', '"hi"')),
    ("a new function at the end", BASE + "\nfunc More() {}\n"),
    ("the doc comment of the first declaration", BASE.replace("// Greet says hello.", "// Greet greets.")),
    ("a string that looks like an import", BASE + '\nvar s = "import \\"os\\""\n'),
]

OTHER_HEADER = [
    ("an added import", BASE.replace('import "errors"', 'import "errors"\nimport "io"')),
    ("a removed import", BASE.replace('\tstr "strings"\n', "")),
    ("a renamed import", BASE.replace('str "strings"', 'strs "strings"')),
    ("the build constraint", BASE.replace("//go:build linux", "//go:build darwin")),
    ("a build constraint removed", BASE.replace("//go:build linux\n\n", "")),
    ("the package name", BASE.replace("package app", "package app2")),
    ("a comment among the imports", BASE.replace("// printing", "// output")),
]


@pytest.mark.parametrize("what,after", SAME_HEADER, ids=[r[0] for r in SAME_HEADER])
def test_an_edit_below_the_imports_keeps_the_header(what, after):
    assert header_digest(after.encode()) == header_digest(BASE.encode())


@pytest.mark.parametrize("what,after", OTHER_HEADER, ids=[r[0] for r in OTHER_HEADER])
def test_an_edit_of_the_header_changes_it(what, after):
    assert header_digest(after.encode()) != header_digest(BASE.encode())


CGO = b'''package c

// #include <stdio.h>
import "C"

func F() {}
'''

ENDS = [
    ("the last import group", BASE.encode(), BASE.index('import "errors"') + len('import "errors"')),
    ("a cgo preamble and import C", CGO, CGO.index(b'import "C"') + len(b'import "C"')),
    ("the package clause when nothing is imported", b"package p\n\nfunc F() {}\n", len(b"package p")),
    ("an import with a semicolon", b'package p; import "os"; var _ = os.Args\n', len(b'package p; import "os"')),
    ("an unclosed import group: the whole file", b'package p\nimport (\n"os"\n', len(b'package p\nimport (\n"os"\n')),
    ("no package clause: nothing", b"// just a comment\n", len(b"// just a comment\n")),
]


@pytest.mark.parametrize("what,data,end", ENDS, ids=[r[0] for r in ENDS])
def test_where_the_header_ends(what, data, end):
    assert header_end(data) == end
