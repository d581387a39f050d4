"""Replay: a rebuild in which nothing changed runs the recorded go command without planning
or weaving. Patch: a rebuild in which only the bodies of Go files changed re-weaves just
those files against the recorded plan, and the binary is the one a full build makes. Any
other change to an input of the plan builds normally, and the binary shows it.
"""

from __future__ import annotations

import marshal
from pathlib import Path

import pytest

from e2e_support import write_module, write_workspace

APP = {
    "go.mod": """
        module example.com/replay

        go 1.22
    """,
    "main.go": """
        package main

        import "fmt"

        var extras []string

        //weave:span
        func greet() string { return "hello" }

        func main() { fmt.Println(greet(), extras) }
    """,
    "off.go": """
        //go:build never

        package main

        func init() { extras = append(extras, "off") }
    """,
    "plain.go": """
        package main

        func init() {}
    """,
}

VERBOSE = {"TOOLWEAVE_VERBOSE": "1", "OTEL_SDK_DISABLED": "true"}
REPLAYED = "replaying its go command"
PATCHED = "re-woven against the last build's plan"


def build(runner, module, env=None):
    return runner.toolweave("go", "build", "-o", "app", ".", cwd=module, env={**VERBOSE, **(env or {})}).check()


def output(runner, module) -> str:
    return runner.run([str(module / "app")], cwd=module, env=VERBOSE).check().stdout


@pytest.fixture
def app(tmp_path, runner):
    module = write_module(tmp_path / "replay", APP)
    assert REPLAYED not in build(runner, module).stderr
    return module


def test_a_rebuild_with_nothing_changed_is_replayed(runner, app):
    again = build(runner, app)
    assert REPLAYED in again.stderr and "woven" not in again.stderr.replace(REPLAYED, "")
    assert output(runner, app) == "hello []\n"
    assert REPLAYED in build(runner, app).stderr


def _edit(path, old, new):
    path.write_text(path.read_text().replace(old, new))


# (what changes, how, what the rebuilt binary prints): bodies only, re-woven in place
PATCHES = [
    ("a woven function's body", lambda m: _edit(m / "main.go", '"hello"', '"hi"'), "hi []\n"),
    ("an unwoven file's body", lambda m: _edit(m / "plain.go", "func init() {}", 'func init() { extras = append(extras, "edited") }'),
     "hello [edited]\n"),
    ("a file build constraints exclude", lambda m: _edit(m / "off.go", '"off"', '"of"'), "hello []\n"),
    ("a span added in an unwoven file", lambda m: _edit(m / "plain.go", "func init() {}",
                                                         '//weave:span\nfunc h() string { return "h" }\n\n'
                                                         "func init() { extras = append(extras, h()) }"),
     "hello [h]\n"),
    ("two files at once", lambda m: (_edit(m / "main.go", '"hello"', '"hey"'),
                                     _edit(m / "plain.go", "func init() {}", 'func init() { extras = append(extras, "2") }')),
     "hey [2]\n"),
]


@pytest.mark.parametrize("what,change,printed", PATCHES, ids=[c[0] for c in PATCHES])
def test_a_body_edit_is_rewoven_without_planning(runner, app, what, change, printed):
    change(app)
    patched = build(runner, app)
    assert PATCHED in patched.stderr, patched.stderr
    assert output(runner, app) == printed
    assert REPLAYED in build(runner, app).stderr      # the patched state is recorded
    # The patched binary is the one a full build of the same sources makes.
    binary = (app / "app").read_bytes()
    runner.toolweave("cache", "clean", cwd=app).check()
    full = build(runner, app)
    assert PATCHED not in full.stderr and REPLAYED not in full.stderr
    assert (app / "app").read_bytes() == binary


# (what changes, how, what the rebuilt binary prints): everything else plans again
CHANGES = [
    ("an import added", lambda m: _edit(m / "plain.go", "func init() {}", 'import "os"\n\nfunc init() { extras = append(extras, os.Args[0][:0]) }'),
     "hello []\n"),
    ("a build constraint added", lambda m: _edit(m / "plain.go", "package main", "//go:build !never\n\npackage main"),
     "hello []\n"),
    ("a new file in the package", lambda m: (m / "more.go").write_text(
        'package main\n\nfunc init() { extras = append(extras, "more") }\n'), "hello [more]\n"),
    ("a file build constraints excluded", lambda m: _edit(m / "off.go", "//go:build never\n\n", ""),
     "hello [off]\n"),
    ("a removed file", lambda m: (m / "off.go").unlink(), "hello []\n"),
    ("go.mod", lambda m: _edit(m / "go.mod", "go 1.22", "go 1.23"), "hello []\n"),
    ("toolweave.yml appears", lambda m: (m / "toolweave.yml").write_text("integrations: {disabled: [slog]}\n"),
     "hello []\n"),
]


