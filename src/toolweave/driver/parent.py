"""The go command a `-toolexec` call runs under: its identity, directory and build flags.

The go command starts every tool as its own child, so the parent process is the build. Its
command line (read from /proc on Linux, from `ps` elsewhere) and the GOFLAGS every child
inherits are the flags a nested `go list` must repeat to plan the same packages the same way.
Standard library only.
"""

from __future__ import annotations

import os
import shlex
import subprocess
from dataclasses import dataclass

from .goargs import BOOL_FLAGS, VALUE_FLAGS, GoCommand, parse

#: Build flags that change what a package compiles to; the others (-o, -v, -x, -n, -work, -a,
#: -p, -C: the directory is the process's own) only change what the build prints or where it
#: puts its result, so a nested `go list` leaves them out. -toolexec stays: the nested build
#: must weave the standard library exactly as this one does, or archives would not match.
_NOT_NESTED = frozenset({"-o", "-v", "-x", "-n", "-work", "-a", "-p", "-C", "-json"})
NESTED_VERB = "TOOLWEAVE_NESTED_VERB"   # set in a nested go list's environment
_VERBS = ("build", "install", "run", "test", "vet", "list", "get", "generate", "tool")


@dataclass(frozen=True)
class ParentBuild:
    pid: int
    started: str              # the process's start time: with pid, the build's identity
    cwd: str
    command: GoCommand | None  # None when the command line could not be read
    go: str = ""               # the go command's executable (a nested go runs the same release)

    @property
    def identity(self) -> str:
        return f"{self.pid}:{self.started}"

    def nested_flags(self) -> list[str]:
        """The build flags of this build that a nested `go list` must repeat."""
        if self.command is None:
            return []
        out = []
        for flag, value in self.command.build_flags:
            if flag in _NOT_NESTED or flag not in VALUE_FLAGS | BOOL_FLAGS:
                continue
            out.append(flag if value is None else f"{flag}={value}")
        return out

    def modfile(self) -> str | None:
        """The -modfile in effect, absolute: GOFLAGS' unless the command line gives its own
        (the go command's precedence); None without one."""
        from .goenv import split_goflags

        flags = [*split_goflags(os.environ.get("GOFLAGS", "")), *self.nested_flags()]
        found = next((f.split("=", 1)[1] for f in reversed(flags) if f.startswith("-modfile=")), None)
        return os.path.join(self.cwd, found) if found else None

    @property
    def verb(self) -> str:
        """The build's verb; a nested `go list` reports the verb of the build it serves, so
        its tool calls load the same aspects (test-bootstrap under `go test`)."""
        return os.environ.get(NESTED_VERB) or (self.command.verb if self.command else "build")


def parent_build() -> ParentBuild:
    pid = os.getppid()
    argv, cwd, started = _process(pid)
    try:
        go = os.readlink(f"/proc/{pid}/exe")
    except OSError:
        go = ""
    if not os.path.basename(go).startswith("go"):
        go = ""          # not run by a go command (a script, a test): callers use PATH's go
    command = None
    if argv:
        args = argv[1:]
        verb_at = next((i for i, a in enumerate(args) if a in _VERBS), None)
        if verb_at is not None:
            command = parse(args[verb_at], args[verb_at + 1:])
    return ParentBuild(pid, started, cwd or os.getcwd(), command, go)


def _process(pid: int) -> tuple[list[str], str, str]:
    """(argv, cwd, start time) of a process; empty parts where the system will not say."""
    proc = f"/proc/{pid}"
    if os.path.isdir(proc):
        try:
            with open(f"{proc}/cmdline", "rb") as f:
                argv = [a.decode(errors="surrogateescape") for a in f.read().split(b"\0")[:-1]]
            with open(f"{proc}/stat", "rb") as f:
                # the command name (field 2) may hold spaces and parentheses: split after it
                started = f.read().rsplit(b")", 1)[1].split()[19].decode()
            return argv, os.readlink(f"{proc}/cwd"), started
        except OSError:
            pass
    try:
        out = subprocess.run(["ps", "-o", "lstart=,args=", "-p", str(pid)], capture_output=True, text=True).stdout
    except OSError:
        return [], "", ""
    # lstart is five words ("Wed Dec  2 22:31:26 2026"); args are not quoted, so this is
    # only right for arguments without spaces (macOS and BSD have no /proc).
    words = out.split()
    return shlex.split(" ".join(words[5:])) if len(words) > 5 else [], "", " ".join(words[:5])
