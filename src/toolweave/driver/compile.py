"""Weaving one compile call, and completing one link call, for the drop-in driver.

A compile: facts of the package from its arguments (import path from -p, imports from
-importcfg, name from the first file's package clause, place in the main module from the
files' directory), the same per-file weave and cache as the front end, woven files written
into the action's own directory (go removes it) with `//line original:1:1` in front, so every
position stays the original's. A link: the importcfg with the archives of every package
woven code may add. Nothing here runs for a compile that no aspect can match.
"""

from __future__ import annotations

import os
import re
import sys

from ..aspect.facts import PackageFacts
from .coverexec import with_line_header
from .dropin import DropIn
from .exports import ExportError, exports
from .langpin import version_key
from .links import FILE_NAME as LINKS_FILE, source as links_source
from .plan import PlanResult, weavable_path, weave_one
from .runtime import MODULE as RUNTIME_MODULE
from .toolcall import Compile, importcfg_importmap, importcfg_imports, read_importcfg

PRIVATE = "toolweave"            # subdirectory of the action's directory for our inputs
_PACKAGE = re.compile(rb"(?m)^package[ \t]+([A-Za-z_]\w*)")


class CompileError(Exception):
    """This compile cannot be woven as asked; `str()` is one line for the user."""


def weave_compile(ctx: DropIn, call: Compile) -> list[str] | None:
    """The compile's new arguments, or None to run it as given."""
    import_path = call.flag("-p") or ""
    if not ctx.aspect_files or not weavable_path(import_path, ctx.module.path if ctx.module else ""):
        return None
    _check_release(ctx, import_path)
    lines, packagefiles = read_importcfg(call.flag("-importcfg"))
    pf = _facts(ctx, call, import_path, importcfg_imports(lines))
    result = _weave(ctx, call, pf, lines, packagefiles)
    links = _links(ctx, call, pf) if result.woven and pf.name == "main" else ()
    if not result.woven:
        return None
    private = os.path.join(os.path.dirname(call.flag("-o")), PRIVATE)
    os.makedirs(private, exist_ok=True)
    swaps = {wf.path: _write(private, os.path.basename(wf.path), with_line_header(wf.data, wf.path))
             for wf in result.woven}
    extra = [_write(private, LINKS_FILE, links_source("main", links))] if links else []
    # unsafe has no archive and no importcfg line: the compiler provides it
    added = (result.imports | set(links)) - pf.imports - {"unsafe"}
    flags: dict[str, str | None] = {"-complete": None}    # woven code may declare bodyless hooks
    if added:
        flags["-importcfg"] = _importcfg(ctx, private, lines, added)
    lang = _language(ctx, call, pf)
    if lang:
        flags["-lang"] = lang
    return call.with_changes(swaps, flags) + extra


def _check_release(ctx: DropIn, import_path: str) -> None:
    """CompileError when a strict aspect file reaches into this package and this Go release
    is not one it supports (driver/releases.py)."""
    from .goenv import go_binary
    from .releases import strict_std, toolchain_version, unsupported

    if not any(module == import_path for _, module, _, _ in strict_std(ctx.aspects)):
        return                          # no strict file is about it: the toolchain is not read
    error = unsupported(ctx.aspects, import_path, toolchain_version(ctx.parent.go or go_binary()))
    if error:
        raise CompileError(error)


def _facts(ctx: DropIn, call: Compile, import_path: str, imports: frozenset) -> PackageFacts:
    work = os.path.dirname(os.path.dirname(call.flag("-o")))
    real = [f for f in call.files if not f.startswith(work + os.sep)]
    pkg_dir = os.path.dirname(real[0]) if real else ""
    module = ctx.module
    rel = _module_rel(module.dir, pkg_dir) if module and pkg_dir else ""
    return PackageFacts(
        import_path=import_path, name=_package_name(call.files[0]), imports=imports,
        main_module=module.path if module else "", module_rel=rel,
        test_main=any(os.path.basename(f) == "_testmain.go" for f in call.files),
        go_version=module.go_version if rel else "",
    )


