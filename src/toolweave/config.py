"""Tool configuration: built-in integrations, `toolweave.yml` at the module root, TOOLWEAVE_*.

    # toolweave.yml
    integrations:
      disabled: [weave-log]      # names of built-in aspect files (data/aspects/NAME.yml), or "*"
    aspects:                     # more aspect files, relative to toolweave.yml
      - tracing/aspects.yml
    test-bootstrap: true         # `toolweave go test` starts the SDK in test binaries
    database:
      query-text: off            # sanitized (default), raw or off: what every database and
                                 # Redis integration records of a statement, compiled in as the
                                 # program's default (TOOLWEAVE_DB_QUERY_TEXT still decides at run time)
"""

from __future__ import annotations

import os
from dataclasses import dataclass

from . import env
from .aspect.errors import AspectError

BUILTIN_DIR = os.path.join(os.path.dirname(os.path.abspath(__file__)), "data", "aspects")
CONFIG_NAME = "toolweave.yml"
from .env import DISABLED_INTEGRATIONS as DISABLED_ENV


OPTIONAL_DIR = os.path.join(os.path.dirname(os.path.abspath(__file__)), "data", "optional")


@dataclass(frozen=True)
class Config:
    disabled: frozenset
    extra_aspects: tuple[str, ...]
    source: str = ""
    test_bootstrap: bool = False     # start the SDK in test binaries (`go test`)
    query_text: str = "sanitized"    # database.query-text: the programs' default (runtime package dbtext)
    gls: bool = False                # goroutine-local context (data/optional/gls.yml, docs/gls.md)
    gls_inherit: bool = False        # ... handed on by the main module's go statements (gls-inherit.yml)
    gls_inherit_packages: tuple[str, ...] = ()   # ... and by those of the packages these globs match

    def active_builtins(self) -> list[tuple[str, str]]:
        """(name, path) of every enabled built-in aspect file."""
        out = []
        for name in sorted(os.listdir(BUILTIN_DIR)) if os.path.isdir(BUILTIN_DIR) else []:
            if not name.endswith(".yml"):
                continue
            integration = name[:-4]
            if "*" in self.disabled or integration in self.disabled:
                continue
            out.append((integration, os.path.join(BUILTIN_DIR, name)))
        return out

    def aspect_files(self, verb: str = "build") -> list[str]:
        files = [p for _, p in self.active_builtins()] + list(self.extra_aspects)
        if verb == "test" and self.test_bootstrap:
            files.append(os.path.join(OPTIONAL_DIR, "test-bootstrap.yml"))
        if self.query_text != "sanitized":      # compiled in only when it is not the runtime's own default
            files.append(os.path.join(OPTIONAL_DIR, f"db-query-text-{self.query_text}.yml"))
        if self.gls:
            files.append(os.path.join(OPTIONAL_DIR, "gls.yml"))
            if self.gls_inherit:
                files.append(os.path.join(OPTIONAL_DIR, "gls-inherit.yml"))
                if self.gls_inherit_packages:
                    files.append(inherit_packages_file(self.gls_inherit_packages))
        return files


#: The aspect of `gls: {inherit: [globs]}`: gls-inherit.yml's advice for the go statements of
#: the packages the globs match (dependencies: e.g. golang.org/x/sync/errgroup).
_INHERIT_PACKAGES = """\
meta:
  name: toolweave.dev/gls-inherit-packages
  description: >-
    Generated from toolweave.yml's gls.inherit: the go statements of these packages hand the
    starting goroutine's span on, as the main module's do (gls-inherit.yml).
aspects:
  - id: gls-inherit-packages
    join-point:
      all-of:
        - one-of:
{filters}
        - go-statement: true
    advice:
      - prepend-statements:
          template: gls.Inherit()
          imports:
            gls: toolweave.dev/runtime/gls
"""


def inherit_packages_file(globs: tuple[str, ...]) -> str:
    """The generated aspect file for these globs, stored once in the cache (named by its
    content, so a build never sees another configuration's file)."""
    import json

    from .driver.cache import Cache, digest     # a leaf module (it imports only env)

    text = _INHERIT_PACKAGES.format(filters="\n".join(f"            - package-filter: {json.dumps(g)}" for g in globs))
    return Cache().put("generated", digest("gls-inherit", text), text.encode(), ".yml")


def builtin_names() -> list[str]:
    return [n[:-4] for n in sorted(os.listdir(BUILTIN_DIR)) if n.endswith(".yml")] if os.path.isdir(BUILTIN_DIR) else []


