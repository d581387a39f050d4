"""`toolweave pin`: write what the drop-in driver needs into the module itself.

Contract. For the module at `cwd` (module mode: no go.work in use, no vendor/ directory),
`plan()` computes, writing nothing in the module, the files that let a plain
`go build -toolexec 'toolweave toolexec' ./...` weave with no GOFLAGS, on any machine:

    .toolweave/runtime/**   a copy of toolweave's Go runtime module (toolweave.dev/runtime);
                            a directory whose name starts with "." is outside `./...`
    go.mod                  `require toolweave.dev/runtime <runtime.VERSION>`,
                            `replace toolweave.dev/runtime => ./.toolweave/runtime`, and what
                            the go command adds or raises for them (MVS only raises versions;
                            the go line rises to the runtime's, go 1.26.0)
    go.sum                  the sums those requirements need
    toolweave.tools.go      `//go:build tools` and blank imports of every non-standard package
                            woven code may add, so that `go mod tidy` keeps the requirements

Every path written is relative (no cache, no absolute path): the result is committable.
The packages are those of every aspect toolweave may apply in this module (the built-in
integrations whether switched on or not, test-bootstrap, toolweave.yml's own files), so
switching an integration on never needs a new pin.

Requirements are completed in a scratch copy of go.mod/go.sum (`-modfile`; the tools file
through `-overlay`, the runtime replaced by its cached copy): with `go mod tidy` when the
module was tidy before (so it stays tidy), else with `go list -mod=mod -deps` on the packages
(only what they need: pin never tidies what the user left untidy). `apply()` writes the
changed files, go.mod last. A second `plan()` with the same toolweave has no changes; with a
newer toolweave it updates the runtime copy (and removes files the runtime no longer has).

Refusals are PinError, one line naming the place: outside a module, in a workspace (pin
writes one module's go.mod, which a workspace build does not follow alone), with vendor/
(the requirements would have to be vendored too: `go mod vendor` rewrites vendor/).
"""

from __future__ import annotations

import dataclasses
import json
import os
import re
import tempfile
from dataclasses import dataclass

from . import runtime
from .cache import Cache, write_atomic, read_or_empty
from .goenv import GoEnv, go_env, run_go, split_goflags
from .langpin import go_line, version_key

PIN_DIR = ".toolweave"
RUNTIME_DIR = PIN_DIR + "/runtime"             # relative to the module root, "/"-separated
TOOLS_FILE = "toolweave.tools.go"
_PACKAGE = re.compile(rb"(?m)^package[ \t]+([A-Za-z_]\w*)")
_IGNORED = re.compile(rb"(?m)^//go:build[ \t]+ignore[ \t]*$")


class PinError(Exception):
    """The module cannot be pinned as asked; `str()` is one line for the user."""


@dataclass(frozen=True)
class Change:
    path: str                 # relative to the module root, "/"-separated
    before: bytes | None      # None: a new file
    after: bytes | None       # None: the file is removed

    @property
    def kind(self) -> str:
        return "new" if self.before is None else "removed" if self.after is None else "updated"


@dataclass(frozen=True)
class Requirements:
    """How go.mod's `require`s changed: (path, version) added and removed, (path, old, new) raised."""

    added: tuple[tuple[str, str], ...] = ()
    removed: tuple[tuple[str, str], ...] = ()
    raised: tuple[tuple[str, str, str], ...] = ()


@dataclass(frozen=True)
class PinPlan:
    root: str                          # the module's directory
    module: str                        # its module path
    changes: tuple[Change, ...]        # what apply() writes, go.mod last
    go_before: str                     # go.mod's go line now
    go_after: str                      # and after the pin
    requirements: Requirements
    completion: str                    # the go command that completed go.mod and go.sum

    @property
    def go_raised(self) -> bool:
        return version_key(self.go_after) > version_key(self.go_before)


def plan(cwd: str, environ: dict | None = None) -> PinPlan:
    """What pinning the module at `cwd` changes; nothing is written in the module."""
    goenv_, environ = _locate(cwd, environ)
    root = os.path.dirname(goenv_.gomod)
    packages = pinned_packages(root)
    tools = tools_file(root_package(root), packages)
    gomod, gosum = read_or_empty(goenv_.gomod), read_or_empty(os.path.join(root, "go.sum"))
    tidy = _is_tidy(root, environ)
    new_mod, new_sum = _complete(root, gomod, gosum, tools, packages, tidy, environ)
    desired = {**_runtime_changes(root), TOOLS_FILE: tools, "go.sum": new_sum or None, "go.mod": new_mod}
    return PinPlan(root, _module_path(gomod), _changes(root, desired), go_line(gomod), go_line(new_mod),
                   _requirements(gomod, new_mod, environ), "go mod tidy" if tidy else "go list -mod=mod")


