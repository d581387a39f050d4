"""The `toolweave` command line contract, through the real CLI (and the real `go`).

    toolweave weave --aspects F.yml [--package-path P] [--diff | -o DIR] FILE.go…

One input and no flags: the woven file on stdout (the input's exact bytes when nothing
matches). --diff: a unified diff (nothing when nothing changes). -o DIR: files written into DIR.
Exit codes: 0 success, 1 an error of use or input, 2 a bad aspect file; never a traceback.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

import toolweave

MAIN_GO = b'package main\n\nimport "fmt"\n\nfunc main() {\n\tfmt.Println("hello")\n}\n'

WRAP_PRINTLN = """\
aspects:
  - id: trace-println
    join-point:
      function-call: fmt.Println
    advice:
      - wrap-expression:
          imports:
            log: log
          template: func() (int, error) { log.Print("println"); return {{ . }} }()
"""

# Matches nothing in MAIN_GO, without even parsing it (prefilter) / after parsing it.
NO_MATCH_SKIPPED = "aspects:\n  - id: exit\n    join-point: {function-call: os.Exit}\n    advice: [{wrap-expression: '{{ . }}'}]\n"
NO_MATCH_PARSED = "aspects:\n  - id: print\n    join-point: {function-call: fmt.Print}\n    advice: [{wrap-expression: '{{ . }}'}]\n"

# Only in the package example.com/app.
APP_ONLY = """\
aspects:
  - id: pprof-in-app
    join-point:
      import-path: example.com/app
    advice:
      - add-blank-import: net/http/pprof
  - id: local-helper
    join-point:
      function-call: example.com/app.helper
    advice:
      - wrap-expression: '{{ . }} + 1'
