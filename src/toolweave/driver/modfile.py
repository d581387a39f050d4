"""The generated module file: the user's go.mod plus our requirements, never the user's own.

Module mode: a copy of go.mod/go.sum (or of the user's -modfile) with a requirement on the
runtime module, `replace`d to its cached copy and to woven module copies; `go list -mod=mod`
on the added imports then completes requirements and sums in the copy (MVS only raises
versions, so a newer OpenTelemetry of the user's stays). Workspace mode: a generated go.work
that uses the user's modules and the runtime module.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field

from . import runtime
from .cache import Cache, digest, read_or_empty
from .goenv import GoEnv, run_go
from .langpin import go_line


@dataclass(frozen=True)
class ModSetup:
    flag: str                # "-modfile=…" for the go command, or "" (workspace: env only)
    env: dict                # extra environment (GOWORK=… in workspace mode)
    go_before: str           # the main module's go line as the user wrote it
    go_after: str            # the go line the build will use
    # Vendored builds (vendor.py): the -mod flag the go command must get instead of the
    # user's, overlay entries that make vendor/ directories modules, and the conflicts.
    mod: str = ""
    overlay: dict = field(default_factory=dict)
    conflicts: tuple = ()


@dataclass(frozen=True)
class Roots:
    """What the build loads: the user's list flags, patterns and whether tests are in."""

    flags: tuple[str, ...]
    patterns: tuple[str, ...]
    test: bool

    def list_args(self) -> list[str]:
        return [*self.flags, *(["-test"] if self.test else []), *self.patterns]


def prepare(env: GoEnv, cache: Cache, imports: set[str], replaces: dict[str, str], cwd: str,
            user_modfile: str | None, go_env: dict, roots: Roots, vendor=None) -> ModSetup:
    """Generate (or reuse) the module file for a build that adds `imports` and replaces
    module paths by woven copies (`replaces`: module path -> directory). Requirements and
    sums are completed by loading the build's own roots plus the added imports: MVS may
    raise a version the user's go.sum has no hash for. With `vendor` (a vendor.Vendor) the
    vendored modules are replaced by their vendor/ directories (vendor.py)."""
    rt = runtime.runtime_dir(cache) if any(runtime.is_runtime_import(p) for p in imports) else ""
    if env.in_workspace:
        return _workspace(env, cache, rt, imports, replaces, cwd, go_env, roots, vendor)
    gomod_path = user_modfile or env.gomod
    with open(gomod_path, "rb") as f:
        gomod = f.read()
    gosum = read_or_empty(gomod_path[:-len(".mod")] + ".sum" if gomod_path.endswith(".mod") else gomod_path + ".sum")
    key = digest("modfile", gomod, gosum, rt, sorted(imports), sorted(replaces.items()), env.goversion,
                 roots.list_args(), cwd, *((vendor.dir, vendor.text) if vendor else ()))

    wants_runtime = any(runtime.is_runtime_import(p) for p in imports)

    def fill(tmp):
        text = gomod.decode()
        # A module pinned by `toolweave pin` requires and replaces the runtime itself: ours
        # (this toolweave's copy) takes its place, or the go command sees two replacements.
        lines = [(_without_runtime(text) if wants_runtime else text).rstrip("\n"), ""]
        sums = gosum
        if wants_runtime:
            # The runtime's go.mod is tidy: its requirements are exactly what its packages
            # need, which a main module at go >= 1.17 must list too. MVS keeps the user's
            # newer versions; their sums are in the user's go.sum already.
            lines += [f"require {runtime.MODULE} {runtime.VERSION}", f"replace {runtime.MODULE} => {rt}"]
            lines += _require_blocks(read_or_empty(os.path.join(rt, "go.mod")).decode())
            sums = _merge_sums(gosum, read_or_empty(os.path.join(rt, "go.sum")))
            for name in _libs(imports):     # glue of the libraries woven code instruments
                glue = runtime.lib_dir(rt, name)
                lines += [f"require {runtime.lib_module(name)} {runtime.VERSION}",
                          f"replace {runtime.lib_module(name)} => {glue}"]
                lines += _require_blocks(read_or_empty(os.path.join(glue, "go.mod")).decode())
                sums = _merge_sums(sums, read_or_empty(os.path.join(glue, "go.sum")))
        lines += [f"replace {mod} => {path}" for mod, path in sorted(replaces.items())]
        with open(os.path.join(tmp, "go.mod"), "w") as f:
            f.write("\n".join(lines) + "\n")
        with open(os.path.join(tmp, "go.sum"), "wb") as f:
            f.write(sums)
        args = roots.list_args()
        if vendor is not None:
            from . import vendor as vendoring

            modfile = os.path.join(tmp, "go.mod")
            args = vendoring.route(vendor, tmp, ["-mod=mod", f"-modfile={modfile}"], ["mod", "edit", modfile],
                                   roots, sorted(imports), cwd, go_env, cache)
        if imports:
            # Completes requirements and go.sum in the copy (paths inside are absolute, so
            # the directory can be renamed into place afterwards).
            run_go(["list", "-mod=mod", f"-modfile={os.path.join(tmp, 'go.mod')}", "-deps",
                    *args, *sorted(imports)], cwd=cwd, env=go_env)

    out = cache.directory("modfile", key, fill)
    with open(os.path.join(out, "go.mod"), "rb") as f:
        after = go_line(f.read())
    vendored = {}
    if vendor is not None:
        from . import vendor as vendoring

        vendored = vendoring.load(out)
    return ModSetup(f"-modfile={os.path.join(out, 'go.mod')}", {}, go_line(gomod), after, **vendored)


