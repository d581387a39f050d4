"""`toolweave go <verb> …`: plan with go list, weave, hand the result to the real go command.

Woven files of the main module, vendor/ and GOROOT reach the compiler through `-overlay`;
third-party modules that need weaving are copied into the cache and `replace`d; added
requirements live in a generated module file. The user's tree is never written.
"""

from __future__ import annotations

import json
import os
import sys
import time
from dataclasses import dataclass

from ..aspect import load_aspects
from ..config import load_config
from ..prefilter import any_of
from ..weave import package_candidates
from .cache import Cache
from .coverexec import shim, wants_cover, with_line_header
from .goargs import parse
from .goenv import go_binary, go_env, split_goflags
from .golist import go_list
from .langpin import version_key
from .links import link_files, linked_by_package
from .modcopy import copy_module, split_woven
from .modfile import ModSetup, Roots, prepare, raised_copies, replace_target
from .overlay import cache_paths, overlay_entry, overlay_file, pinned_entry
from .plan import WovenFile, trimmed_names, weave_plan
from . import contextless, progress, replay
from .runtime import closure as runtime_closure
from .testmain import BOOTSTRAP, generated_testmains
from .timings import woven_map as timings_woven_map
from .toolchain import local_toolchain
from .vendor import vendor_mode


class BuildError(Exception):
    """A failure before the go command runs; one line for the user."""


@dataclass
class Planned:
    """A planned and woven build: everything the go command needs, and what `diff` and
    `list` report."""

    cmd: object
    cwd: str
    env: object
    base_env: dict
    config: object
    aspects: object
    cache: Cache
    user_overlay: dict
    packages: list
    main_module: object
    result: object
    watch: replay.Watch
    aspect_files: list


def plan(verb: str, args: list[str], status: progress.Line = progress.OFF, timings=None) -> Planned:
    """go list with the user's flags, then weave every package of the plan (saying so on
    `status`; its phases timed into `timings`, a timings.Session, if given)."""
    started = time.monotonic()
    status.show("toolweave: planning the build (go list)")
    cmd = parse(verb, args)
    cwd = os.path.abspath(cmd.flag("-C") or os.getcwd())
    base_env = dict(os.environ)
    env = go_env(cwd, base_env)
    cache = Cache()
    if env.toolchain_in_modcache:
        base_env = local_toolchain(env, cache, base_env)
        env = go_env(cwd, base_env)
    watch = _watch_inputs(cmd, cwd, env, base_env)
    config = load_config(os.path.dirname(env.gomod) if env.in_module else None)
    aspect_files = config.aspect_files(verb)
    watch.add(*aspect_files)
    aspects = load_aspects(aspect_files, valid_marks=os.path.join(cache.root, "schema-valid"))
    user_overlay = _read_overlay(cmd.flag("-overlay"), cwd)
    watch.add(*(v for v in user_overlay.values() if v))
    packages = go_list(cmd.list_flags(), list(cmd.packages), test=(verb == "test"), cwd=cwd, env=base_env)
    _check_releases(aspects, packages, env.goversion)
    _watch_sources(watch, packages, env)
    main_module = next((p.module for p in packages if p.module and p.module.main), None)
    names = trimmed_names(packages) if _trimpath(cmd, base_env) else {}
    read = lambda p: _read_source(p, user_overlay)  # noqa: E731
    weaving = lambda i, n, path: status.show(f"toolweave: weaving package {i} of {n}: {path}")  # noqa: E731
    woven_at = time.monotonic()
    types = package_types(cache, aspects, cmd.list_flags(), cwd, base_env)
    result = weave_plan(packages, aspects, cache, read, main_module, protected=runtime_closure(cache, base_env),
                        progress=weaving, types=types, names=names)
    result.names.update(names)      # woven files, and the pins and patches of those weaving did not touch
    for path, (data, links) in link_files(packages, result.woven, env.gomodcache).items():
        result.woven.append(WovenFile(path, data, links, ("links",), generated=True))
        result.imports.update(links)
    if verb == "test" and config.test_bootstrap:
        linked = linked_by_package(packages, result.woven)
        for path, (data, links) in generated_testmains(packages, main_module, read, linked).items():
            result.woven.append(WovenFile(path, data, (BOOTSTRAP, *links), ("test-bootstrap",), generated=True))
            result.imports.update((BOOTSTRAP, *links))
    if timings is not None:
        timings.phase("planning", started, woven_at)
        timings.phase("weaving", woven_at)
    return Planned(cmd, cwd, env, base_env, config, aspects, cache, user_overlay, packages, main_module, result,
                   watch, list(aspect_files))


