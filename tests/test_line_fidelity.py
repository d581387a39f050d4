"""Line fidelity: woven code reports the user's original file:line(:col), proven with real go.

Small programs are woven with aspects that inject multi-line code before and around user code
(prepend-statements with several lines, a multi-line wrap-expression on a call in the middle of
a line, inject-declarations at the end of the file), built with the real `go` command in a
temporary module, and then:

  * run: the stack trace of a panic names the original file and line of the panicking
    statement and of its caller, exactly as the unwoven build does;
  * compiled with type errors in user code: `go build` reports the original file:line:col,
    exactly as the unwoven build does;
  * both again for an input that starts with a `//line other.go:1` directive (as cgo output
    does): positions stay in the logical file.

The woven file reaches the compiler the way the front end hands it over (`-overlay`, woven file
elsewhere) and, once, written in place under the original name through `toolweave weave -o`.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess

import pytest

from toolweave import cli
from toolweave.aspect.load import load_aspect_text
from toolweave.weave import Rewritten, weave_file

pytestmark = pytest.mark.slow

ASPECTS = """
aspects:
  - id: prologue                # several lines, in their own block
    join-point: {function-body: {function: [{name: compute}]}}
    advice:
      - prepend-statements:
          template: |-
            var __tw_a = 1
            var __tw_b = []int{
              __tw_a,
              2,
            }
            _ = __tw_b
  - id: every-function          # a second prepend on the same block, and on every function
    join-point: {function-body: {function: [{receiver: false}]}}
    advice:
      - prepend-statements:
          template: |-
            __tw_name := "{{ .Function.Name }}"
            if len(__tw_name) > 100 {
              panic("unreachable")
            }
  - id: wrap-helper             # multi-line, in the middle of a line that goes on after it
    join-point: {function-call: helper}
    advice:
      - wrap-expression:
          template: |-
            func() int {
              __tw_v := {{ . }}
              return __tw_v
            }()
  - id: tail                    # declarations after the last line of the file
    join-point: {function-body: {function: [{name: main}]}}
    advice:
      - inject-declarations:
          template: |-
            var __tw_tail = []string{
              "a",
              "b",
            }

            func __tw_unused() int {
              return len(__tw_tail)
            }
"""

# `T.boom` lies before the first woven function: its lines carry no directive, so it keeps
# its position only if the woven file is compiled under the original name.
PANICS = """\
package main

import (
	"fmt"
	"os"
)

type T struct{}

func (T) boom(xs []int) int {
	return xs[7] // BOOM
}

func helper(i int) int {
	return i * 2
}

func compute(xs []int, i int) int {
	total := len(xs)
	total += helper(i) + xs[i] // PANIC
	return total
}

func main() {
	fmt.Fprintln(os.Stderr, "start")
	if len(os.Args) > 1 {
		fmt.Println(T{}.boom(nil)) // BOOM-CALLER
	}
	fmt.Println(compute([]int{1, 2, 3}, 5)) // CALLER
}
"""

# Errors in user code after woven code: on the first line after a prepend, mid-line right
# after a wrapped call, and further down.
TYPE_ERRORS = """\
package main

import "fmt"

func helper(i int) int {
	return i * 2
}

func compute(i int) int {
	var s string = 5 // ERR-AFTER-PREPEND
	n := helper(i) + undefinedName // ERR-AFTER-WRAP
	fmt.Println(s, n)
	return "x" // ERR-LATER
}

func main() {
	fmt.Println(compute(1))
}
"""

# The error is in user code, but the expression it is reported at starts with a wrapped call.
WRAPPED_AT_ERROR = """\
package main

func helper(i int) int {
	return i * 2
}

func compute(i int) string {
	var s string = helper(i) // ERR-WRAPPED
	return s
}

func main() {
	println(compute(1))
}
"""

# A panic in user code evaluated inside a multi-line wrapper (the wrapped call's argument).
PANIC_IN_WRAPPED = """\
package main