def _workspace(env, cache, rt, imports, replaces, cwd, go_env, roots, vendor=None) -> ModSetup:
    with open(env.gowork, "rb") as f:
        work = f.read().decode()
    base = os.path.dirname(env.gowork)
    uses = _work_uses(work, base)
    key = digest("gowork", work, sorted(uses), rt, sorted(imports), sorted(replaces.items()), env.goversion,
                 roots.list_args(), cwd, *((vendor.dir, vendor.text) if vendor else ()))

    def fill(tmp):
        extra = [rt, *(runtime.lib_dir(rt, n) for n in _libs(imports))] if rt else []
        version = _max_go(work, [os.path.join(u, "go.mod") for u in uses + extra])
        text = [f"go {version}", "", "use ("] + [f"\t{u}" for u in uses + extra] + [")"]
        text += [f"replace {mod} => {path}" for mod, path in sorted(replaces.items())]
        text += [f"replace {mod} {version} => {path}" for mod, version, path in _pinned_workspace_modules(uses, go_env)]
        with open(os.path.join(tmp, "go.work"), "w") as f:
            f.write("\n".join(text) + "\n")
        sums = read_or_empty(env.gowork + ".sum")
        with open(os.path.join(tmp, "go.work.sum"), "wb") as f:
            f.write(sums)
        work_env = {**go_env, "GOWORK": os.path.join(tmp, "go.work")}
        args = roots.list_args()
        if vendor is not None:
            from . import vendor as vendoring

            args = vendoring.route(vendor, tmp, [], ["work", "edit", os.path.join(tmp, "go.work")], roots,
                                   sorted(imports), cwd, work_env, cache)
        # Loads what the build will load: proves the workspace resolves (a failure here is
        # clearer than one in the middle of the build).
        run_go(["list", "-deps", *args, *sorted(imports)], cwd=cwd, env=work_env)

    out = cache.directory("gowork", key, fill)
    vendored = {}
    if vendor is not None:
        from . import vendor as vendoring

        vendored = vendoring.load(out)
    return ModSetup("", {"GOWORK": os.path.join(out, "go.work")}, "", "", **vendored)


def replace_target(path: str, version: str) -> str:
    """The left side of the `replace` of a woven module copy: the module at the version it
    was woven from (a module without a version, e.g. replaced by a directory: every version)."""
    return f"{path} {version}" if version else path


