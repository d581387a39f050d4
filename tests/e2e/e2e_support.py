"""Helpers for the end-to-end tests (a uniquely named module: `conftest` names clash)."""

from __future__ import annotations

import hashlib
import subprocess
import sys
import textwrap
from dataclasses import dataclass
from pathlib import Path

from toolweave.otlp.receiver import Receiver


@dataclass
class Result:
    returncode: int
    stdout: str
    stderr: str

    def check(self) -> "Result":
        assert self.returncode == 0, f"exit {self.returncode}\nstdout:\n{self.stdout}\nstderr:\n{self.stderr}"
        return self


class Runner:
    """Runs toolweave and go in a module directory with a controlled environment."""

    def __init__(self, env: dict):
        self.env = env

    def toolweave(self, *args, cwd, env=None, timeout=600) -> Result:
        return self._run([sys.executable, "-m", "toolweave.cli", *args], cwd, env, timeout)

    def build(self, mode: str, verb: str, *args, cwd, env=None, timeout=900) -> Result:
        """`go verb args…` with weaving, the way `mode` builds (buildmodes.MODES)."""
        import buildmodes

        proc = buildmodes.go(mode, verb, args, cwd, {**self.env, **(env or {})}, timeout)
        return Result(proc.returncode, proc.stdout, proc.stderr)

    def go(self, *args, cwd, env=None, timeout=600) -> Result:
        return self._run(["go", *args], cwd, env, timeout)

    def run(self, argv, cwd, env=None, timeout=120) -> Result:
        return self._run(list(argv), cwd, env, timeout)

    def _run(self, argv, cwd, env, timeout) -> Result:
        proc = subprocess.run(argv, cwd=cwd, env={**self.env, **(env or {})}, capture_output=True,
                              text=True, timeout=timeout)
        return Result(proc.returncode, proc.stdout, proc.stderr)


def write_module(root: Path, files: dict[str, str]) -> Path:
    """Write a module: {relative path: text (dedented)}."""
    for rel, text in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text).lstrip("\n"))
    return root


# A go.work workspace: module example.com/app (its main.go is the caller's) uses
# example.com/lib, whose Greet carries //weave:span.
WORKSPACE = {
    "go.work": "go 1.22\n\nuse (\n\t./app\n\t./lib\n)\n",
    "lib/go.mod": "module example.com/lib\n\ngo 1.22\n",
    "lib/lib.go": """
        package lib

        import "context"

        //weave:span
        func Greet(ctx context.Context, name string) string { return "hello " + name }
    """,
    "app/go.mod": "module example.com/app\n\ngo 1.22\n\nrequire example.com/lib v0.0.0\n",
}


def write_workspace(root: Path, main_go: str) -> Path:
    """Write WORKSPACE with app/main.go = main_go (dedented); returns the workspace root."""
    return write_module(root, {**WORKSPACE, "app/main.go": main_go})


def tree_hashes(root: Path) -> dict[str, str]:
    """sha256 of every file under root (the pristine-tree check)."""
    return {str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(root.rglob("*")) if p.is_file()}


def otel_env(receiver: Receiver, **extra) -> dict:
    env = dict(receiver.env())
    env.update(OTEL_BSP_SCHEDULE_DELAY="100", OTEL_METRIC_EXPORT_INTERVAL="500", OTEL_BLRP_SCHEDULE_DELAY="100")
    env.update(extra)
    return env
