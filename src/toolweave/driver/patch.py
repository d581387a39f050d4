"""Patch: a rebuild in which only the bodies of a few Go files changed re-weaves just those
files against the last build's plan, instead of planning the whole build again.

The replay record (replay.py) of a build holds, besides the stats, the header digest of
every watched Go file (goheader.py) and what re-weaving needs: the overlay, the package
facts of every file weaving looked at, the imports and links of every woven file, the
language pins. A rebuild patches instead of planning when

  - no directory listing changed and every cache entry the command needs is there;
  - every changed path is a Go file the record knows, with the same header (so go list
    would report the same packages, files and imports), neither replaced by nor replacing
    a file in the user's own overlay, and not a test file of `go test` (the generated test
    main reads those);
  - re-weaving each one succeeds, links the same packages as before, and imports nothing
    the build's module set-up lacks.

Then each changed file is woven again (or not at all, if no candidate aspect of its
package passes the recorded prefilter, which needs no aspect loaded) with the recorded facts, its overlay entry replaced or dropped, the recorded go
command run with the new overlay, and the record updated. Anything else returns None: a
normal build.
"""

from __future__ import annotations

import os
import time

from ..prefilter import may_match
from .cache import Cache
from .goheader import header_digest
from .overlay import cache_paths, overlay_entry, overlay_file, pinned_entry
from . import replay


def rebuild(key: str, record: dict, changed: list[str], log=None, timings=None) -> int | None:
    """Re-weave the `changed` files of the build `record` (under `key`) and run its go
    command (tools timed, given a timings.Session); None when a normal build is needed."""
    started = time.monotonic()
    plan = record.get("patch")
    if not plan or not changed:
        return None
    stats = {p: replay.stat_of(p) for p in changed}   # before reading, as a build does
    edits = _edits(record, plan, changed)
    if edits is None:
        return None
    cache = Cache()
    overlay, woven = _patched(plan, edits, cache)
    if overlay is None:
        return None
    argv = _with_overlay(record["argv"], plan["overlay"], overlay, cache)
    if argv is None:
        return None
    _update(key, record, plan, stats, overlay, woven, argv, cache)
    if log:
        log(f"only the bodies of {len(edits)} Go file(s) changed: re-woven against the last build's plan")
    if timings is not None:
        timings.phase("patch", started)
    return replay.run(record, timings)


def _edits(record: dict, plan: dict, changed: list[str]) -> list[tuple[str, bytes]] | None:
    """The changed files and their new contents, if each may be patched."""
    edits = []
    for path in changed:
        if path not in record["headers"] or path in plan["user_overlay"]:
            return None
        if plan["verb"] == "test" and path.endswith("_test.go"):
            return None
        try:
            with open(path, "rb") as f:
                data = f.read()
        except OSError:
            return None
        if record["headers"][path] is None or header_digest(data) != record["headers"][path]:
            return None
        edits.append((path, data))
    return edits


def _patched(plan: dict, edits, cache: Cache) -> tuple[dict | None, dict]:
    """The overlay and the woven-file table after re-weaving `edits`; (None, …) when one of
    them cannot be patched."""
    overlay, woven = dict(plan["overlay"]), dict(plan["woven"])
    aspects = None
    for path, data in edits:
        new, info = None, None
        package = plan["facts"][plan["files"][path]] if path in plan["files"] else None
        if package and may_match(package["prefilter"], data):   # else no aspect can match: not woven
            aspects = aspects or _aspects(plan, cache)
            new, info, ok = _reweave(path, data, aspects, package["facts"], cache, plan.get("names", {}).get(path))
            if not ok:
                return None, woven
        before = woven.get(path) or {}
        if before.get("links", []) != (info or {}).get("links", []):
            return None, woven                     # the generated link files would change
        if info and not set(info["imports"]) <= set(plan["imports"]):
            return None, woven                     # the module set-up would change
        if info and not plan["overlay"]:
            return None, woven                     # the build had no overlay to patch
        _set_entry(overlay, plan.get("pin"), path, data, new, cache, plan.get("names", {}))
        if info:
            woven[path] = info
        else:
            woven.pop(path, None)
    return overlay, woven


def _aspects(plan: dict, cache: Cache):
    from ..aspect import load_aspects

    return load_aspects(plan["aspect_files"], valid_marks=os.path.join(cache.root, "schema-valid"))


def _reweave(path: str, data: bytes, aspects, facts: dict, cache: Cache, name: str | None = None):
    """(woven data or None, its imports and links or None, whether it wove cleanly); `name`:
    what its positions are called, if not `path` (a -trimpath build)."""
    from ..aspect.facts import PackageFacts
    from .plan import weave_one

    try:
        result = weave_one(path, data, aspects, PackageFacts.from_record(facts), cache, _NoTypes(), name=name)
    except _AskedTypes:
        return None, None, False
    if result.failures:
        return None, None, False
    if not result.woven:
        return None, None, True
    wf = result.woven[0]
    return wf.data, {"imports": sorted(wf.imports), "links": sorted(wf.links)}, True


class _AskedTypes(BaseException):
    """A re-weave asked the type checker, which a patch does not run: build normally. (Not
    an Exception: the template engine reports those as a failed render.)"""


class _NoTypes:
    """The PackageTypes of a patch: any question ends the patch, and nothing is cached."""

    used: frozenset = frozenset()

    def for_file(self, path: str):
        def ask():
            raise _AskedTypes()
        return ask

    def key(self) -> str:
        return "patch: no type facts"


def _set_entry(overlay: dict, pin: dict | None, path: str, data: bytes, woven: bytes | None, cache: Cache,
               names: dict) -> None:
    """Point the overlay entry of `path` at its woven (or, if pinned, original) content
    (`names`: the plan's position names, -trimpath)."""
    if pin and path in pin["paths"]:
        overlay[path] = pinned_entry(cache, path, woven if woven is not None else data, pin["version"], names.get(path))
    elif woven is not None:
        overlay[path] = overlay_entry(cache, path, woven)
    else:
        overlay.pop(path, None)


def _with_overlay(argv: list[str], before: dict, overlay: dict, cache: Cache) -> list[str] | None:
    """`argv` with its -overlay file replaced by one for `overlay` (unchanged if equal)."""
    if overlay == before:
        return argv
    at = [i for i, a in enumerate(argv) if a.startswith("-overlay=")]
    if len(at) != 1:
        return None
    return [*argv[:at[0]], f"-overlay={overlay_file(cache, overlay)}", *argv[at[0] + 1:]]


def _update(key: str, record: dict, plan: dict, stats: dict, overlay: dict, woven: dict, argv: list[str],
            cache: Cache) -> None:
    """Store the patched build as the new record: new stats, command and overlay; the cache
    entries the old overlay alone needed are no longer required."""
    dropped = set(plan["overlay"].values()) | set(cache_paths(cache, record["argv"]))
    needed = (set(record["needed"]) - dropped) | set(cache_paths(cache, [*argv, *overlay.values()]))
    record["stats"].update(stats)
    record.update(argv=argv, needed=sorted(needed))
    plan.update(overlay=overlay, woven=woven)
    replay.store(key, record)