def raised_copies(setup: ModSetup, copies) -> list[str]:
    """Why each woven module copy (`copies`: modules with .path and .version) is not what the
    build uses: the generated module file selects another version of it, raised by the
    runtime's requirements (its require lines name the selected versions: the go command
    completed them). Empty when every copy is used."""
    if not setup.flag.startswith("-modfile="):
        return []
    # only require directives: a replace block names the woven version too
    selected = {path: version for path, version, _ in
                _requirements(read_or_empty(setup.flag[len("-modfile="):]).decode(errors="replace"))}
    out = []
    for module in sorted(copies, key=lambda m: m.path):
        raised = selected.get(module.path, module.version)
        if module.version and raised != module.version:
            out.append(f"{module.path} was woven at {module.version}, but toolweave's runtime requirements raise it to "
                       f"{raised}, which builds unwoven; require {module.path} {raised} in go.mod to have it woven")
    return out


def _libs(imports) -> list[str]:
    """The glue modules (runtime.lib_name) the imports come from."""
    return sorted({n for n in map(runtime.lib_name, imports) if n})


def _without_runtime(gomod: str) -> str:
    """go.mod text less its `require`/`replace` lines (single or in a block) for the runtime."""
    return re.sub(rf"(?m)^[ \t]*(?:(?:require|replace)[ \t]+)?{re.escape(runtime.MODULE)}(?:/libs/\S+)?[ \t].*\n?", "",
                  gomod)


def required_modules(gomods: list[str]) -> set[str]:
    """The module paths the go.mod files at `gomods` require (directly or `// indirect`): at
    go >= 1.17 every module that provides a package to the module's build is listed."""
    return {module for path in gomods for module, _ in go_requires(read_or_empty(path).decode(errors="replace"))}


_REQUIRE_BLOCK = re.compile(r"(?ms)^require\s*\(.*?^\)")
_REQUIRE_LINE = re.compile(r"(?m)^require\s+[^(\s].*$")


def _require_blocks(gomod: str) -> list[str]:
    """The `require` directives of a go.mod, as lines to append to another."""
    return _REQUIRE_BLOCK.findall(gomod) + _REQUIRE_LINE.findall(gomod)


def go_requires(gomod: str) -> list[tuple[str, bool]]:
    """(module path, whether `// indirect`) of every requirement in go.mod text."""
    return [(path, indirect) for path, _, indirect in _requirements(gomod)]


def _requirements(gomod: str) -> list[tuple[str, str, bool]]:
    """(module path, version, whether `// indirect`) of every requirement in go.mod text."""
    out = []
    for directive in _require_blocks(gomod):
        for line in directive.splitlines():
            words = line.split("//", 1)[0].split()
            words = words[1:] if words[:1] == ["require"] else words
            if words and words[0] not in ("(", ")"):
                out.append((words[0], words[1] if len(words) > 1 else "", "// indirect" in line))
    return out


def _merge_sums(*sums: bytes) -> bytes:
    lines = dict.fromkeys(line for s in sums for line in s.splitlines() if line.strip())
    return b"\n".join(lines) + b"\n" if lines else b""


def _pinned_workspace_modules(uses: list[str], go_env: dict) -> list[tuple[str, str, str]]:
    """(module, version, dir) for every version at which one workspace module requires
    another. The go command satisfies those from the workspace, until a module outside it
    (our runtime) makes it load the full graph: then it reads that version's go.mod from the
    proxy. A version-specific replace keeps it in the workspace."""
    import json

    mods = {}
    for use in uses:
        info = json.loads(run_go(["mod", "edit", "-json", os.path.join(use, "go.mod")], env=go_env))
        mods[use] = info
    dirs = {info["Module"]["Path"]: use for use, info in mods.items()}
    out = set()
    for info in mods.values():
        for req in info.get("Require") or []:
            if req["Path"] in dirs:
                out.add((req["Path"], req["Version"], dirs[req["Path"]]))
    return sorted(out)


def _work_uses(work: str, base: str) -> list[str]:
    uses = []
    block = re.search(r"use\s*\((.*?)\)", work, re.S)
    entries = block.group(1).split() if block else []
    entries += re.findall(r"(?m)^use\s+([^\s(]\S*)\s*$", work)
    for e in entries:
        e = e.strip('"')
        uses.append(os.path.normpath(e if os.path.isabs(e) else os.path.join(base, e)))
    return uses


def _max_go(work: str, gomods: list[str]) -> str:
    from .langpin import version_key

    versions = [go_line(work.encode())] + [go_line(read_or_empty(p)) for p in gomods]
    return max((v for v in versions if v), key=version_key, default="1.22")