func helper(i int) int {
	return i * 2
}

func argPanics(xs []int) int {
	return helper(xs[9]) + 1 // ARG-PANIC
}

func main() {
	println(argPanics(nil)) // ARG-CALLER
}
"""

_FRAME = re.compile(r"^(main\.[\w.]+)\(.*\)\n\t(.+?):(\d+)(?: \+0x[0-9a-f]+)?$", re.M)
_ERROR = re.compile(r"^(.+?\.go|<generated>):(\d+)(?::(\d+))?: (.*)$", re.M)


@pytest.fixture(scope="module")
def go():
    path = shutil.which("go")
    if path is None:
        pytest.skip("the go command is not on PATH")
    return path


@pytest.fixture(scope="module")
def aspects():
    return load_aspect_text(ASPECTS, "fidelity.yml")


def _env() -> dict:
    env = dict(os.environ, GOFLAGS="-mod=mod", GOWORK="off", GOTOOLCHAIN="local", CGO_ENABLED="0")
    env.pop("GOOS", None)
    env.pop("GOARCH", None)
    return env


def _module(root, name: str, source: str):
    """A module dir `root/name` holding main.go = source; returns the main.go path (resolved:
    go reports the real path of the package directory)."""
    mod = root.resolve() / name
    mod.mkdir()
    (mod / "go.mod").write_text("module example.com/fidelity\n\ngo 1.22\n")
    main = mod / "main.go"
    main.write_text(source)
    return main


def _weave_overlay(main, aspects) -> list[str]:
    """Weave main.go to a file elsewhere and return the go flags that compile it in its place."""
    result = weave_file(str(main), main.read_bytes(), aspects)
    assert isinstance(result, Rewritten), result
    woven = main.parent.parent / f"{main.parent.name}-woven.go"
    woven.write_bytes(result.data)
    overlay = main.parent.parent / f"{main.parent.name}-overlay.json"
    overlay.write_text(json.dumps({"Replace": {str(main): str(woven)}}))
    return [f"-overlay={overlay}"]


def _weave_in_place(main, aspect_file) -> list[str]:
    """`toolweave weave -o DIR` with the original path, then the output replaces main.go."""
    out = main.parent.parent / f"{main.parent.name}-out"
    assert cli.main(["weave", "--aspects", str(aspect_file), "-o", str(out), str(main)]) == 0
    woven = (out / "main.go").read_bytes()
    assert woven != main.read_bytes()
    main.write_bytes(woven)
    return []


def _build(go, main, flags, binary=None):
    cmd = [go, "build", *flags, "-o", str(binary or os.devnull), "."]
    return subprocess.run(cmd, cwd=main.parent, env=_env(), capture_output=True, text=True, timeout=300)


def _run_panicking(binary, *args) -> str:
    proc = subprocess.run([str(binary), *args], capture_output=True, text=True, timeout=60)
    assert proc.returncode == 2 and "panic: runtime error" in proc.stderr, proc.stderr
    return proc.stderr


def _frames(stderr: str) -> dict[str, tuple[str, int]]:
    """{function: (file, line)} of the first goroutine's stack."""
    trace = stderr.split("goroutine ", 1)[1].split("\n\n", 1)[0]
    return {m.group(1): (m.group(2), int(m.group(3))) for m in _FRAME.finditer(trace)}


def _errors(stderr: str, cwd) -> list[tuple[str, int, int, str]]:
    """(file, line, col, message) of every compiler error; col 0 when go prints none."""
    out = []
    for m in _ERROR.finditer(stderr):
        path = m.group(1)
        if not path.startswith("<") and not os.path.isabs(path):
            path = os.path.normpath(os.path.join(cwd, path))
        out.append((path, int(m.group(2)), int(m.group(3) or 0), m.group(4)))
    return out


