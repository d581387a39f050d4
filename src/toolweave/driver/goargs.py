"""Splitting a `go <verb> …` command line into what the plan needs and what passes through.

All user arguments pass to the real go command untouched; we only read the build flags that
change what is compiled (`-tags`, `-mod`, `-C`, `-race`, …) to plan with the same ones.
"""

from __future__ import annotations

from dataclasses import dataclass

#: Build flags that take a value (go help build), which `go list` must see too.
VALUE_FLAGS = frozenset({
    "-asmflags", "-buildmode", "-buildvcs", "-compiler", "-gccgoflags", "-gcflags", "-installsuffix",
    "-ldflags", "-mod", "-modfile", "-overlay", "-pgo", "-pkgdir", "-tags", "-toolexec", "-covermode",
    "-coverpkg", "-p", "-C", "-o",
})
BOOL_FLAGS = frozenset({
    "-a", "-race", "-msan", "-asan", "-cover", "-linkshared", "-modcacherw", "-trimpath", "-work",
    "-n", "-x", "-v",
})
#: Flags of ours that `go list` must not see (they only affect the final command).
NOT_FOR_LIST = frozenset({"-o", "-n", "-x", "-v", "-work", "-a", "-p", "-toolexec", "-pgo"})
#: `go test` flags that take a value (the rest of test flags are passed to the binary).
TEST_VALUE_FLAGS = frozenset({
    "-run", "-bench", "-benchtime", "-count", "-cpu", "-parallel", "-timeout", "-coverprofile",
    "-cpuprofile", "-memprofile", "-blockprofile", "-mutexprofile", "-trace", "-outputdir", "-exec",
    "-memprofilerate", "-blockprofilerate", "-mutexprofilefraction", "-fuzzminimizetime", "-fuzzcachedir",
    "-json", "-list", "-skip", "-shuffle", "-fuzz", "-fuzztime", "-benchmem", "-failfast", "-short",
    "-vet", "-fullpath",
})


@dataclass(frozen=True)
class GoCommand:
    verb: str
    build_flags: tuple[tuple[str, str | None], ...]   # (flag, value) in order
    packages: tuple[str, ...]
    rest: tuple[str, ...]          # program args (run) or test-binary args (test)
    argv: tuple[str, ...]          # everything after the verb, as given

    def without(self, *names: str) -> list[str]:
        """`argv` minus the given flags (and their values): for flags we merge ourselves."""
        out, skip = [], False
        for i, arg in enumerate(self.argv):
            if skip:
                skip = False
                continue
            name, eq, _ = arg.lstrip("-").partition("=")
            if arg.startswith("-") and "-" + name in names and i < self._flag_end():
                skip = not eq
                continue
            out.append(arg)
        return out

    def _flag_end(self) -> int:
        n = len(self.argv) - len(self.packages) - len(self.rest)
        return max(n, 0)

    def flag(self, name: str) -> str | None:
        """The last value given for a build flag ("" for a boolean flag), or None."""
        found = None
        for flag, value in self.build_flags:
            if flag == name:
                found = "" if value is None else value
        return found

    def list_flags(self) -> list[str]:
        """The build flags `go list` must see to plan the same build."""
        out = []
        for flag, value in self.build_flags:
            if flag in NOT_FOR_LIST or flag not in VALUE_FLAGS | BOOL_FLAGS:
                continue
            out.append(flag if value is None else f"{flag}={value}")
        return out


def parse(verb: str, args: list[str]) -> GoCommand:
    """Split `args` (after the verb). Flags may be `-f v`, `-f=v` or `--f=v`."""
    flags: list[tuple[str, str | None]] = []
    packages: list[str] = []
    rest: list[str] = []
    i = 0
    while i < len(args):
        arg = args[i]
        if arg == "--":
            rest.extend(args[i + 1:])
            break
        if arg.startswith("-") and not packages:
            name, eq, value = arg.lstrip("-").partition("=")
            name = "-" + name
            if name in VALUE_FLAGS or (verb == "test" and name in TEST_VALUE_FLAGS and not eq and name not in ("-short", "-failfast", "-benchmem", "-json", "-fullpath")):
                if not eq:
                    i += 1
                    value = args[i] if i < len(args) else ""
                flags.append((name, value))
            else:
                flags.append((name, value if eq else None))
            i += 1
            continue
        if verb == "run" and packages and not (packages[-1].endswith(".go") and arg.endswith(".go")):
            rest.extend(args[i:])      # program arguments
            break
        if verb == "test" and arg.startswith("-"):
            rest.extend(args[i:])
            break
        packages.append(arg)
        i += 1
    return GoCommand(verb, tuple(flags), tuple(packages), tuple(rest), tuple(args))