def _module_rel(module_dir: str, pkg_dir: str) -> str:
    """The package directory relative to the main module's, "" when the package is not the
    main module's: outside its tree, under vendor/, or in a module nested in it (a go.mod
    between them, e.g. a dependency replaced by ./sub)."""
    if pkg_dir == module_dir:
        return "."
    if not pkg_dir.startswith(module_dir + os.sep):
        return ""
    rel = os.path.relpath(pkg_dir, module_dir).replace(os.sep, "/")
    if rel == "vendor" or rel.startswith("vendor/"):
        return ""
    d = pkg_dir
    while d != module_dir:
        if os.path.isfile(os.path.join(d, "go.mod")):
            return ""
        d = os.path.dirname(d)
    return rel


def _package_name(path: str) -> str:
    with open(path, "rb") as f:
        m = _PACKAGE.search(f.read())
    return m.group(1).decode() if m else ""


def _weave(ctx: DropIn, call: Compile, pf: PackageFacts, importcfg: list[str], packagefiles: dict) -> PlanResult:
    from .. import env

    result = PlanResult()
    types = _package_types(ctx, call, pf, importcfg, packagefiles)
    for path in call.files:
        with open(path, "rb") as f:
            one = weave_one(path, f.read(), ctx.aspects, pf, ctx.cache, types, pf.import_path in ctx.protected)
        result.woven += one.woven
        result.imports |= one.imports
        result.failures += one.failures
    for reason in result.failures:
        print(f"toolweave: warning: {reason}", file=sys.stderr)
    if result.failures and env.strict():
        raise CompileError(f"{len(result.failures)} file(s) of {pf.import_path} could not be woven "
                           f"(TOOLWEAVE_STRICT is set)")
    return result


def _package_types(ctx: DropIn, call: Compile, pf: PackageFacts, importcfg: list[str], packagefiles: dict):
    """The compile's PackageTypes (nothing runs unless a file asks): its files, checked
    against the export data its importcfg names (`packagefiles`, and the `importmap` of its
    lines); interfaces the aspects ask about from packages it does not import come from the
    build's nested go list."""
    from ..aspect.typefacts import interfaces_asked
    from .goenv import go_binary
    from .typecheck import PackageTypes

    def environment(needed: set):
        files, importmap = packagefiles, importcfg_importmap(importcfg)
        missing = frozenset(p for p in needed if p not in files)
        if missing:
            try:
                files = {**exports(ctx.cache, ctx.parent, missing).files, **files}
            except ExportError:
                pass
        return files, importmap

    go = ctx.parent.go or go_binary()
    return PackageTypes(ctx.cache, go, pf.import_path, call.flag("-lang") or "", call.files, environment,
                        interfaces_asked(ctx.aspects.aspects))


def _write(directory: str, name: str, data: bytes) -> str:
    path = os.path.join(directory, name)
    with open(path, "wb") as f:
        f.write(data)
    return path


def _importcfg(ctx: DropIn, private: str, lines: list[str], added: set) -> str:
    """A copy of the compile's importcfg with the archives of the added imports."""
    _check_module_file(ctx)
    try:
        # The libraries' glue only where this compile adds it: a build without gRPC never
        # builds otelgrpc (one nested go list per distinct set, shared by the build).
        base = ctx.aspects.packages(present=lambda module: False)
        files = exports(ctx.cache, ctx.parent, base | added).require(added)
    except ExportError as err:
        raise CompileError(_explain(str(err))) from None
    path = os.path.join(private, "importcfg")
    text = "\n".join([*lines, *(f"packagefile {p}={files[p]}" for p in sorted(added))]) + "\n"
    _write(private, "importcfg", text.encode())
    return path


def _check_module_file(ctx: DropIn) -> None:
    """A module file `toolweave env` generated must still match the go.mod it came from: the
    go command reads the generated one, so an edit of go.mod would go unseen."""
    from .envsetup import stale

    modfile = ctx.parent.modfile()
    if not modfile:
        _check_pinned_runtime(ctx)
        return
    changed = stale(modfile)
    if changed:
        raise CompileError(f"{changed} changed since `toolweave env` generated the module file in GOFLAGS "
                           f"({modfile}): run eval \"$(toolweave env)\" again")