"""
HELPER_GO = b'package main\n\nfunc helper() int { return 41 }\n\nfunc main() {\n\tprintln(helper())\n}\n'


def toolweave_cli(*args: str, cwd: Path, env: dict | None = None) -> subprocess.CompletedProcess:
    """Run `python -m toolweave.cli ARGS`; stdout as bytes (woven files are bytes), stderr as text."""
    proc = subprocess.run([sys.executable, "-m", "toolweave.cli", *args], cwd=cwd, capture_output=True,
                          timeout=60, env={**os.environ, **(env or {})})
    stderr = proc.stderr.decode(errors="replace")
    assert "Traceback" not in stderr, stderr
    return subprocess.CompletedProcess(proc.args, proc.returncode, proc.stdout, stderr)


@pytest.fixture
def work(tmp_path) -> Path:
    (tmp_path / "main.go").write_bytes(MAIN_GO)
    (tmp_path / "wrap.yml").write_text(WRAP_PRINTLN)
    (tmp_path / "skipped.yml").write_text(NO_MATCH_SKIPPED)
    (tmp_path / "parsed.yml").write_text(NO_MATCH_PARSED)
    (tmp_path / "app.yml").write_text(APP_ONLY)
    return tmp_path


# -- one input, stdout ---------------------------------------------------------------------

def test_one_input_prints_the_woven_file(work):
    proc = toolweave_cli("weave", "--aspects", "wrap.yml", "main.go", cwd=work)
    assert proc.returncode == 0, proc.stderr
    assert proc.stderr == ""
    out = proc.stdout.decode()
    assert re.search(r'\w+\.Print\("println"\); return .*fmt\.Println\("hello"\) \}\(\)', out), out
    assert out.count("\n") == MAIN_GO.count(b"\n"), "weaving keeps every line where it was"
    assert (work / "main.go").read_bytes() == MAIN_GO, "the input is never modified"


@pytest.mark.parametrize("aspects,source", [
    ("skipped.yml", MAIN_GO),                                   # the prefilter rules the file out
    ("parsed.yml", MAIN_GO),                                    # parsed, nothing matched
    ("parsed.yml", MAIN_GO.rstrip(b"\n")),                      # no final newline
    ("parsed.yml", MAIN_GO.replace(b"\n", b"\r\n")),            # CRLF
    ("parsed.yml", b"\xef\xbb\xbf" + MAIN_GO + b"\n\n// trailing   \t\n"),   # BOM, trailing blanks
    ("parsed.yml", MAIN_GO.replace(b'"hello"', b'"h\xe9llo"')),  # not UTF-8 in a string
], ids=["skipped", "parsed", "no-final-newline", "crlf", "bom-trailing-space", "latin1-byte"])
def test_nothing_matches_prints_the_input_byte_for_byte(work, aspects, source):
    (work / "main.go").write_bytes(source)
    proc = toolweave_cli("weave", "--aspects", aspects, "main.go", cwd=work)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout == source
    assert proc.stderr == ""


def test_woven_output_compiles_and_runs(work):
    go = shutil.which("go")
    if go is None:
        pytest.skip("no go command on PATH")
    proc = toolweave_cli("weave", "--aspects", "wrap.yml", "main.go", cwd=work)
    assert proc.returncode == 0, proc.stderr
    mod = work / "mod"
    mod.mkdir()
    (mod / "go.mod").write_text("module example.com/app\n\ngo 1.22\n")
    (mod / "main.go").write_bytes(proc.stdout)
    env = {**os.environ, "GOTOOLCHAIN": "local", "GOPROXY": "off", "GOFLAGS": "-mod=mod"}
    vet = subprocess.run([go, "vet", "."], cwd=mod, capture_output=True, text=True, env=env, timeout=120)
    assert vet.returncode == 0, vet.stderr
    run = subprocess.run([go, "run", "."], cwd=mod, capture_output=True, text=True, env=env, timeout=120)
    assert run.returncode == 0, run.stderr
    assert run.stdout == "hello\n"
    assert "println" in run.stderr     # the log line of the advice


def test_woven_output_keeps_go_positions(work):
    """Diagnostics about woven code name the original file, line and column."""
    go = shutil.which("go")
    if go is None:
        pytest.skip("no go command on PATH")
    source = MAIN_GO.replace(b'\tfmt.Println("hello")\n', b'\tfmt.Println("hello")\n\tfmt.Printf("%d\\n", "x")\n')
    (work / "main.go").write_bytes(source)
    (work / "printf.yml").write_text(WRAP_PRINTLN.replace("fmt.Println", "fmt.Printf"))
    proc = toolweave_cli("weave", "--aspects", "printf.yml", "main.go", cwd=work)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout != source
    env = {**os.environ, "GOTOOLCHAIN": "local", "GOPROXY": "off", "GOFLAGS": "-mod=mod"}
    found = []
    for name, data in (("orig", source), ("woven", proc.stdout)):
        mod = work / name
        mod.mkdir()
        (mod / "go.mod").write_text("module example.com/app\n\ngo 1.22\n")
        (mod / "main.go").write_bytes(data)
        vet = subprocess.run([go, "vet", "."], cwd=mod, capture_output=True, text=True, env=env, timeout=120)
        assert vet.returncode != 0
        found.append(re.findall(r"main\.go:(\d+:\d+): (.*)", vet.stderr))
    assert found[0] and found[0] == found[1]
    assert found[0][0][0].startswith("7:")


# -- --diff --------------------------------------------------------------------------------

def test_diff_prints_a_unified_diff(work):
    proc = toolweave_cli("weave", "--aspects", "wrap.yml", "--diff", "main.go", cwd=work)
    assert proc.returncode == 0, proc.stderr
    out = proc.stdout.decode()
    lines = out.splitlines()
    assert lines[0] == "--- a/main.go" and lines[1] == "+++ b/main.go", out
    assert lines[2].startswith("@@ -1,")
    assert '-\tfmt.Println("hello")' in lines
    assert any(line.startswith("+") and 'Print("println")' in line for line in lines)
    assert (work / "main.go").read_bytes() == MAIN_GO


def test_diff_applies_to_give_the_woven_file(work):
    patch = shutil.which("patch")
    if patch is None:
        pytest.skip("no patch command")
    woven = toolweave_cli("weave", "--aspects", "wrap.yml", "main.go", cwd=work).stdout
    diff = toolweave_cli("weave", "--aspects", "wrap.yml", "--diff", "main.go", cwd=work).stdout
    copy = work / "copy"
    copy.mkdir()
    (copy / "main.go").write_bytes(MAIN_GO)
    subprocess.run([patch, "-s", "-p1"], input=diff, cwd=copy, check=True, timeout=30)
    assert (copy / "main.go").read_bytes() == woven


@pytest.mark.parametrize("aspects", ["skipped.yml", "parsed.yml"])
def test_diff_prints_nothing_when_nothing_changes(work, aspects):
    proc = toolweave_cli("weave", "--aspects", aspects, "--diff", "main.go", cwd=work)
    assert (proc.returncode, proc.stdout, proc.stderr) == (0, b"", "")


def test_diff_of_several_files_names_each(work):
    (work / "other.go").write_bytes(MAIN_GO.replace(b"hello", b"other"))
    (work / "quiet.go").write_bytes(b"package main\n\nfunc quiet() {}\n")
    proc = toolweave_cli("weave", "--aspects", "wrap.yml", "--diff", "main.go", "quiet.go", "other.go", cwd=work)
    assert proc.returncode == 0, proc.stderr
    headers = re.findall(r"^\+\+\+ (.*)$", proc.stdout.decode(), re.M)
    assert headers == ["b/main.go", "b/other.go"]


# -- -o DIR --------------------------------------------------------------------------------

def test_output_dir_receives_the_files(work):
    (work / "quiet.go").write_bytes(b"package main\n\nfunc quiet() {}\n")
    out = work / "out" / "nested"        # created as needed
    proc = toolweave_cli("weave", "--aspects", "wrap.yml", "-o", str(out), "main.go", "quiet.go", cwd=work)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout == b"" and proc.stderr == ""
    assert sorted(p.name for p in out.iterdir()) == ["main.go", "quiet.go"]
    single = toolweave_cli("weave", "--aspects", "wrap.yml", "main.go", cwd=work).stdout
    assert (out / "main.go").read_bytes() == single
    assert (out / "quiet.go").read_bytes() == b"package main\n\nfunc quiet() {}\n"
    assert (work / "main.go").read_bytes() == MAIN_GO


def test_output_dir_with_one_input(work):
    proc = toolweave_cli("weave", "--aspects", "skipped.yml", "-o", "out", "main.go", cwd=work)
    assert (proc.returncode, proc.stdout, proc.stderr) == (0, b"", "")
    assert (work / "out" / "main.go").read_bytes() == MAIN_GO


def test_diff_of_a_non_utf8_file_under_a_strict_utf8_stdout(work):
    """Go files need not be UTF-8 outside strings' rules; the diff must carry the bytes through,
    whatever the locale (PYTHONIOENCODING=utf-8 gives the strict stdout of e.g. en_US.UTF-8)."""
    source = MAIN_GO.replace(b'"hello"', b'"h\xe9llo"')
    (work / "main.go").write_bytes(source)
    proc = toolweave_cli("weave", "--aspects", "wrap.yml", "--diff", "main.go", cwd=work,
                         env={"PYTHONIOENCODING": "utf-8"})
    assert proc.returncode == 0, proc.stderr
    assert b'-\tfmt.Println("h\xe9llo")\n' in proc.stdout


def test_several_aspect_files_all_apply(work):
    proc = toolweave_cli("weave", "--aspects", "wrap.yml", "--aspects", "app.yml", "--package-path",
                         "example.com/app", "main.go", cwd=work)
    assert proc.returncode == 0, proc.stderr
    out = proc.stdout.decode()
    assert 'Print("println")' in out and '_ "net/http/pprof"' in out


# -- errors of use and input ---------------------------------------------------------------

def one_line(stderr: str) -> str:
    lines = stderr.splitlines()
    assert len(lines) == 1, stderr
    return lines[0]


def test_several_inputs_need_diff_or_output(work):
    (work / "other.go").write_bytes(MAIN_GO)
    proc = toolweave_cli("weave", "--aspects", "wrap.yml", "main.go", "other.go", cwd=work)
    assert proc.returncode == 1
    assert proc.stdout == b""
    assert re.search(r"--diff|-o", one_line(proc.stderr))


def test_missing_input_file(work):
    proc = toolweave_cli("weave", "--aspects", "wrap.yml", "missing.go", cwd=work)
    assert proc.returncode == 1
    assert proc.stdout == b""
    line = one_line(proc.stderr)
    assert "missing.go" in line and "No such file" in line


def test_missing_input_file_among_several(work):
    proc = toolweave_cli("weave", "--aspects", "wrap.yml", "--diff", "main.go", "missing.go", cwd=work)
    assert proc.returncode == 1
    assert "missing.go" in proc.stderr


def test_missing_aspect_file(work):
    proc = toolweave_cli("weave", "--aspects", "missing.yml", "main.go", cwd=work)
    assert proc.returncode in (1, 2)
    assert proc.stdout == b""
    assert "missing.yml" in one_line(proc.stderr)


def test_bad_aspects_win_over_bad_inputs(work):
    (work / "bad.yml").write_text("aspects: []\nbogus: 1\n")
    proc = toolweave_cli("weave", "--aspects", "bad.yml", "missing.go", cwd=work)
    assert proc.returncode == 2
    assert "bad.yml" in one_line(proc.stderr)


def test_output_dir_that_is_a_file(work):
    (work / "taken").write_text("not a directory")
    proc = toolweave_cli("weave", "--aspects", "wrap.yml", "-o", "taken", "main.go", cwd=work)
    assert proc.returncode == 1
    assert "taken" in one_line(proc.stderr)


def test_output_dir_never_silently_drops_an_input(work):
    """Two inputs with the same base name: an error, or both outputs kept, never one lost."""
    for name, text in (("a", b"hello"), ("b", b"other")):
        (work / name).mkdir()
        (work / name / "main.go").write_bytes(MAIN_GO.replace(b"hello", text))
    proc = toolweave_cli("weave", "--aspects", "wrap.yml", "-o", "out", "a/main.go", "b/main.go", cwd=work)
    written = [p.read_bytes() for p in sorted((work / "out").rglob("*.go"))] if (work / "out").exists() else []
    if proc.returncode == 0:
        assert len(written) == 2, f"one of two inputs was overwritten: {written}"
    else:
        assert proc.returncode == 1
        assert "main.go" in one_line(proc.stderr)


def test_stdout_write_error_is_one_line_not_a_traceback(work):
    if not os.path.exists("/dev/full"):
        pytest.skip("no /dev/full")
    with open("/dev/full", "wb") as full:
        proc = subprocess.run([sys.executable, "-m", "toolweave.cli", "weave", "--aspects", "wrap.yml", "main.go"],
                              cwd=work, stdout=full, stderr=subprocess.PIPE, text=True, timeout=60)
    assert proc.returncode == 1
    assert "Traceback" not in proc.stderr, proc.stderr
    assert len(proc.stderr.splitlines()) == 1, proc.stderr


@pytest.mark.parametrize("argv", [
    ["weave", "main.go"],                                          # --aspects is required
    ["weave", "--aspects", "wrap.yml"],                            # no input
    ["weave", "--aspects", "wrap.yml", "--diff", "-o", "out", "main.go"],   # exclusive
    ["weave", "--aspects", "wrap.yml", "--bogus", "main.go"],
    ["frobnicate"],
    [],
], ids=["no-aspects", "no-input", "diff-and-output", "unknown-flag", "unknown-command", "no-command"])
def test_usage_errors_exit_1_not_2(work, argv):
    """argparse's own exit code 2 would read as "bad aspect file"."""
    proc = toolweave_cli(*argv, cwd=work)
    assert proc.returncode == 1, proc.stderr
    assert proc.stdout == b""
    assert proc.stderr.strip()