def _changes(root: str, desired: dict[str, bytes | None]) -> tuple[Change, ...]:
    """The files whose bytes differ from `desired` (None: absent), in its order."""
    out = []
    for rel, data in desired.items():
        now = _read_or_none(os.path.join(root, *rel.split("/")))
        if now != data:
            out.append(Change(rel, now, data))
    return tuple(out)


def apply(p: PinPlan) -> None:
    """Write the plan's changes (in order: go.mod comes last, so an interrupted pin never
    leaves a go.mod that names files not written yet)."""
    for change in p.changes:
        path = os.path.join(p.root, *change.path.split("/"))
        if change.after is None:
            os.unlink(path)
            _remove_empty_dirs(os.path.dirname(path), p.root)
        else:
            write_atomic(path, change.after)


def _locate(cwd: str, environ: dict | None) -> tuple[GoEnv, dict]:
    """The module to pin, and the environment its go commands run in: the user's, less the
    GOFLAGS that would point them elsewhere (a generated -modfile from `toolweave env`,
    -toolexec, -mod=vendor)."""
    environ = dict(os.environ if environ is None else environ)
    environ["GOFLAGS"] = _own_goflags(environ.get("GOFLAGS", ""))
    env = go_env(cwd, environ)
    if not env.in_module:
        raise PinError(f"{os.path.abspath(cwd)}: not inside a Go module (no go.mod here or above)")
    if env.in_workspace:
        raise PinError(f"{env.gowork}: a go.work workspace is in use; pin writes one module's go.mod, which "
                       f"a workspace build does not follow alone: use `toolweave env` (it generates a go.work), "
                       f"or pin with GOWORK=off")
    vendor = os.path.join(os.path.dirname(env.gomod), "vendor")
    if os.path.isdir(vendor):
        raise PinError(f"{vendor}: the module vendors its dependencies, so the pinned requirements would have to "
                       f"be vendored too (`go mod vendor` rewrites vendor/), which pin does not do: build with "
                       f"`toolweave go build …`, which takes vendored modules from vendor/ as they are")
    return env, environ


def _own_goflags(goflags: str) -> str:
    keep = [f for f in split_goflags(goflags) if not f.startswith(("-modfile=", "-toolexec=", "-mod="))]
    return " ".join(f'"{f}"' if " " in f else f for f in keep)


def pinned_packages(root: str) -> tuple[str, ...]:
    """Every non-standard import path the aspects toolweave may apply in this module can
    add: the built-in integrations whether switched on or not, the optional test-bootstrap,
    and the aspect files toolweave.yml names."""
    from ..aspect import load_aspects
    from ..config import load_config

    config = dataclasses.replace(load_config(root), disabled=frozenset(), test_bootstrap=True)
    aspects = load_aspects(config.aspect_files("test"),
                           valid_marks=os.path.join(Cache().root, "schema-valid"))
    from .modfile import required_modules

    return tuple(sorted(runtime.needed_by(aspects.packages(), required_modules([os.path.join(root, "go.mod")]))))


def root_package(root: str) -> str:
    """The package name of the module root's Go files (the tools file must share it: `go
    mod tidy` reads every file whatever its build constraints), or "tools" without any."""
    for name in sorted(os.listdir(root)):
        if not name.endswith(".go") or name.endswith("_test.go") or name == TOOLS_FILE:
            continue
        with open(os.path.join(root, name), "rb") as f:
            data = f.read()
        m = _PACKAGE.search(data)
        if m and not _IGNORED.search(data, 0, m.start()):
            return m.group(1).decode()
    return "tools"


def tools_file(package: str, packages: tuple[str, ...]) -> bytes:
    """The tools file: never compiled (`tools` is no build tag anyone sets), read by `go mod
    tidy`, which honours no build constraint but `ignore`."""
    imports = "".join(f'\t_ "{p}"\n' for p in packages)
    return (f"// Code generated by toolweave pin. DO NOT EDIT.\n\n//go:build tools\n\n"
            f"// The packages that code woven by `go build -toolexec 'toolweave toolexec'` imports:\n"
            f"// importing them here keeps their requirements in go.mod through `go mod tidy`.\n"
            f"package {package}\n\nimport (\n{imports})\n").encode()


def _runtime_changes(root: str) -> dict[str, bytes | None]:
    """The runtime copy as it must be: every file of toolweave's runtime source, and None
    for each file of an older copy the runtime no longer has."""
    want = _tree(runtime.source_dir())
    have = _tree(os.path.join(root, *RUNTIME_DIR.split("/")))
    out: dict[str, bytes | None] = {f"{RUNTIME_DIR}/{rel}": data for rel, data in want.items()}
    out.update({f"{RUNTIME_DIR}/{rel}": None for rel in have if rel not in want})
    return out