def _check_releases(aspects, packages, version: str) -> None:
    """BuildError when a strict aspect file reaches into a package of this build whose Go
    release it does not support (driver/releases.py)."""
    from .releases import strict_std, unsupported

    built = {p.path for p in packages}
    for _, module, _, _ in strict_std(aspects):
        if module in built:
            error = unsupported(aspects, module, version)
            if error:
                raise BuildError(error)


def package_types(cache: Cache, aspects, flags: list[str], cwd: str, env: dict):
    """weave_plan's `types`: a package's PackageTypes, whose export data (asked for only if a
    file of the package asks a type question) come from `go list -export` with the build's
    flags, sharing the user's build cache."""
    from ..aspect.typefacts import interfaces_asked
    from .typecheck import PackageTypes, listed_exports

    interfaces = interfaces_asked(aspects.aspects)
    go = go_binary(env)

    def make(pkg, pf):
        def environment(needed: set):
            exports = listed_exports(go, flags, cwd, env, set(pkg.imports) | needed)
            # Vendored imports: the files say golang.org/x/net/…, the build vendor/golang.org/x/net/….
            importmap = {p.split("vendor/", 1)[1]: p for p in pkg.imports if p.startswith("vendor/") or "/vendor/" in p}
            return exports, importmap

        lang = f"go{pkg.module.go_version}" if pkg.module and pkg.module.go_version else ""
        return PackageTypes(cache, go, pf.import_path, ".".join(lang.split(".")[:2]), pkg.go_files, environment,
                            interfaces)

    return make


def _watch_inputs(cmd, cwd: str, env, base_env: dict) -> replay.Watch:
    """The inputs known before go list: the go command and its configuration, the module
    and workspace files, the user's overlay and module file, toolweave.yml."""
    watch = replay.Watch()
    watch.add(go_binary(base_env), env.goenv)
    for f in (env.gomod if env.in_module else "", env.gowork if env.in_workspace else ""):
        if f:
            root = os.path.dirname(f)
            watch.add(f, f[:-4] + ".sum", os.path.join(root, "vendor", "modules.txt"),
                      os.path.join(root, "toolweave.yml"))
    for flag in ("-overlay", "-modfile"):
        value = cmd.flag(flag)
        if value:
            path = os.path.join(cwd, value)
            watch.add(path, path[:-4] + ".sum" if flag == "-modfile" else "")
    return watch


def _watch_sources(watch: replay.Watch, packages, env) -> None:
    """Every package outside GOROOT and the module cache (those do not change under a given
    toolchain and go.sum), and the whole tree of each local module."""
    immutable = tuple(os.path.join(os.path.abspath(d), "") for d in (env.goroot, env.gomodcache) if d)
    for pkg in packages:
        if pkg.standard or not pkg.dir or os.path.join(pkg.dir, "").startswith(immutable):
            continue
        if pkg.module and pkg.module.dir and pkg.module.dir not in watch.dirs:
            watch.tree(pkg.module.dir)
        watch.add_dir(pkg.dir)
        watch.add(*pkg.go_files)


def run(verb: str, args: list[str], replay_key: str, log=None, timings=None) -> int:
    """Run `go verb args…` with weaving; returns go's exit code. The build is recorded for
    replay under `replay_key` (replay.key of this invocation). On a terminal, progress
    shows on one line of stderr (progress.py); with `timings` (a timings.Session), phases
    and tool runs are timed (timings.py)."""
    with progress.Line.for_stderr() as status:
        return _run(verb, args, replay_key, log, status, timings)