def test_unweavable_input_is_a_warning_unless_strict(work):
    broken = MAIN_GO + b"\nfunc broken() { x := }\n"
    (work / "main.go").write_bytes(broken)
    proc = toolweave_cli("weave", "--aspects", "wrap.yml", "main.go", cwd=work, env={"TOOLWEAVE_STRICT": "0"})
    assert proc.returncode == 0
    assert proc.stdout == broken, "a file that cannot be woven is left as it was"
    assert "main.go" in one_line(proc.stderr)
    strict = toolweave_cli("weave", "--aspects", "wrap.yml", "main.go", cwd=work, env={"TOOLWEAVE_STRICT": "1"})
    assert strict.returncode == 1
    assert "main.go" in one_line(strict.stderr)


# -- --package-path ------------------------------------------------------------------------

@pytest.mark.parametrize("package_path,woven", [
    (None, False),
    ("example.com/other", False),
    ("example.com/app", True),
])
def test_package_path_decides_import_path_join_points(work, package_path, woven):
    (work / "main.go").write_bytes(HELPER_GO)
    args = ["weave", "--aspects", "app.yml"] + (["--package-path", package_path] if package_path else []) + ["main.go"]
    proc = toolweave_cli(*args, cwd=work)
    assert proc.returncode == 0, proc.stderr
    out = proc.stdout.decode()
    if not woven:
        assert proc.stdout == HELPER_GO
        return
    assert '_ "net/http/pprof"' in out
    assert "println(helper() + 1)" in re.sub(r"/\*line [^*]*\*/", "", out), out
    assert out.count("\n") == HELPER_GO.count(b"\n")