def _tree(directory: str) -> dict[str, bytes]:
    out = {}
    for base, dirs, files in os.walk(directory):
        dirs.sort()
        for name in sorted(files):
            path = os.path.join(base, name)
            with open(path, "rb") as f:
                out[os.path.relpath(path, directory).replace(os.sep, "/")] = f.read()
    return out


def _is_tidy(root: str, environ: dict) -> bool:
    """Whether `go mod tidy` would leave the module as it is (a failure counts as no)."""
    import subprocess

    from .goenv import go_binary

    proc = subprocess.run([go_binary(environ), "mod", "tidy", "-diff"], cwd=root, env=environ,
                          capture_output=True)
    return proc.returncode == 0


def _complete(root: str, gomod: bytes, gosum: bytes, tools: bytes, packages: tuple[str, ...], tidy: bool,
              environ: dict) -> tuple[bytes, bytes]:
    """go.mod and go.sum with the runtime required and everything it needs, completed in a
    scratch directory against the cached runtime copy, then `replace`d to the module's own."""
    cached = runtime.runtime_dir(Cache())
    with tempfile.TemporaryDirectory(prefix="toolweave-pin-") as scratch:
        modfile = os.path.join(scratch, "go.mod")
        _write(modfile, gomod)
        _write(os.path.join(scratch, "go.sum"), gosum)
        flag = f"-modfile={modfile}"
        libs = sorted({n for n in map(runtime.lib_name, packages) if n})
        glue = [arg for n in libs for arg in (f"-require={runtime.lib_module(n)}@{runtime.VERSION}",
                                               f"-replace={runtime.lib_module(n)}={runtime.lib_dir(cached, n)}")]
        run_go(["mod", "edit", f"-require={runtime.MODULE}@{runtime.VERSION}",
                f"-replace={runtime.MODULE}={cached}", *glue, modfile], cwd=root, env=environ)
        if tidy:
            overlay = os.path.join(scratch, "overlay.json")
            _write(os.path.join(scratch, TOOLS_FILE), tools)
            _write(overlay, json.dumps({"Replace": {os.path.join(root, TOOLS_FILE):
                                                    os.path.join(scratch, TOOLS_FILE)}}).encode())
            run_go(["mod", "tidy", flag, f"-overlay={overlay}"], cwd=root, env=environ)
        else:
            run_go(["list", "-mod=mod", flag, "-deps", *packages], cwd=root, env=environ)
        local = [f"-replace={runtime.lib_module(n)}=./{RUNTIME_DIR}/libs/{n}" for n in libs]
        run_go(["mod", "edit", f"-replace={runtime.MODULE}=./{RUNTIME_DIR}", *local, modfile], cwd=root, env=environ)
        return read_or_empty(modfile), read_or_empty(os.path.join(scratch, "go.sum"))


def _requirements(before: bytes, after: bytes, environ: dict) -> Requirements:
    old, new = _requires(before, environ), _requires(after, environ)
    return Requirements(
        added=tuple((p, v) for p, v in sorted(new.items()) if p not in old),
        removed=tuple((p, v) for p, v in sorted(old.items()) if p not in new),
        raised=tuple((p, old[p], v) for p, v in sorted(new.items()) if p in old and old[p] != v),
    )


def _requires(gomod: bytes, environ: dict) -> dict[str, str]:
    with tempfile.TemporaryDirectory(prefix="toolweave-pin-") as scratch:
        path = os.path.join(scratch, "go.mod")
        _write(path, gomod)
        info = json.loads(run_go(["mod", "edit", "-json", path], cwd=scratch, env=environ))
    return {r["Path"]: r["Version"] for r in info.get("Require") or []}


def _module_path(gomod: bytes) -> str:
    m = re.search(rb"(?m)^module[ \t]+\"?([^\s\"]+)", gomod)
    return m.group(1).decode() if m else ""


def stale_runtime_copy(module_dir: str) -> str | None:
    """The module's pinned runtime copy, if it has one and it is not this toolweave's runtime
    (woven code is written against this one); else None."""
    copy = os.path.join(module_dir, *RUNTIME_DIR.split("/"))
    if not os.path.isfile(os.path.join(copy, "go.mod")):
        return None
    return copy if runtime._fingerprint(copy) != runtime.fingerprint() else None


def _remove_empty_dirs(directory: str, root: str) -> None:
    while directory != root and os.path.isdir(directory) and not os.listdir(directory):
        os.rmdir(directory)
        directory = os.path.dirname(directory)


def _write(path: str, data: bytes) -> None:
    with open(path, "wb") as f:
        f.write(data)


def _read_or_none(path: str) -> bytes | None:
    try:
        with open(path, "rb") as f:
            return f.read()
    except (FileNotFoundError, NotADirectoryError):
        return None
