"""A tool invocation of the go command, as `-toolexec` hands it over, and its importcfg.

The go command runs `<toolexec…> /path/to/pkg/tool/GOOS_GOARCH/compile -o … -p path … -importcfg
$WORK/bNNN/importcfg -pack a.go b.go` (cmd/go/internal/work/gc.go: flags first, the Go files
last, as absolute paths). Only what weaving needs is read here; every other argument passes
through untouched, in its place. Standard library only: this is on every tool call's path.
"""

from __future__ import annotations

import os
from dataclasses import dataclass

#: compile flags that take their value as the next argument (cmd/compile's flag set; a
#: `-flag=value` form needs no entry). Values of unknown flags are never mistaken for files:
#: files are only the trailing arguments that end in ".go".
_COMPILE_VALUE_FLAGS = frozenset({
    "-o", "-p", "-trimpath", "-lang", "-buildid", "-goversion", "-importcfg", "-embedcfg", "-asmhdr",
    "-symabis", "-D", "-I", "-installsuffix", "-coveragecfg", "-pgoprofile", "-c", "-linkobj",
})


def tool_name(path: str) -> str:
    """`compile`, `link`, `asm`, `cgo`, `vet`… from the tool's path (`.exe` dropped)."""
    name = os.path.basename(path)
    return name[:-4] if name.endswith(".exe") else name


def is_version_probe(args: list[str]) -> bool:
    """`tool -V=full`: the go command asking for the tool's identity (cache keys)."""
    return args == ["-V=full"]


@dataclass(frozen=True)
class Compile:
    """A compile call: its arguments, and where in them the files and flags are."""

    args: tuple[str, ...]
    first_file: int           # index of the first Go file in args

    @classmethod
    def parse(cls, args: list[str]) -> "Compile":
        first = len(args)
        while first > 0 and args[first - 1].endswith(".go") and not args[first - 1].startswith("-"):
            first -= 1
        return cls(tuple(args), first)

    @property
    def files(self) -> tuple[str, ...]:
        return self.args[self.first_file:]

    def flag(self, name: str) -> str | None:
        """The value of `-name v` or `-name=v` among the flags ("" for a bare boolean)."""
        found = None
        i = 0
        flags = self.args[:self.first_file]
        while i < len(flags):
            arg = flags[i]
            key, eq, value = arg.partition("=")
            if key == name:
                if eq:
                    found = value
                elif name in _COMPILE_VALUE_FLAGS and i + 1 < len(flags):
                    found = flags[i + 1]
                else:
                    found = ""
            if not eq and key in _COMPILE_VALUE_FLAGS:
                i += 1
            i += 1
        return found

    def with_changes(self, files: dict[str, str], flags: dict[str, str | None]) -> list[str]:
        """The arguments with files swapped (`files`: original -> replacement) and flags
        replaced (`flags`: name -> new value, or None to drop the flag)."""
        out: list[str] = []
        flag_args = self.args[:self.first_file]
        i = 0
        while i < len(flag_args):
            arg = flag_args[i]
            key, eq, _ = arg.partition("=")
            takes_next = not eq and key in _COMPILE_VALUE_FLAGS
            if key in flags:
                value = flags[key]
                if value is not None:
                    out.append(f"{key}={value}" if (eq or takes_next) else key)
                i += 2 if takes_next else 1
                continue
            out.append(arg)
            if takes_next and i + 1 < len(flag_args):
                out.append(flag_args[i + 1])
                i += 1
            i += 1
        out.extend(files.get(f, f) for f in self.files)
        return out


def link_importcfg(args: list[str]) -> str | None:
    """The `-importcfg` file of a link call."""
    for i, arg in enumerate(args):
        if arg == "-importcfg" and i + 1 < len(args):
            return args[i + 1]
        if arg.startswith("-importcfg="):
            return arg.split("=", 1)[1]
    return None


def read_importcfg(path: str) -> tuple[list[str], dict[str, str]]:
    """(the file's lines, {import path: archive} of its `packagefile` lines)."""
    with open(path, encoding="utf-8") as f:
        lines = f.read().splitlines()
    files = {}
    for line in lines:
        if line.startswith("packagefile "):
            path_, _, archive = line[len("packagefile "):].partition("=")
            files[path_.strip()] = archive.strip()
    return lines, files


def importcfg_importmap(lines: list[str]) -> dict[str, str]:
    """{source import path: package} of a compile's importcfg `importmap` lines (vendored
    and test-variant packages)."""
    out = {}
    for line in lines:
        if line.startswith("importmap "):
            source, _, target = line[len("importmap "):].partition("=")
            out[source.strip()] = target.strip()
    return out


def importcfg_imports(lines: list[str]) -> frozenset:
    """The import paths a compile's importcfg provides (packagefile and importmap sources)."""
    out = set()
    for line in lines:
        verb, _, rest = line.partition(" ")
        if verb in ("packagefile", "importmap"):
            out.add(rest.partition("=")[0].strip())
    return frozenset(out)