@pytest.mark.parametrize("what,change,printed", CHANGES, ids=[c[0] for c in CHANGES])
def test_a_change_to_an_input_builds_normally(runner, app, what, change, printed):
    change(app)
    rebuilt = build(runner, app)
    assert REPLAYED not in rebuilt.stderr and PATCHED not in rebuilt.stderr and "woven" in rebuilt.stderr
    assert output(runner, app) == printed
    assert REPLAYED in build(runner, app).stderr      # and the new state is recorded


def test_another_environment_or_command_line_builds_normally(runner, app):
    assert REPLAYED not in build(runner, app, env={"TOOLWEAVE_DISABLED_INTEGRATIONS": "slog"}).stderr
    other = runner.toolweave("go", "build", "-o", "app2", ".", cwd=app, env=VERBOSE).check()
    assert REPLAYED not in other.stderr


def test_a_cleaned_cache_builds_normally(runner, app):
    runner.toolweave("cache", "clean", cwd=app).check()
    assert REPLAYED not in build(runner, app).stderr
    assert output(runner, app) == "hello []\n"


def test_a_test_file_edit_under_go_test_plans_again(runner, app):
    (app / "main_test.go").write_text('package main\n\nimport "testing"\n\nfunc TestGreet(t *testing.T) {}\n')
    def go_test():
        return runner.toolweave("go", "test", ".", cwd=app, env=VERBOSE).check()
    go_test()
    _edit(app / "main_test.go", "{}", "{ t.Log(greet()) }")
    again = go_test()
    assert PATCHED not in again.stderr and REPLAYED not in again.stderr


def test_an_edit_of_a_file_in_the_users_overlay_plans_again(runner, app):
    alt = app / "alt"
    alt.mkdir()
    (alt / "main.go").write_text((app / "main.go").read_text().replace('"hello"', '"overlaid"'))
    (app / "overlay.json").write_text('{"Replace": {"main.go": "alt/main.go"}}')
    def build_overlaid():
        return runner.toolweave("go", "build", "-overlay", "overlay.json", "-o", "app", ".", cwd=app,
                                env=VERBOSE).check()
    build_overlaid()
    assert output(runner, app) == "overlaid []\n"
    _edit(alt / "main.go", '"overlaid"', '"replaced"')
    again = build_overlaid()
    assert PATCHED not in again.stderr and REPLAYED not in again.stderr
    assert output(runner, app) == "replaced []\n"


def test_a_patch_that_breaks_falls_back_to_a_full_build(runner, app):
    records = Path(runner.env["TOOLWEAVE_CACHE_DIR"]) / "replay"
    newest = max(records.rglob("*.rec"), key=lambda p: p.stat().st_mtime_ns)
    record = marshal.loads(newest.read_bytes())
    record["patch"]["facts"] = []            # an index that no longer resolves
    newest.write_bytes(marshal.dumps(record))
    _edit(app / "main.go", '"hello"', '"hi"')
    rebuilt = build(runner, app)
    assert "re-weaving the edited files failed" in rebuilt.stderr and "woven 1 files" in rebuilt.stderr
    assert output(runner, app) == "hi []\n"


def test_a_body_edit_in_another_workspace_module_is_rewoven(runner, tmp_path):
    root = write_workspace(tmp_path / "work", """
        package main

        import (
        	"context"
        	"fmt"

        	"example.com/lib"
        )

        func main() { fmt.Println(lib.Greet(context.Background(), "gopher")) }
    """)
    app = root / "app"
    build(runner, app)
    _edit(root / "lib" / "lib.go", '"hello "', '"hi "')
    assert PATCHED in build(runner, app).stderr
    assert output(runner, app) == "hi gopher\n"
    binary = (app / "app").read_bytes()
    runner.toolweave("cache", "clean", cwd=app).check()
    assert PATCHED not in build(runner, app).stderr
    assert (app / "app").read_bytes() == binary
