"""Replay: a rebuild in which nothing changed runs the recorded go command without planning
or weaving; any change to an input of the plan builds normally, and the binary shows it.
"""

from __future__ import annotations

import pytest

from e2e_support import write_module

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
}

VERBOSE = {"TOOLWEAVE_VERBOSE": "1", "OTEL_SDK_DISABLED": "true"}
REPLAYED = "replaying its go command"


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


# (what changes, how, what the rebuilt binary prints)
CHANGES = [
    ("a Go file's body", lambda m: _edit(m / "main.go", '"hello"', '"hi"'), "hi []\n"),
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
    assert REPLAYED not in rebuilt.stderr and "woven" in rebuilt.stderr
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
