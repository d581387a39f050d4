"""Weaving a whole build plan: which packages may be woven, and the woven files of each.

Never woven (LIBRARIES.md rule 1): OpenTelemetry itself, the instrumentation libraries we
call, and our own runtime module — otherwise rewrites recurse and the SDK traces itself.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, field

from ..aspect.facts import PackageFacts
from ..weave import Failed, Rewritten, package_candidates, weave_file
from .cache import Cache, digest
from .golist import Package
from .runtime import is_runtime_import

NEVER_WOVEN = ("go.opentelemetry.io/", "github.com/XSAM/otelsql", "github.com/exaring/otelpgx",
               "github.com/redis/go-redis/extra/", "github.com/labstack/echo-otel", "github.com/riandyrn/otelchi",
               "gorm.io/plugin/opentelemetry", "github.com/uptrace/opentelemetry-go-extra/", "google.golang.org/protobuf/",
               "google.golang.org/grpc/")
# Import path prefixes. The main module is never among them, even under one of their paths: a
# module of gRPC's own examples (google.golang.org/grpc/examples) is the user's program, and the
# runtime's dependency closure (`protected`) is what keeps woven code out of import cycles.


@dataclass(frozen=True)
class WovenFile:
    path: str            # the original file
    data: bytes
    imports: tuple[str, ...]
    applied: tuple[str, ...]
    links: tuple[str, ...] = ()      # packages the woven code reaches without importing them
    generated: bool = False          # a file the build adds (overlay only, no original on disk)


@dataclass
class PlanResult:
    woven: list[WovenFile] = field(default_factory=list)
    failures: list[str] = field(default_factory=list)
    imports: set[str] = field(default_factory=set)
    facts: dict[str, PackageFacts] = field(default_factory=dict)  # every file weaving looked at
    names: dict[str, str] = field(default_factory=dict)  # position names that are not the path (-trimpath; set by the front end)
    cached: int = 0          # files whose weave came from the cache
    woven_now: int = 0       # files woven in this run


def weavable(pkg: Package, main_module: str = "") -> bool:
    """Whether a package may be woven at all: not the instrumentation itself (rule 1) unless
    it is the main module's. Packages the runtime depends on are woven by self-contained
    aspects only (`candidates`)."""
    return (weavable_path(pkg.path, main_module) and bool(pkg.go_files)
            and not (pkg.is_test_main and pkg.dir == ""))


def self_contained(aspect) -> bool:
    """Whether the aspect's code imports nothing but `unsafe`: it may be woven into a package
    the runtime depends on (`protected`; e.g. gls.yml into package runtime) without an
    import cycle."""
    return all(p == "unsafe" for adv in aspect.advice for p in adv.packages())


def candidates(aspects, pf: PackageFacts, protected: bool) -> list:
    """The aspects that may match some file of the package; for a package the runtime
    depends on (`protected`), only self-contained ones: code woven there could import the
    runtime and close an import cycle."""
    found = package_candidates(aspects.aspects, pf)
    return [a for a in found if self_contained(a)] if protected else found


def weavable_path(path: str, main_module: str = "") -> bool:
    """The import-path half of `weavable` (all the drop-in driver knows of a compile)."""
    if is_runtime_import(path):
        return False
    if main_module and (path == main_module or path.startswith(main_module + "/")):
        return True
    return not any(path.startswith(p) or path == p.rstrip("/") for p in NEVER_WOVEN)


def facts(pkg: Package, main_module, config: tuple = ()) -> PackageFacts:
    rel = ""
    if main_module is not None and pkg.module is not None and pkg.module.main and pkg.module.path == main_module.path:
        rel = os.path.relpath(pkg.dir, main_module.dir).replace(os.sep, "/") if pkg.dir else ""
    return PackageFacts(
        import_path=pkg.path, name=pkg.name, imports=pkg.imports,
        main_module=main_module.path if main_module else "", module_rel=rel,
        test_main=pkg.is_test_main, configuration=config,
        go_version=pkg.module.go_version if pkg.module else "",
    )


def weave_plan(packages: list[Package], aspects, cache: Cache, read, main_module, config: tuple = (),
               protected: frozenset = frozenset(), progress=None, types=None, names: dict | None = None) -> PlanResult:
    """Weave every file of every weavable package. `read(path) -> bytes` reads a source
    file as the build sees it (honouring the user's own overlay); `progress(i, n, path)`,
    if given, hears of each package in turn; `types(pkg, pf)`, if given, makes the
    package's PackageTypes (used only if a file asks). `names`: what positions in a file are
    called when that is not its path (a -trimpath build: `trimmed_names`)."""
    result = PlanResult()
    seen: set[str] = set()
    for i, pkg in enumerate(packages, 1):
        if progress:
            progress(i, len(packages), pkg.path)
        if not weavable(pkg, main_module.path if main_module else ""):
            continue
        pf = facts(pkg, main_module, config)
        found = candidates(aspects, pf, pkg.path in protected)
        if not found:
            continue
        package_types = types(pkg, pf) if types is not None else None
        for path in pkg.go_files:
            if path in seen or not path.endswith(".go"):
                continue
            seen.add(path)
            result.facts[path] = pf
            _weave_one(path, read(path), found, pf, aspects.fingerprint, cache, result, package_types,
                       (names or {}).get(path))
    return result


def trimmed_names(packages: list[Package]) -> dict[str, str]:
    """The name the compiler gives each Go file under -trimpath: the go command rewrites a
    package's directory to its import path, or to module@version/… for a versioned module's
    package (cmd/go's Action.trimpath). Line directives that toolweave writes must say the
    same, so that a woven file, and the compile's action ID, do not depend on where the
    checkout lives. Cgo inputs keep their paths (cgo writes its own directives)."""
    names = {}
    for pkg in packages:
        m = pkg.module
        prefix = f"{m.path}@{m.version}{pkg.path[len(m.path):]}" if m is not None and m.version else pkg.path
        for path in pkg.go_files:
            if path not in pkg.cgo_files:
                names.setdefault(path, f"{prefix}/{os.path.basename(path)}")
    return names


def weave_one(path: str, data: bytes, aspects, pf: PackageFacts, cache: Cache, types=None,
              protected: bool = False, name: str | None = None) -> PlanResult:
    """Weave one file of a package with facts `pf`, as weave_plan would (patch.py);
    `types`: the package's PackageTypes, if type facts can be had; `protected`: a package
    the runtime depends on (only self-contained aspects apply); `name`: the name its line
    directives use, if not `path` (weave_plan's trimmed_name)."""
    result = PlanResult()
    found = candidates(aspects, pf, protected)
    if found:
        result.facts[path] = pf
        _weave_one(path, data, found, pf, aspects.fingerprint, cache, result, types, name)
    return result


def _weave_one(path, data, candidates, pf, fingerprint, cache, result, types=None, name=None) -> None:
    """Weave `path` (or take its weave from the cache); `name` is what its positions are
    called (the path itself unless -trimpath), and with the contents the cache key."""
    name = name or path
    if not any(a.join_point.file_may_match(data) for a in candidates):
        return
    from .codeid import code_id

    key = digest("weave", code_id(), fingerprint, pf.key(), name, data)
    meta = cache.get("woven", key, ".json")
    info = json.loads(meta) if meta is not None else None
    if info is not None and info.get("types") is not None:
        # This weave asked the type checker: it holds for one type environment (the
        # package's files, its dependencies' export data); another one has its own entry.
        env = types.key() if types is not None else ""
        if env != info["types"]:
            key = digest(key, env)
            meta = cache.get("woven", key, ".json")
            info = json.loads(meta) if meta is not None else None
    if info is not None:
        result.cached += 1
        if info["status"] == "rewritten":
            woven = cache.get("woven", key, ".go")
            result.woven.append(WovenFile(path, woven, tuple(info["imports"]), tuple(info["applied"]),
                                          tuple(info.get("links", ()))))
            result.imports.update(info["imports"])
        elif info["status"] == "failed":
            result.failures.append(info["reason"])
        return
    outcome = weave_file(name, data, candidates, pf, types.for_file(path) if types is not None else None)
    result.woven_now += 1
    info = {"status": type(outcome).__name__.lower()}
    if types is not None and path in types.used:
        info["types"] = types.key()
    if isinstance(outcome, Rewritten):
        cache.put("woven", key, outcome.data, ".go")
        info.update(imports=list(outcome.imports), applied=list(outcome.applied), links=list(outcome.links))
        result.woven.append(WovenFile(path, outcome.data, outcome.imports, outcome.applied, outcome.links))
        result.imports.update(outcome.imports)
    elif isinstance(outcome, Failed):
        info["reason"] = outcome.reason
        result.failures.append(outcome.reason)
    cache.put("woven", key, json.dumps(info).encode(), ".json")