def load_config(module_dir: str | None) -> Config:
    disabled = {x.strip() for x in os.environ.get(DISABLED_ENV, "").split(",") if x.strip()}
    test_bootstrap = env.test_bootstrap()
    gls = env.gls()
    path = os.path.join(module_dir, CONFIG_NAME) if module_dir else ""
    if not path or not os.path.exists(path):
        gls = gls or "off"
        return Config(frozenset(disabled), (), "", test_bootstrap, gls=gls != "off", gls_inherit=gls == "inherit")
    from .aspect.yamlnodes import describe, load_located
    import yaml

    try:
        with open(path, encoding="utf-8") as f:
            doc = load_located(f.read()) or {}
    except OSError as err:
        raise AspectError(f"cannot read configuration: {err}", path)
    except yaml.YAMLError as err:
        message, line = describe(err)
        raise AspectError(message, path, line)
    if not isinstance(doc, dict):
        raise AspectError("toolweave.yml must be a mapping", path, 1)
    unknown = set(doc) - {"integrations", "aspects", "test-bootstrap", "database", "gls"}
    if unknown:
        raise AspectError(f"unknown key {sorted(unknown)[0]!r} (expected integrations, aspects, test-bootstrap, "
                          f"database, gls)", path, doc.lines.get(sorted(unknown)[0], 1))
    file_gls, inherit_packages = _gls(doc, path)
    if not isinstance(doc.get("test-bootstrap", False), bool):
        raise AspectError("test-bootstrap must be true or false", path, doc.lines.get("test-bootstrap", 1))
    test_bootstrap = test_bootstrap or doc.get("test-bootstrap", False)
    integrations = doc.get("integrations") or {}
    listed = integrations.get("disabled") or [] if isinstance(integrations, dict) else []
    if not isinstance(listed, list):
        raise AspectError("integrations.disabled must be a list of names", path, doc.lines.get("integrations", 1))
    known = set(builtin_names()) | {"*"}
    for name in listed:
        if name not in known:
            raise AspectError(f"unknown integration {name!r} (known: {', '.join(sorted(known - {'*'}))})", path, doc.lines.get("integrations", 1))
    extra = doc.get("aspects") or []
    if not isinstance(extra, list) or not all(isinstance(x, str) for x in extra):
        raise AspectError("aspects must be a list of file paths", path, doc.lines.get("aspects", 1))
    # TOOLWEAVE_GLS, when set, wins over the file (0 turns it off for one build)
    gls = file_gls if gls is None else gls
    return Config(frozenset(disabled | set(listed)), tuple(os.path.join(module_dir, x) for x in extra), path,
                  test_bootstrap, _query_text(doc, path), gls != "off", gls == "inherit",
                  inherit_packages if gls == "inherit" else ())


def _gls(doc, path: str) -> tuple[str, tuple[str, ...]]:
    """toolweave.yml's gls: false / true / {inherit: true|false|[globs]}, as "off", "on" or
    "inherit", and the globs of the packages whose go statements hand spans on besides the
    main module's."""
    value = doc.get("gls", False)
    if isinstance(value, bool):
        return ("on" if value else "off"), ()
    line = doc.lines.get("gls", 1)
    if not isinstance(value, dict) or set(value) - {"inherit"}:
        raise AspectError("gls must be true, false, or a mapping with inherit: true|false|[package globs]", path, line)
    inherit = value.get("inherit", False)
    line = getattr(value, "lines", {}).get("inherit", line)
    if isinstance(inherit, bool):
        return ("inherit" if inherit else "on"), ()
    if not isinstance(inherit, list) or not inherit or not all(isinstance(g, str) and g for g in inherit):
        raise AspectError("gls.inherit must be true, false, or a list of package globs", path, line)
    from .packagegate import glob_regex
    for glob in inherit:
        try:
            glob_regex(glob)
        except ValueError as err:
            raise AspectError(f"gls.inherit: {err}", path, line)
    return "inherit", tuple(inherit)


QUERY_TEXT_MODES = ("sanitized", "raw", "off")


def _query_text(doc, path: str) -> str:
    """database.query-text of toolweave.yml ("sanitized" when absent). YAML 1.1 reads a bare
    off as false: taken as "off", the only mode it can mean."""
    database = doc.get("database")
    if database is None:
        return "sanitized"
    line = doc.lines.get("database", 1)
    if not isinstance(database, dict) or set(database) - {"query-text"}:
        raise AspectError("database must be a mapping with query-text (sanitized, raw or off)", path, line)
    mode = database.get("query-text", "sanitized")
    mode = "off" if mode is False else mode
    if mode not in QUERY_TEXT_MODES:
        raise AspectError(f"database.query-text must be sanitized, raw or off, not {mode!r}", path,
                          getattr(database, "lines", {}).get("query-text", line))
    return mode