def test_package_path_output_compiles(work):
    go = shutil.which("go")
    if go is None:
        pytest.skip("no go command on PATH")
    (work / "main.go").write_bytes(HELPER_GO)
    proc = toolweave_cli("weave", "--aspects", "app.yml", "--package-path", "example.com/app", "main.go", cwd=work)
    mod = work / "mod"
    mod.mkdir()
    (mod / "go.mod").write_text("module example.com/app\n\ngo 1.22\n")
    (mod / "main.go").write_bytes(proc.stdout)
    env = {**os.environ, "GOTOOLCHAIN": "local", "GOPROXY": "off", "GOFLAGS": "-mod=mod"}
    run = subprocess.run([go, "run", "."], cwd=mod, capture_output=True, text=True, env=env, timeout=120)
    assert run.returncode == 0, run.stderr
    assert run.stderr == "42\n"


# -- --version -----------------------------------------------------------------------------

def test_version(work):
    proc = toolweave_cli("--version", cwd=work)
    assert proc.returncode == 0
    assert proc.stdout.decode() == f"toolweave {toolweave.__version__}\n"


def test_version_matches_the_installed_distribution():
    from importlib.metadata import version

    assert version("toolweave") == toolweave.__version__


def test_console_script_version(work):
    exe = shutil.which("toolweave")
    if exe is None:
        pytest.skip("the toolweave console script is not on PATH")
    proc = subprocess.run([exe, "--version"], cwd=work, capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout == f"toolweave {toolweave.__version__}\n"


# -- an Orchestrion-style aspect file, end to end ------------------------------------------

SPAN_GO = b'''package main

import (
\t"context"
\t"fmt"
)

//dd:span op:"load user" kind:client
func load(ctx context.Context, id int) error {
\tfmt.Println("load", id)
\treturn nil
}

func main() {
\t_ = load(context.Background(), 1)
}
'''

FAKE_TRACER = '''package tracer

import (
\t"context"
\t"fmt"
)

type Option func()

func WithVersion(v string) Option { return func() { fmt.Println("version", v != "") } }
func Start(opts ...Option)        { for _, o := range opts { o() }; fmt.Println("start") }
func Stop()                       { fmt.Println("stop") }

// Span is what the aspect declares (`var span tracer.Span`).
type Span = *span

type span struct{ name string }

func (s *span) SetTag(k, v string) { fmt.Println("tag", k, v) }
func (s *span) Finish()            { fmt.Println("finish", s.name) }

func StartSpanFromContext(ctx context.Context, name string) (Span, context.Context) {
\tfmt.Println("span", name)
\treturn &span{name}, ctx
}
'''


def test_orchestrion_style_file_weaves_code_that_runs(work):
    go = shutil.which("go")
    if go is None:
        pytest.skip("no go command on PATH")
    (work / "main.go").write_bytes(SPAN_GO)
    aspects = Path(__file__).resolve().parent / "aspect" / "good" / "orchestrion-style.yml"
    proc = toolweave_cli("weave", "--aspects", str(aspects), "--package-path", "example.com/app", "main.go", cwd=work)
    assert proc.returncode == 0, proc.stderr
    mod = work / "mod"
    (mod / "tracer").mkdir(parents=True)
    (mod / "go.mod").write_text("module example.com/app\n\ngo 1.22\n\nrequire example.com/acme/tracer v0.0.0\n\n"
                                "replace example.com/acme/tracer => ./tracer\n")
    (mod / "tracer" / "go.mod").write_text("module example.com/acme/tracer\n\ngo 1.22\n")
    (mod / "tracer" / "tracer.go").write_text(FAKE_TRACER)
    (mod / "main.go").write_bytes(proc.stdout)
    env = {**os.environ, "GOTOOLCHAIN": "local", "GOPROXY": "off", "GOFLAGS": "-mod=mod"}
    vet = subprocess.run([go, "vet", "."], cwd=mod, capture_output=True, text=True, env=env, timeout=120)
    assert vet.returncode == 0, vet.stderr + proc.stdout.decode()
    run = subprocess.run([go, "run", "."], cwd=mod, capture_output=True, text=True, env=env, timeout=120)
    assert run.returncode == 0, run.stderr
    assert run.stdout.splitlines() == [
        "version true", "start",
        "span load", "tag op load user", "tag kind client",
        "load 1",
        "finish load",
        "stop",
    ]
