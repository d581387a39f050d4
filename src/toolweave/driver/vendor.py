"""Vendored modules: a build whose dependencies come from the user's vendor/ directory.

With `-mod=vendor` (explicit, or the default when go.mod says go >= 1.14 and vendor/ exists)
the go command takes every package from vendor/ and checks that vendor/modules.txt agrees
with the module file; it reads modules.txt with os.ReadFile (no overlay) from the main
module's root, whatever `-modfile` says. So the requirements woven code adds can never be
consistent with a vendored build. Instead the build runs with `-mod=readonly` and the
generated module file (modfile.py) gets, for every vendored module at the version the build
selects, a version-specific `replace m vX => <root>/vendor/m`: the user's vendored files
compile from where they are (patched or not). A workspace vendored with `go work vendor` (vendor/
beside go.work) gets the same `replace`s in the generated go.work. The overlay supplies what those directories
lack: a `go.mod` per module (`module m`, the `go` line modules.txt records) and the
packages of a vendored module that woven code needs but the user's code does not (their
files, copied from the module cache at that same version: what `go mod vendor` would add).
A vendored module that our requirements raise to a higher version cannot come from vendor/:
it comes from the module cache at the higher version, with a warning naming it (an error
under TOOLWEAVE_STRICT=1).
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass

from .cache import Cache, digest, read_or_empty
from .goenv import GoEnv, run_go, split_goflags
from .langpin import go_line, version_key


@dataclass(frozen=True)
class VendoredModule:
    path: str
    version: str
    go: str                          # the module's go version as modules.txt records it, or ""
    packages: tuple[str, ...]


@dataclass(frozen=True)
class Vendor:
    dir: str                         # <main module root>/vendor
    text: bytes                      # vendor/modules.txt as read (part of cache keys)
    modules: tuple[VendoredModule, ...]

    def module(self, path: str) -> VendoredModule | None:
        return next((m for m in self.modules if m.path == path), None)


@dataclass(frozen=True)
class Conflict:
    """A vendored module the build selects at another version than vendor/ holds."""

    path: str
    vendored: str
    selected: str

    def message(self, strict: bool = False) -> str:
        head = f"vendor/modules.txt has {self.path} {self.vendored} but the instrumentation needs {self.selected}"
        fix = f"go get {self.path}@{self.selected} && go mod vendor"
        if strict:
            return (f"{head}: {self.path} cannot come from vendor/ (to vendor that version: {fix}; "
                    f"without TOOLWEAVE_STRICT=1 it is built from the module cache)")
        return f"{head}: building it from the module cache, not from vendor/ (to vendor that version: {fix})"


def vendor_mode(mod_flag: str | None, goflags: str, env: GoEnv, user_modfile: str | None,
                cwd: str) -> Vendor | None:
    """The vendor directory the go command builds from for this command line, or None: the
    rule of cmd/go (modload.setDefaultBuildMod). In a workspace, vendor/ is beside go.work
    (`go work vendor`) and its modules.txt says `## workspace`."""
    workspace = env.in_workspace
    if not (env.in_module or workspace):
        return None
    flag = mod_flag
    if flag is None:
        for part in split_goflags(goflags):
            name, eq, value = part.lstrip("-").partition("=")
            if name == "mod" and eq:
                flag = value
    config = env.gowork if workspace else (os.path.join(cwd, user_modfile) if user_modfile else env.gomod)
    vendor_dir = os.path.join(os.path.dirname(env.gowork if workspace else env.gomod), "vendor")
    text = read_or_empty(os.path.join(vendor_dir, "modules.txt"))
    if flag:
        if flag != "vendor":
            return None
    else:
        version = go_line(read_or_empty(config))
        if not os.path.isdir(vendor_dir) or not version or version_key(version) < (1, 14):
            return None
        if _for_workspace(text) != workspace:
            return None           # the go command ignores a vendor/ made in the other mode
    return Vendor(vendor_dir, text, tuple(parse_modules_txt(text.decode(errors="replace"))))


def parse_modules_txt(text: str) -> list[VendoredModule]:
    """The modules of a vendor/modules.txt that have a version (replacement-only records,
    `# m => r`, have none and vendor nothing)."""
    out: list[VendoredModule] = []
    current: dict | None = None

    def flush():
        if current and current["version"]:
            out.append(VendoredModule(current["path"], current["version"], current["go"],
                                      tuple(current["packages"])))

    for line in text.splitlines():
        if line.startswith("## "):
            if current is not None:
                for entry in line[3:].split(";"):
                    entry = entry.strip()
                    if entry.startswith("go "):
                        current["go"] = entry[3:].strip()
        elif line.startswith("# "):
            flush()
            fields = line[2:].split()
            version = fields[1] if len(fields) > 1 and fields[1] != "=>" else ""
            current = {"path": fields[0] if fields else "", "version": version, "go": "", "packages": []}
        elif line.strip() and not line.startswith("#") and current is not None:
            current["packages"].append(line.strip())
    flush()
    return out


_FORMAT = "{{with .Module}}{{$.ImportPath}}\t{{$.Dir}}\t{{.Path}}\t{{.Version}}{{end}}"


def route(vendor: Vendor, tmp: str, go: list[str], edit: list[str], roots, imports: list[str], cwd: str,
          go_env: dict, cache: Cache) -> list[str]:
    """Route the vendored modules of a generated module set-up in `tmp` (requirements
    added, not yet completed) to vendor/; records the overlay entries and conflicts in
    `tmp`/vendor.json (see `load`) and returns the arguments (roots.list_args() with the
    overlay merged into the user's) for the go list that completes the set-up.

    `go`: how to run `go list` on the set-up (["-mod=mod", "-modfile=…"], or [] with GOWORK
    in `go_env`); `edit`: the command that edits it (["mod", "edit", file] or the work one)."""
    user_overlay = next((f.split("=", 1)[1] for f in reversed(roots.flags) if f.startswith("-overlay=")), None)
    flags = [f for f in roots.flags if not f.startswith("-overlay=")]
    entries, conflicts = _setup(vendor, ["list", *go, *flags], edit, imports, cwd, go_env, cache)
    with open(os.path.join(tmp, "vendor.json"), "w") as f:
        json.dump({"overlay": entries, "conflicts": [[c.path, c.vendored, c.selected] for c in conflicts]}, f,
                  sort_keys=True)
    return [*flags, f"-overlay={overlay_json(cache, user_overlay, cwd, entries)}",
            *(["-test"] if roots.test else []), *roots.patterns]


def load(out: str) -> dict:
    """What `route` recorded in the set-up directory `out`, as ModSetup fields: the -mod flag
    that replaces the user's, the overlay entries, the conflicts."""
    with open(os.path.join(out, "vendor.json")) as f:
        routed = json.load(f)
    return {"mod": "-mod=readonly", "overlay": routed["overlay"],
            "conflicts": tuple(Conflict(*c) for c in routed["conflicts"])}


def _setup(vendor: Vendor, go_list: list[str], edit: list[str], imports: list[str], cwd: str, go_env: dict,
           cache: Cache) -> tuple[dict, list[Conflict]]:
    """Replace the vendored modules by their vendor/ directories (`edit`) and return the
    overlay entries that make them modules, and the conflicts.

    Loads the added imports first, without vendor/ (with -mod=mod that completes their
    requirements; MVS selects), to learn which packages woven code needs and from which
    module, then asks for the selected versions of the vendored modules."""
    needed = _packages(run_go([*go_list, "-deps", f"-f={_FORMAT}", "--", *imports], cwd=cwd, env=go_env))
    paths = [m.path for m in vendor.modules]
    selected = {}
    if paths:
        out = run_go([*go_list, "-m", "-e", "-f={{.Path}}\t{{.Version}}", "--", *paths], cwd=cwd, env=go_env)
        selected = dict(line.split("\t", 1) for line in out.splitlines() if "\t" in line)
    conflicts, routed = [], {}
    for m in vendor.modules:
        version = selected.get(m.path, "")
        if not m.packages:
            continue                       # nothing vendored: the module cache has the same code
        if version and version != m.version:
            conflicts.append(Conflict(m.path, m.version, version))
        else:
            routed[m.path] = m
    if conflicts:
        # The user's packages of a raised module now come from the module cache: what they
        # import at that version may include packages of other vendored modules that vendor/
        # lacks.
        extra = [p for c in conflicts for p in vendor.module(c.path).packages]
        needed += _packages(run_go([*go_list, "-e", "-deps", f"-f={_FORMAT}", "--", *extra], cwd=cwd,
                                   env=go_env))
    overlay: dict[str, str] = {}
    edits = []
    for m in vendor.modules:
        if not m.packages:
            continue
        # Every vendored module's directory gets its go.mod, routed or not: it is also the
        # boundary that keeps a routed module's directory from claiming the packages of a
        # module nested in it (vendor/ flattens go.opentelemetry.io/otel and …/otel/trace).
        target = os.path.join(vendor.dir, *m.path.split("/"))
        gomod = f"module {m.path}\n" + (f"\ngo {m.go}\n" if m.go else "")
        overlay[os.path.join(target, "go.mod")] = cache.put("vendor", digest("gomod", gomod), gomod.encode(), ".mod")
        if m.path in routed:
            edits.append(f"-replace={m.path}@{m.version}={target}")
    vendored = {p for m in routed.values() for p in m.packages}
    for pkg, pkg_dir, mod_path, mod_version in needed:
        m = routed.get(mod_path)
        if m is None or pkg in vendored or mod_version != m.version or not pkg_dir:
            continue
        vendored.add(pkg)
        overlay.update(_added_package(cache, vendor, pkg, pkg_dir))
    if edits:
        run_go([*edit[:-1], *edits, edit[-1]], cwd=cwd, env=go_env)
    return overlay, conflicts


def _added_package(cache: Cache, vendor: Vendor, pkg: str, pkg_dir: str) -> dict:
    """Overlay entries that add package `pkg` (from the module cache at `pkg_dir`) under
    vendor/: its files as `go mod vendor` copies them (not tests, not go.mod/go.sum)."""
    out = {}
    target = os.path.join(vendor.dir, *pkg.split("/"))
    for name in sorted(os.listdir(pkg_dir)):
        src = os.path.join(pkg_dir, name)
        if name.endswith("_test.go") or name in ("go.mod", "go.sum") or not os.path.isfile(src):
            continue
        data = read_or_empty(src)
        out[os.path.join(target, name)] = cache.put("vendor", digest("file", data), data, os.path.splitext(name)[1])
    return out


def overlay_json(cache: Cache, user_overlay: str | None, cwd: str, entries: dict) -> str:
    """An -overlay file with the user's overlay (if any) and `entries`."""
    replace = {}
    if user_overlay:
        path = os.path.join(cwd, user_overlay)
        with open(path) as f:
            for k, v in (json.load(f).get("Replace") or {}).items():
                replace[os.path.normpath(os.path.join(cwd, k))] = os.path.join(cwd, v) if v else ""
    replace.update(entries)
    data = json.dumps({"Replace": replace}, sort_keys=True).encode()
    return cache.put("vendor", digest("overlay", data), data, ".json")


def _packages(out: str) -> list[tuple[str, str, str, str]]:
    rows = []
    for line in out.splitlines():
        fields = line.split("\t")
        if len(fields) == 4:
            rows.append(tuple(fields))
    return rows


def _for_workspace(text: bytes) -> bool:
    first = text.split(b"\n", 1)[0].decode(errors="replace")
    return first.startswith("## ") and "workspace" in (e.strip() for e in first[3:].split(";"))