def _line_of(source: str, marker: str) -> int:
    lines = [i for i, text in enumerate(source.splitlines(), 1) if marker in text]
    assert len(lines) == 1, marker
    return lines[0]


def _col_of(source: str, marker: str, token: str) -> int:
    text = source.splitlines()[_line_of(source, marker) - 1]
    return len(text[:text.index(token)].encode()) + 1


# -- (a) panics ---------------------------------------------------------------------------

@pytest.mark.parametrize("how", ["overlay", "in-place"])
def test_panic_trace_names_original_lines(go, aspects, tmp_path, how):
    plain = _module(tmp_path, "plain", PANICS)
    main = _module(tmp_path, "woven", PANICS)
    if how == "overlay":
        flags = _weave_overlay(main, aspects)
    else:
        aspect_file = tmp_path / "fidelity.yml"
        aspect_file.write_text(ASPECTS)
        flags = _weave_in_place(main, aspect_file)
    for mod, fl in ((plain, []), (main, flags)):
        proc = _build(go, mod, fl, mod.parent / "app")
        assert proc.returncode == 0, proc.stderr

    frames = _frames(_run_panicking(main.parent / "app"))
    assert frames["main.compute"] == (str(main), _line_of(PANICS, "// PANIC")), frames
    assert frames["main.main"] == (str(main), _line_of(PANICS, "// CALLER")), frames

    frames = _frames(_run_panicking(main.parent / "app", "boom"))
    assert frames["main.T.boom"] == (str(main), _line_of(PANICS, "xs[7] // BOOM")), frames
    assert frames["main.main"] == (str(main), _line_of(PANICS, "// BOOM-CALLER")), frames

    # The oracle: the same stacks as the unwoven program, up to the directory name.
    for args in ((), ("boom",)):
        woven = _frames(_run_panicking(main.parent / "app", *args))
        unwoven = _frames(_run_panicking(plain.parent / "app", *args))
        assert {f: (os.path.basename(p), n) for f, (p, n) in woven.items()} == \
               {f: (os.path.basename(p), n) for f, (p, n) in unwoven.items()}


def test_panic_under_a_multiline_wrapper_keeps_the_enclosing_frame_on_the_user_line(go, aspects, tmp_path):
    """`return helper(xs[9]) + 1` with `helper(…)` wrapped by `func() int {…}()`: the index
    panics inside the wrapper's closure (that frame is right: the argument is moved original
    code), but the enclosing function's frame is the call of the closure, `}()` on the
    wrapper's last line, which today is reported at `<generated>:N`. The user's function
    then has no user line in the stack at all. The last line of injected code that ends in
    the middle of a user line must, like the first one, keep the user's line."""
    main = _module(tmp_path, "woven", PANIC_IN_WRAPPED)
    proc = _build(go, main, _weave_overlay(main, aspects), main.parent / "app")
    assert proc.returncode == 0, proc.stderr
    frames = _frames(_run_panicking(main.parent / "app"))
    line = _line_of(PANIC_IN_WRAPPED, "ARG-PANIC")
    closure = [where for name, where in frames.items() if name.startswith("main.main.argPanics.func")]
    assert closure == [(str(main), line)], frames
    assert frames["main.argPanics"] == (str(main), line), frames
    assert frames["main.main"] == (str(main), _line_of(PANIC_IN_WRAPPED, "ARG-CALLER")), frames


# -- (b) compile errors -------------------------------------------------------------------

