"""AspectError: a broken aspect file, located."""

from __future__ import annotations


class AspectError(Exception):
    """A malformed aspect. `str()` is the one line the user sees:
    `file:line: aspect "id": kind "k": message`."""

    def __init__(self, message: str, file: str = "", line: int = 0, aspect: str = "", kind: str = ""):
        self.message, self.file, self.line, self.aspect, self.kind = message, file, line, aspect, kind
        super().__init__(str(self))

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line else self.file or "<aspects>"
        parts = [where]
        if self.aspect:
            parts.append(f'aspect "{self.aspect}"')
        if self.kind:
            parts.append(f'kind "{self.kind}"')
        return ": ".join(parts + [self.message])


class SpecError(Exception):
    """Raised while building one kind from its YAML value; the loader adds the location."""

    def __init__(self, message: str, line: int = 0, kind: str = ""):
        self.message, self.line, self.kind = message, line, kind
        super().__init__(message)
