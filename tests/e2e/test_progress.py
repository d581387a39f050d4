"""Progress on a terminal: `toolweave go …` shows one updating line on stderr (planning,
weaving, then the go command's compiles) and leaves everything else exactly as it was: go's
own stderr bytes, stdout, the exit status, the build cache, and nothing at all when stderr is
not a terminal or TOOLWEAVE_PROGRESS=0.

stderr is a pseudo-terminal in raw mode (so the bytes read are the bytes written) and stdout
a pipe. The first build uses a fresh GOCACHE so that compiles really happen.
"""

from __future__ import annotations

import fcntl
import os
import pty
import re
import select
import struct
import subprocess
import sys
import termios
import threading
import time
import tty

import pytest

from e2e_support import Result, write_module

MODULE = {
    "go.mod": """
        module example.com/progress

        go 1.22
    """,
    "main.go": """
        package main

        import (
            "fmt"
            "os"

            "example.com/progress/lib"
        )

        func main() {
            fmt.Println(lib.Greet("progress"))
            fi, _ := os.Stderr.Stat()
            fmt.Fprintf(os.Stderr, "to stderr, terminal=%v\\n", fi.Mode()&os.ModeCharDevice != 0)
            os.Exit(3)
        }
    """,
    "lib/lib.go": """
        package lib

        import "context"

        //weave:span
        func greet(ctx context.Context, name string) string { return "hello " + name }

        func Greet(name string) string { return greet(context.Background(), name) }
    """,
    "broken/broken.go": """
        package broken

        func F() int { return "not an int" }
    """,
}

# One drawing of the line: carriage return, text, clear to the end of the line.
DRAW = re.compile(rb"\r([^\r\n\x1b]*)\x1b\[K")
QUIET = {"OTEL_SDK_DISABLED": "true"}


def tw(*args):
    return [sys.executable, "-m", "toolweave.cli", "go", *args]


def on_terminal(argv, cwd, env, timeout=1200) -> Result:
    """Run with stderr on a pseudo-terminal (200 columns, raw), stdout a pipe; stderr is
    returned as the raw bytes written (decoded as latin-1, byte for byte)."""
    master, slave = pty.openpty()
    tty.setraw(slave)
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 50, 200, 0, 0))
    proc = subprocess.Popen(argv, cwd=cwd, env=env, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                            stderr=slave)
    os.close(slave)
    out: list[bytes] = []
    reader = threading.Thread(target=lambda: out.append(proc.stdout.read()))
    reader.start()
    err, deadline, idle_since = bytearray(), time.monotonic() + timeout, None
    try:
        while time.monotonic() < deadline:
            ready, _, _ = select.select([master], [], [], 0.2)
            if ready:
                try:
                    chunk = os.read(master, 65536)
                except OSError:           # EIO: every writer has closed the terminal
                    break
                if not chunk:
                    break
                err += chunk
                idle_since = None
            elif proc.poll() is not None:
                idle_since = idle_since or time.monotonic()
                if time.monotonic() - idle_since > 1:
                    break
        else:
            proc.kill()
            pytest.fail(f"timed out: {argv}")
        code = proc.wait(timeout=60)
    finally:
        os.close(master)
    reader.join()
    return Result(code, out[0].decode(), bytes(err).decode("latin-1"))


def piped(argv, cwd, env) -> Result:
    proc = subprocess.run(argv, cwd=cwd, env=env, capture_output=True, timeout=1200)
    return Result(proc.returncode, proc.stdout.decode(), proc.stderr.decode("latin-1"))


def without_progress(stderr: str) -> str:
    return DRAW.sub(b"", stderr.encode("latin-1")).decode("latin-1")


def drawn(stderr: str) -> list[str]:
    return [m.group(1).decode("latin-1") for m in DRAW.finditer(stderr.encode("latin-1")) if m.group(1)]