def test_type_errors_after_woven_code_keep_file_line_col(go, aspects, tmp_path):
    plain = _module(tmp_path, "plain", TYPE_ERRORS)
    main = _module(tmp_path, "woven", TYPE_ERRORS)
    flags = _weave_overlay(main, aspects)
    woven_proc = _build(go, main, flags)
    plain_proc = _build(go, plain, [])
    assert woven_proc.returncode != 0 and plain_proc.returncode != 0

    got = _errors(woven_proc.stderr, main.parent)
    src = str(main)
    expected = [
        (src, _line_of(TYPE_ERRORS, "ERR-AFTER-PREPEND"), _col_of(TYPE_ERRORS, "ERR-AFTER-PREPEND", "5 //")),
        (src, _line_of(TYPE_ERRORS, "ERR-AFTER-WRAP"), _col_of(TYPE_ERRORS, "ERR-AFTER-WRAP", "undefinedName")),
        (src, _line_of(TYPE_ERRORS, "ERR-LATER"), _col_of(TYPE_ERRORS, "ERR-LATER", '"x"')),
    ]
    assert [e[:3] for e in got] == expected, woven_proc.stderr
    # The oracle: the unwoven build reports the same positions and messages.
    relocated = [(src, line, col, msg) for _, line, col, msg in _errors(plain_proc.stderr, plain.parent)]
    assert got == relocated


def test_type_error_at_a_wrapped_call_is_reported_on_the_user_line(go, aspects, tmp_path):
    """`var s string = helper(i)` with `helper(i)` wrapped by a multi-line template: go reports
    the error at the start of the value, which is now the first byte of the wrapper. Like
    single-line injected text, the first line of a wrapper that replaces user code mid-line
    must keep the user's position; today it gets `/*line <generated>:1:1*/` and the error is
    reported at `<generated>:1:1`, a place the user cannot find."""
    main = _module(tmp_path, "woven", WRAPPED_AT_ERROR)
    proc = _build(go, main, _weave_overlay(main, aspects))
    assert proc.returncode != 0
    got = [e[:3] for e in _errors(proc.stderr, main.parent)]
    want = (str(main), _line_of(WRAPPED_AT_ERROR, "ERR-WRAPPED"), _col_of(WRAPPED_AT_ERROR, "ERR-WRAPPED", "helper(i)"))
    assert got == [want], proc.stderr


# -- (c) an input that already has line directives -----------------------------------------

CGO_HEADER = "// Code generated by cmd/cgo; DO NOT EDIT.\n\n//line {directive}\n"


@pytest.mark.parametrize("directive", ["other.go:1", "other.go:1:1"])
def test_leading_line_directive_keeps_the_logical_file(go, aspects, tmp_path, directive):
    header = CGO_HEADER.format(directive=directive)
    with_column = directive.count(":") == 2

    main = _module(tmp_path, "panics", header + PANICS)
    proc = _build(go, main, _weave_overlay(main, aspects), main.parent / "app")
    assert proc.returncode == 0, proc.stderr
    frames = _frames(_run_panicking(main.parent / "app"))
    assert frames["main.compute"] == ("other.go", _line_of(PANICS, "// PANIC")), frames
    assert frames["main.main"] == ("other.go", _line_of(PANICS, "// CALLER")), frames

    main = _module(tmp_path, "errors", header + TYPE_ERRORS)
    plain = _module(tmp_path, "errors-plain", header + TYPE_ERRORS)
    woven_proc = _build(go, main, _weave_overlay(main, aspects))
    plain_proc = _build(go, plain, [])
    got = _errors(woven_proc.stderr, main.parent)
    want_lines = [_line_of(TYPE_ERRORS, m) for m in ("ERR-AFTER-PREPEND", "ERR-AFTER-WRAP", "ERR-LATER")]
    assert [(os.path.basename(f), line) for f, line, _, _ in got] == [("other.go", n) for n in want_lines], woven_proc.stderr
    if with_column:
        assert all(col > 0 for _, _, col, _ in got), woven_proc.stderr
    else:      # `//line file:L` leaves the column unknown: go prints none, woven or not
        assert all(col == 0 for _, _, col, _ in got), woven_proc.stderr
    assert [(os.path.basename(f), *rest) for f, *rest in got] == \
           [(os.path.basename(f), *rest) for f, *rest in _errors(plain_proc.stderr, plain.parent)]
