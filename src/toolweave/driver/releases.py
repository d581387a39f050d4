"""Aspect files that reach into internals of a library version (`meta.library.strict`, e.g.
gls.yml into package runtime): a build with a version outside their range fails, naming it,
before anything is woven: a wrong offset or a renamed function would otherwise surface as a
crash or a link error.
"""

from __future__ import annotations

import os
import re

#: How to leave a strict aspect file out of a build, by file name.
_SWITCHES = {"gls.yml": "gls: false in toolweave.yml, or TOOLWEAVE_GLS=0"}
_RELEASE = re.compile(r"^go(\d+)\.(\d+)")


def release_of(version: str) -> tuple[int, int] | None:
    """(1, 26) from "go1.26.8", "go1.26", "go1.27rc1"; None if it is not one."""
    m = _RELEASE.match(version or "")
    return (int(m.group(1)), int(m.group(2))) if m else None


def toolchain_version(go: str) -> str:
    """The version of the toolchain `go` runs (its GOROOT's VERSION file's first line)."""
    goroot = os.path.dirname(os.path.dirname(os.path.realpath(go)))
    try:
        with open(os.path.join(goroot, "VERSION")) as f:
            return f.readline().strip()
    except OSError:
        return ""


def strict_std(aspects) -> list[tuple[str, str, str, str]]:
    """(aspect file, package, min, max) of every strict aspect file on a standard-library
    package with Go releases as versions."""
    out = []
    for file, meta in aspects.meta:
        library = (meta or {}).get("library") or {}
        module, versions = library.get("module") or "", library.get("versions") or {}
        if library.get("strict") and "." not in module.split("/", 1)[0] and release_of(versions.get("min", "")):
            out.append((file, module, versions["min"], versions.get("max", versions["min"])))
    return out


def unsupported(aspects, package: str, version: str) -> str | None:
    """The build error for compiling `package` with Go `version` under these aspects, or
    None when no strict aspect file is about it or the release is in range."""
    have = release_of(version)
    for file, module, low, high in strict_std(aspects):
        if module != package:
            continue
        if have is None or not (release_of(low) <= have <= release_of(high)):
            name = os.path.basename(file)
            return (f"{name} weaves into package {module} of Go {low.removeprefix('go')} to "
                    f"{high.removeprefix('go')} only; this build uses {version or 'an unknown Go version'}: "
                    f"build with a supported release, or turn it off ({_SWITCHES.get(name, 'leave it out of toolweave.yml')})")
    return None
