"""The three ways a user builds with toolweave, for tests that must hold in each:

    frontend  toolweave go <verb> …
    toolexec  go <verb> -toolexec '<toolweave> toolexec' …, after `toolweave env` (whose
              GOFLAGS bring the generated module file; its -toolexec, the launcher, is
              left out): every tool call goes through Python
    goflags   go <verb> …, with GOFLAGS exactly as `toolweave env` prints them: every tool
              call goes through the launcher (driver/launcher.py), Python only when needed

`go(mode, verb, args, cwd, env)` returns the CompletedProcess of the build.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys

import pytest

MODES = ("frontend", "toolexec", "goflags")
DROP_IN = MODES[1:]

# CI runs a representative subset of the build-mode matrix (its time is a budget);
# scripts/test-matrix sets this and runs the rest.
FULL_MATRIX = os.environ.get("TOOLWEAVE_FULL_MATRIX") == "1"


def full_matrix_only(why: str) -> None:
    """Skips the running test outside the full matrix, saying why it is left to it."""
    if not FULL_MATRIX:
        pytest.skip(f"{why}: scripts/test-matrix runs it")


def toolexec_command() -> list[str]:
    """The drop-in driver's command, as `toolweave env` names it."""
    from toolweave.driver.envsetup import toolexec_command as command

    return command()


def dropin_env(cwd, env: dict) -> dict:
    """The variables `toolweave env --format json` prints for the module at cwd."""
    proc = subprocess.run([sys.executable, "-m", "toolweave.cli", "env", "--format", "json"], cwd=cwd, env=env,
                          capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, f"toolweave env failed:\n{proc.stderr}"
    return json.loads(proc.stdout)


def argv_and_env(mode: str, verb: str, args, cwd, env: dict) -> tuple[list[str], dict]:
    """The command line and environment of a build in `mode`."""
    if mode == "frontend":
        return [sys.executable, "-m", "toolweave.cli", "go", verb, *args], env
    variables = dropin_env(cwd, env)
    goflags = variables.pop("GOFLAGS")
    out_env = {**env, **variables}
    go = shutil.which("go", path=env.get("PATH"))
    if mode == "goflags":
        return [go, verb, *args], {**out_env, "GOFLAGS": goflags}
    fields = _goflags_fields(goflags)
    rest = " ".join(f'"{f}"' if " " in f else f for f in fields if not f.startswith("-toolexec="))
    toolexec = "-toolexec=" + " ".join(toolexec_command())
    return [go, verb, toolexec, *args], {**out_env, "GOFLAGS": rest}


def _goflags_fields(goflags: str) -> list[str]:
    import shlex

    return shlex.split(goflags)


def go(mode: str, verb: str, args, cwd, env: dict, timeout: int = 900) -> subprocess.CompletedProcess:
    argv, run_env = argv_and_env(mode, verb, list(args), cwd, env)
    return subprocess.run(argv, cwd=cwd, env=run_env, capture_output=True, text=True, timeout=timeout)

