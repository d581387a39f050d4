"""`toolweave pin`: the drop-in driver's requirements written into the module, on request.

The spec: a pinned module builds with nothing but `-toolexec` on the command line (GOFLAGS
empty) and its spans arrive; a plain `go build` still builds it, with no telemetry; what pin
writes is committable (relative paths only) and stays tidy; a second pin writes nothing;
`--dry-run` prints the diff and writes nothing; an untidy go.mod gets only what the runtime
needs; a module pin cannot serve is refused in one located line; `toolweave env` (hence the
front end) accepts a pinned module; a runtime copy from another toolweave is named.
"""

from __future__ import annotations

import buildmodes
from e2e_support import WORKSPACE, otel_env, tree_hashes, write_module
from test_frontend import SPANS
from toolweave.driver import pin as pinning

PINNED = {".toolweave/runtime/go.mod", "go.mod", "go.sum", "toolweave.tools.go"}
REPLACE = "replace toolweave.dev/runtime => ./.toolweave/runtime"


def _pin(runner, module, *flags):
    return runner.toolweave("pin", *flags, cwd=module).check()


def test_a_pinned_module_builds_with_only_toolexec_and_plainly(runner, tmp_path, receiver, tw_cache):
    module = write_module(tmp_path / "spans", SPANS)
    res = _pin(runner, module)
    written = {line.split()[0] for line in res.stdout.splitlines() if line.startswith("  ") and ":" not in line}
    assert PINNED <= written and written == set(tree_hashes(module)) - {"main.go"}, res.stdout
    assert "go line rose from 1.22 to 1.26.0" in res.stderr
    for rel in ("go.mod", "go.sum", "toolweave.tools.go"):     # committable: nothing machine-specific
        text = (module / rel).read_text()
        assert str(tmp_path) not in text and str(tw_cache) not in text, rel
    assert REPLACE in (module / "go.mod").read_text()
    runner.go("mod", "tidy", "-diff", cwd=module).check()    # a tidy module stays tidy

    toolexec = "-toolexec=" + " ".join(buildmodes.toolexec_command())
    runner.go("build", toolexec, "-o", str(tmp_path / "woven"), ".", cwd=module, env={"GOFLAGS": ""},
              timeout=1800).check()
    runner.go("build", "-o", str(tmp_path / "plain"), ".", cwd=module, env={"GOFLAGS": ""}).check()

    plain = runner.run([str(tmp_path / "plain")], cwd=module, env=otel_env(receiver)).check()
    assert plain.stdout.splitlines() == ["2 <nil>", "0 too big"]
    assert sum(receiver.request_counts().values()) == 0        # no SDK in the plain binary
    woven = runner.run([str(tmp_path / "woven")], cwd=module, env=otel_env(receiver)).check()
    assert woven.stdout == plain.stdout
    receiver.wait_for(lambda r: {s.name for s in r.spans()} >= {"work", "step-one"})


def test_pin_twice_writes_nothing(runner, tmp_path):
    module = write_module(tmp_path / "spans", SPANS)
    _pin(runner, module)
    before = tree_hashes(module)
    res = _pin(runner, module)
    assert tree_hashes(module) == before
    assert "pinned already: nothing to change" in res.stdout and res.stderr == ""


def test_dry_run_prints_the_diff_and_writes_nothing(runner, tmp_path):
    module = write_module(tmp_path / "spans", SPANS)
    before = tree_hashes(module)
    res = _pin(runner, module, "--dry-run")
    assert tree_hashes(module) == before
    out = res.stdout.splitlines()
    for line in ("--- a/go.mod", "+++ b/go.mod", "-go 1.22", "+go 1.26.0", f"+{REPLACE}",
                 "--- /dev/null", "+++ b/go.sum", "+++ b/toolweave.tools.go", '+\t_ "toolweave.dev/runtime/span"'):
        assert line in out, line
    assert "#   new      .toolweave/runtime/span/span.go" in out
    assert "would change" in res.stderr and "go line would rise from 1.22 to 1.26.0" in res.stderr

    _pin(runner, module)                                       # what it printed is what pin writes
    assert _added(out, "toolweave.tools.go") == (module / "toolweave.tools.go").read_text().splitlines()
    assert set(_added(out, "go.mod")) <= set((module / "go.mod").read_text().splitlines())


def _added(diff_lines: list[str], path: str) -> list[str]:
    """The `+` lines of one file's hunks in a unified diff."""
    start = diff_lines.index(f"+++ b/{path}") + 1
    end = next((i for i in range(start, len(diff_lines)) if diff_lines[i].startswith("--- ")), len(diff_lines))
    return [line[1:] for line in diff_lines[start:end] if line.startswith("+")]


def test_an_untidy_module_gets_only_what_the_runtime_needs(runner, tmp_path):
    """An unused requirement makes go.mod untidy: pin must not tidy it away."""
    module = write_module(tmp_path / "untidy", {
        **SPANS, "go.mod": "module example.com/untidy\n\ngo 1.22\n\nrequire github.com/google/uuid v1.6.0\n"})
    res = _pin(runner, module)
    gomod = (module / "go.mod").read_text()
    assert "github.com/google/uuid v1.6.0" in gomod and REPLACE in gomod
    assert "toolweave.dev/runtime v0.0.0-00010101000000-000000000000" in gomod
    assert "// indirect" not in gomod and "go.mod was not tidy" in res.stdout
    before = tree_hashes(module)
    _pin(runner, module)
    assert tree_hashes(module) == before


def test_refusals_are_one_located_line(runner, tmp_path):
    outside = tmp_path / "outside"
    outside.mkdir()
    vendored = write_module(tmp_path / "vend", {**SPANS, "vendor/modules.txt": "# nothing vendored\n"})
    work = write_module(tmp_path / "work", {**WORKSPACE, "app/main.go": SPANS["main.go"]})
    cases = [(outside, str(outside), "not inside a Go module"),
             (vendored, str(vendored / "vendor"), "vendors its dependencies"),
             (work / "app", str(work / "go.work"), "workspace")]
    for cwd, place, words in cases:
        before = tree_hashes(cwd.parent)
        res = runner.toolweave("pin", cwd=cwd)
        assert res.returncode == 1 and res.stdout == ""
        assert res.stderr.count("\n") == 1 and res.stderr.startswith(f"toolweave: pin: {place}: "), res.stderr
        assert words in res.stderr
        assert tree_hashes(cwd.parent) == before


def test_env_accepts_a_pinned_module(runner, tmp_path):
    """`toolweave env` (and the front end: the same module file) replaces the pinned runtime
    by this toolweave's copy rather than adding a second, conflicting replacement."""
    module = write_module(tmp_path / "spans", SPANS)
    _pin(runner, module)
    variables = buildmodes.dropin_env(module, runner.env)
    modfile = next(f.split("=", 1)[1] for f in variables["GOFLAGS"].split() if f.startswith("-modfile="))
    text = open(modfile).read()
    assert text.count("replace toolweave.dev/runtime") == 1 and REPLACE not in text


def test_a_runtime_copy_from_another_toolweave_is_named(runner, tmp_path, monkeypatch):
    module = write_module(tmp_path / "spans", SPANS)
    _pin(runner, module)
    assert pinning.stale_runtime_copy(str(module)) is None
    other = tmp_path / "other-runtime"
    write_module(other, {rel: (module / ".toolweave/runtime" / rel).read_text()
                         for rel in ("go.mod", "span/span.go")})
    monkeypatch.setenv("TOOLWEAVE_RUNTIME_SOURCE", str(other))
    assert pinning.stale_runtime_copy(str(module)) == str(module / ".toolweave" / "runtime")