def _check_pinned_runtime(ctx: DropIn) -> None:
    """A module pinned by `toolweave pin` builds against its own copy of the runtime, which
    must be this toolweave's: woven code is written against it."""
    from .pin import stale_runtime_copy

    copy = stale_runtime_copy(ctx.module.dir) if ctx.module else None
    if copy:
        raise CompileError(f"{copy} is not this toolweave's runtime (pinned by another version): "
                           f"run `toolweave pin` in {ctx.module.dir} again")


def _explain(message: str) -> str:
    """An export failure in the words of what to do about it."""
    # (not every message naming the runtime: a package of it may fail to build for other reasons)
    if "no required module provides" in message or "cannot find module providing" in message:
        return (f"woven code needs {RUNTIME_MODULE} and OpenTelemetry, which this build's module file does "
                f"not require: build with the GOFLAGS that `toolweave env` prints "
                f"(eval \"$(toolweave env)\"), or add them to go.mod with `toolweave pin` ({message})")
    return message


def _language(ctx: DropIn, call: Compile, pf: PackageFacts) -> str | None:
    """-lang for a main-module package: the user's go line, where the generated module file
    raised it (requiring our runtime raises it; the language version decides semantics)."""
    lang, module = call.flag("-lang"), ctx.module
    if not (pf.module_rel and lang and module and module.go_version):
        return None
    mine = "go" + ".".join(module.go_version.split(".")[:2])
    return mine if version_key(mine[2:]) < version_key(lang[2:]) else None


def _links(ctx: DropIn, call: Compile, pf: PackageFacts) -> tuple[str, ...]:
    """The packages to blank-import into a main package (a test binary's main included):
    those named in `links` by the aspects that may weave a package it depends on (one
    `go list -deps` per main package, `-test` for a test binary)."""
    from ..weave import package_candidates
    from .exports import package_deps

    linkers = [(a, links) for a in ctx.aspects.aspects for links in [_aspect_links(a)] if links]
    if not linkers:
        return ()
    if pf.test_main:
        # go's _testmain.go (in $WORK), compiled as package "main": the go command names the
        # test binary (`pkg.test`) in TOOLEXEC_IMPORTPATH
        binary = os.environ.get("TOOLEXEC_IMPORTPATH", "")
        if not binary.endswith(".test"):
            return ()
        target, test = binary.removesuffix(".test"), True
    else:
        work = os.path.dirname(os.path.dirname(call.flag("-o")))
        real = [f for f in call.files if not f.startswith(work + os.sep)]
        if not real:
            return ()
        target, test = os.path.dirname(real[0]), False
    wanted = set()
    for dep in package_deps(ctx.parent, target, test=test):
        facts = PackageFacts(import_path=dep["ImportPath"], name=dep.get("Name", ""),
                             imports=frozenset(dep.get("Imports") or ()))
        for aspect in package_candidates([a for a, _ in linkers], facts):
            wanted.update(_aspect_links(aspect))
    return tuple(sorted(wanted))


def _aspect_links(aspect) -> tuple[str, ...]:
    return tuple(link for adv in aspect.advice for link in getattr(adv, "links", ()))


def complete_link(ctx: DropIn, importcfg: str) -> str | None:
    """A copy of a link's importcfg with every package woven code may add that it lacks,
    or None to link as given (nothing to add, or nothing resolvable)."""
    if not ctx.aspect_files:
        return None
    lines, present = read_importcfg(importcfg)
    linked = frozenset(present)

    def in_binary(module: str) -> bool:       # the library is linked: its glue may be too
        return any(p == module or p.startswith(module + "/") for p in linked)

    try:
        listed = exports(ctx.cache, ctx.parent, ctx.aspects.packages(present=in_binary))
    except ExportError:
        return None
    missing = {p: f for p, f in listed.files.items() if p not in present}
    if not missing:
        return None
    path = os.path.join(os.path.dirname(importcfg), "toolweave-importcfg.link")
    text = "\n".join([*lines, *(f"packagefile {p}={f}" for p, f in sorted(missing.items()))]) + "\n"
    return _write(os.path.dirname(path), os.path.basename(path), text.encode())