def _run(verb: str, args: list[str], replay_key: str, log, status: progress.Line, timings=None) -> int:
    log = log or (lambda msg: None)
    planned = plan(verb, args, status, timings)
    result, base_env = planned.result, planned.base_env
    for reason in result.failures:
        print(f"toolweave: warning: {reason}", file=sys.stderr)
    if result.failures and _strict():
        return 1
    log(f"woven {len(result.woven)} files ({result.woven_now} woven now, {result.cached} from cache)")
    pinned: Pinned | None = None
    cover = wants_cover(planned.cmd)
    if not result.woven:
        argv, go_env_, overlay, replaces = [go_binary(base_env), verb, *args], base_env, {}, {}
    else:
        status.show("toolweave: preparing modules (go list -mod=mod)")
        setup_at = time.monotonic()
        in_overlay, copies = split_woven(result.woven, planned.packages, planned.env.gomodcache)
        # Each copy replaces the version it was woven from, and only that one: where the
        # runtime's requirements raise the module (MVS), the raised version builds unwoven
        # (said below) rather than the old woven code under the new version's importers.
        replaces = {replace_target(m.path, m.version): copy_module(planned.cache, m, files) for m, files in copies.items()}
        setup = _module_setup(planned, verb, replaces)
        for warning in raised_copies(setup, copies):
            print(f"toolweave: warning: {warning}", file=sys.stderr)
        overlay, pinned = _overlay(planned, in_overlay, setup, cover)
        argv, go_env_ = _argv(planned, verb, overlay, setup, cover), {**base_env, **setup.env}
        if timings is not None:
            timings.phase("module setup", setup_at)
    woven_map = timings_woven_map(planned.packages, result.woven)
    if not result.failures:
        patch = None if cover else _patch_record(planned, verb, overlay, pinned)
        _record(replay_key, planned, argv, go_env_, [*overlay.values(), *replaces.values()], patch,
                {"woven": woven_map, "goflags": planned.env.goflags})
    if timings is not None:
        timings.woven = set(woven_map)
    code = progress.run_go(status, verb, argv, go_env_, planned.env.goflags, timings)
    if code == 0:
        contextless.note_after_build(planned)
    return code


@dataclass(frozen=True)
class Pinned:
    """Main-module files whose language version is pinned to `version` in the overlay."""

    version: str
    paths: tuple[str, ...]


def _trimpath(cmd, env: dict) -> bool:
    """Whether the build trims paths: -trimpath on the command line, else in GOFLAGS."""
    given = cmd.flag("-trimpath")
    if given is None:
        flags = split_goflags(env.get("GOFLAGS", ""))
        given = next((f.partition("=")[2] for f in reversed(flags) if f.lstrip("-").partition("=")[0] == "trimpath"),
                     None)
    return given is not None and given.lower() in ("", "true", "1", "t")


def _record(key: str, planned: Planned, argv: list[str], go_env_: dict, needed: list[str], patch: dict | None,
            timings: dict | None = None) -> None:
    """Write the replay record of this build (see replay.py); the cache entries it needs are
    every path under the cache the command line, its environment or the overlay names."""
    extra = {k: v for k, v in go_env_.items() if os.environ.get(k) != v}
    values = [*argv, *(part for v in extra.values() for part in v.split(os.pathsep)), *needed]
    replay.write(key, planned.watch, argv, extra, cache_paths(planned.cache, values), patch, timings)


def _patch_record(planned: Planned, verb: str, overlay: dict, pinned: Pinned | None) -> dict:
    """What patch.py needs to re-weave edited files against this plan: the overlay, the
    package facts of every file that weaving looked at, what each woven file imports and
    links, and the pins."""
    result, watched = planned.result, planned.watch.stats
    # Only watched files can be patched: GOROOT's and the module cache's never change.
    files = {path: pf for path, pf in result.facts.items() if path in watched}
    facts, index = [], {}
    for pf in files.values():
        if pf not in index:
            index[pf] = len(facts)
            candidates = package_candidates(planned.aspects.aspects, pf)
            facts.append({"facts": pf.to_record(),
                          "prefilter": any_of(*(a.join_point.prefilter() for a in candidates))})
    return {
        "verb": verb,
        "overlay": overlay,
        # the user's overlay, both ways: a replaced source and the file that replaces it
        "user_overlay": sorted({*planned.user_overlay, *(v for v in planned.user_overlay.values() if v)}),
        "aspect_files": planned.aspect_files,
        "facts": facts,
        "files": {path: index[pf] for path, pf in files.items()},
        "names": {path: name for path, name in result.names.items() if path in watched},
        "woven": {wf.path: {"imports": sorted(wf.imports), "links": sorted(wf.links)} for wf in result.woven
                  if wf.path in watched},
        "imports": sorted(result.imports),
        "pin": {"version": pinned.version, "paths": list(pinned.paths)} if pinned else None,
    }