def assert_no_residue(stderr: str) -> None:
    """The line is drawn only at the start of a line, and every drawing is replaced or
    cleared before anything else is written (and before the end)."""
    raw = stderr.encode("latin-1")
    for m in DRAW.finditer(raw):
        before = raw[:m.start()]
        assert not before or before.endswith((b"\n", b"\x1b[K")), f"drawn mid-line: {raw[m.start() - 80:m.end()]!r}"
        if m.group(1):
            assert raw[m.end():m.end() + 1] == b"\r", f"left on screen: {raw[m.start():m.end() + 80]!r}"


@pytest.fixture(scope="module")
def module(tmp_path_factory):
    return write_module(tmp_path_factory.mktemp("progress") / "m", MODULE)


@pytest.fixture(scope="module")
def env(runner, tmp_path_factory):
    # A fresh build cache: the first build really compiles (and the others reuse it).
    gocache = tmp_path_factory.mktemp("gocache")
    return {**runner.env, **QUIET, "GOCACHE": str(gocache)}


def planned(env, run):
    """`env` under a new replay key (the variable is not volatile), so `toolweave go` plans
    and weaves again instead of replaying the previous build's go command."""
    return {**env, "PROGRESS_TEST_RUN": run}


@pytest.fixture(scope="module")
def cold(module, env):
    """A cold `go build ./...` on a terminal: broken/ fails to compile while the line is up."""
    return on_terminal(tw("build", "./..."), module, planned(env, "cold"))


def test_a_cold_build_shows_weaving_and_compiles_and_leaves_go_output_unchanged(module, env, cold):
    reference = piped(tw("build", "./..."), module, planned(env, "reference"))
    assert reference.returncode == cold.returncode == 1
    assert "# example.com/progress/broken" in reference.stderr
    assert without_progress(cold.stderr) == reference.stderr
    assert cold.stdout == reference.stdout == ""
    lines = drawn(cold.stderr)
    assert any(line.startswith("toolweave: weaving package ") for line in lines), lines[:5]
    compiling = [line for line in lines if line.startswith("go build [") and "compiling package" in line]
    assert compiling, lines[-5:]
    assert re.search(r"compiling package \d+ of at most \d+: ", compiling[-1]), compiling[-1]
    assert_no_residue(cold.stderr)


def test_the_counting_toolexec_shares_the_build_cache(module, env, cold):
    """Everything the progress build compiled (through the shim) is a cache hit for the same
    build without it: `go build -x` compiles only the package that failed."""
    assert cold.returncode == 1
    again = piped(tw("build", "-x", "./..."), module, planned(env, "after-progress"))
    assert again.returncode == 1
    compiled = re.findall(r"/compile -o \S+ .*?-p (\S+) ", again.stderr)
    assert compiled == ["example.com/progress/broken"], compiled


def test_go_run_keeps_its_stdout_exit_status_and_terminal(module, env, cold):
    on_tty = on_terminal(tw("run", "."), module, planned(env, "run-tty"))
    reference = piped(tw("run", "."), module, planned(env, "run-pipe"))
    assert on_tty.returncode == reference.returncode == 1     # go run's own status for a failed program
    assert on_tty.stdout == reference.stdout == "hello progress\n"
    # go run's program inherits the terminal, so only toolweave's phases are shown
    assert any(line.startswith("toolweave: weaving package ") for line in drawn(on_tty.stderr))
    assert not any(line.startswith("go run") for line in drawn(on_tty.stderr))
    assert without_progress(on_tty.stderr) == reference.stderr.replace("terminal=false", "terminal=true")
    assert "to stderr, terminal=true\nexit status 3\n" in on_tty.stderr
    assert_no_residue(on_tty.stderr)


def test_nothing_extra_when_turned_off_or_not_a_terminal(module, env, cold):
    off = on_terminal(tw("build", "./..."), module, {**planned(env, "off"), "TOOLWEAVE_PROGRESS": "0"})
    reference = piped(tw("build", "./..."), module, planned(env, "reference-2"))
    plain = piped(["go", "build", "./..."], module, {k: v for k, v in env.items() if k != "GOCACHE"})
    assert off.returncode == reference.returncode == plain.returncode == 1
    assert off.stderr == reference.stderr == plain.stderr
    assert "\r" not in off.stderr and "\x1b" not in off.stderr