def _overlay(planned: Planned, woven, setup: ModSetup, cover: bool) -> tuple[dict, Pinned | None]:
    """The -overlay mapping: the user's own, our woven files, and language pins."""
    cache = planned.cache
    overlay = dict(planned.user_overlay)
    overlay.update(setup.overlay)     # a vendored build's go.mod files and added packages
    for wf in woven:
        data = with_line_header(wf.data, planned.result.names.get(wf.path, wf.path)) if cover else wf.data
        overlay[wf.path] = overlay_entry(cache, wf.path, data)
    pinned = None
    if setup.go_before and version_key(setup.go_after) > version_key(setup.go_before):
        paths = _pin_main_module(planned.packages, planned.main_module, setup.go_before, overlay, cache,
                                 planned.user_overlay, planned.result.names)
        pinned = Pinned(setup.go_before, tuple(paths))
    return overlay, pinned


def _argv(planned: Planned, verb: str, overlay: dict, setup: ModSetup, cover: bool) -> list[str]:
    """The real go command line: the user's arguments (minus the flags we merge) plus ours,
    with -C kept first as the go command requires."""
    cmd, cache = planned.cmd, planned.cache
    ours = [f"-overlay={overlay_file(cache, overlay)}"] + ([setup.flag] if setup.flag else [])
    merged = ["-overlay", "-modfile"]
    if setup.mod:                      # a vendored build (vendor.py): instead of -mod=vendor
        ours.append(setup.mod)
        merged.append("-mod")
    if cover:
        ours.append(f"-toolexec={shim(cache, overlay, cmd.flag('-toolexec'))}")
        merged.append("-toolexec")
    rest = cmd.without(*merged)
    head = rest[:2] if rest[:1] == ["-C"] else rest[:1] if rest[:1] and rest[0].startswith("-C=") else []
    return [go_binary(planned.base_env), verb, *head, *ours, *rest[len(head):]]


def _pin_main_module(packages, main_module, version, overlay, cache, user_overlay, names) -> list[str]:
    """Pin every Go file of the main module's packages in `overlay` (`names`: what a file's
    positions are called when not its path); returns their paths."""
    paths: dict[str, None] = {}       # in order, once each (package variants share files)
    for pkg in packages:
        if not (pkg.module and pkg.module.main and main_module and pkg.module.path == main_module.path):
            continue
        for path in pkg.go_files:
            if not path.endswith(".go") or not path.startswith(main_module.dir + os.sep) or path in paths:
                continue
            current = overlay.get(path)
            data = _read_file(current) if current else _read_source(path, user_overlay)
            overlay[path] = pinned_entry(cache, path, data, version, names.get(path, path))
            paths[path] = None
    return list(paths)


def _read_overlay(flag: str | None, cwd: str) -> dict:
    if not flag:
        return {}
    path = flag if os.path.isabs(flag) else os.path.join(cwd, flag)
    with open(path) as f:
        replace = json.load(f).get("Replace", {})
    return {os.path.normpath(os.path.join(cwd, k)): (os.path.join(cwd, v) if v else "") for k, v in replace.items()}


def _module_setup(planned: Planned, verb: str, replaces: dict) -> ModSetup:
    """The generated module file, when woven code imports anything outside the standard
    library (a path whose first element has no dot is standard) or modules are replaced."""
    outside_std = {p for p in planned.result.imports if "." in p.split("/", 1)[0]}
    if not outside_std and not replaces:
        return ModSetup("", {}, "", "")
    if not planned.env.in_module:
        raise BuildError("toolweave go needs a Go module (go.mod) to add its runtime requirements")
    cmd = planned.cmd
    # Our -mod=mod and -modfile drive this load; the user's own would override them.
    flags = tuple(f for f in cmd.list_flags() if not f.startswith(("-mod=", "-modfile=")))
    roots = Roots(flags, tuple(cmd.packages), verb == "test")
    vendored = vendor_mode(cmd.flag("-mod"), planned.env.goflags, planned.env, cmd.flag("-modfile"), planned.cwd)
    setup = prepare(planned.env, planned.cache, outside_std, replaces, planned.cwd, cmd.flag("-modfile"),
                    planned.base_env, roots, vendor=vendored)
    if setup.conflicts and _strict():
        raise BuildError("; ".join(c.message(strict=True) for c in setup.conflicts))
    for conflict in setup.conflicts:
        print(f"toolweave: warning: {conflict.message()}", file=sys.stderr)
    return setup


def _read_source(path: str, user_overlay: dict) -> bytes:
    target = user_overlay.get(path, path)
    return _read_file(target) if target else b""


def _read_file(path: str) -> bytes:
    with open(path, "rb") as f:
        return f.read()


def _strict() -> bool:
    from .. import env

    return env.strict()
