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
    gls: {inherit: true}         # goroutine-local context (docs/gls.md)
    security:                    # the security aspects (docs/security.md); off when absent
      mode: enforce              # report or enforce (TOOLWEAVE_SECURITY decides again at run time)
      roots: [data, /srv/uploads]   # allowed file roots (TOOLWEAVE_SECURITY_ROOTS at run time)
      files: true                # guard the os file calls (default true)
      exec: true                 # guard shells run with -c (default true)
    errors:
      capture: true              # returned errors recorded on the active span (docs/security.md)
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
    security: str = "off"            # the security aspects: off, report or enforce (security-*.yml)
    security_roots: tuple[str, ...] = ()   # ... the allowed file roots compiled in (none: the runtime's)
    security_files: bool = True      # ... guarding the os file calls
    security_exec: bool = True       # ... guarding shells run with -c
    error_capture: bool = False      # returned errors recorded on spans (error-capture.yml)

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
        if self.security != "off" and (self.security_files or self.security_exec):
            files += [os.path.join(OPTIONAL_DIR, f"security-{part}.yml")
                      for part, on in (("files", self.security_files), ("exec", self.security_exec)) if on]
            files.append(security_defaults_file(self.security, self.security_roots))
        if self.error_capture:
            files.append(os.path.join(OPTIONAL_DIR, "error-capture.yml"))
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


#: The aspect that compiles toolweave.yml's security mode and roots into the program (an init
#: function of its main package: the runtime's defaults, which TOOLWEAVE_SECURITY and
#: TOOLWEAVE_SECURITY_ROOTS override at run time).
_SECURITY_DEFAULTS = """\
meta:
  name: toolweave.dev/security-defaults
  description: Generated from toolweave.yml's security section (docs/security.md).
aspects:
  - id: security-defaults
    join-point:
      all-of:
        - package-filter: {{root: true}}
        - package-name: main
        - test-main: false
        - function-body:
            function:
              - name: main
    advice:
      - inject-declarations:
          imports:
            twguard: toolweave.dev/runtime/guard
          template: |-
            func init() {{ twguard.SetDefault({args}) }}
"""


def inherit_packages_file(globs: tuple[str, ...]) -> str:
    """The generated aspect file for these globs."""
    import json

    return _generated("gls-inherit", _INHERIT_PACKAGES.format(
        filters="\n".join(f"            - package-filter: {json.dumps(g)}" for g in globs)))


def security_defaults_file(mode: str, roots: tuple[str, ...]) -> str:
    """The generated aspect file that sets the program's security defaults."""
    import json

    # JSON strings are Go string literals for what YAML gives (no control characters); the
    # template text is inside a YAML block scalar, and text/template passes it through.
    return _generated("security", _SECURITY_DEFAULTS.format(args=", ".join(json.dumps(x) for x in (mode, *roots))))


def _generated(kind: str, text: str) -> str:
    """A generated aspect file, stored once in the cache (named by its content, so a build
    never sees another configuration's file)."""
    from .driver.cache import Cache, digest     # a leaf module (it imports only env)

    return Cache().put("generated", digest(kind, text), text.encode(), ".yml")


def builtin_names() -> list[str]:
    return [n[:-4] for n in sorted(os.listdir(BUILTIN_DIR)) if n.endswith(".yml")] if os.path.isdir(BUILTIN_DIR) else []


def load_config(module_dir: str | None) -> Config:
    disabled = {x.strip() for x in os.environ.get(DISABLED_ENV, "").split(",") if x.strip()}
    test_bootstrap = env.test_bootstrap()
    gls = env.gls()
    security, capture = env.security(), env.error_capture()
    if security is not None and security not in env.SECURITY_MODES:
        raise AspectError(f"{env.SECURITY}={security!r}: expected one of {', '.join(env.SECURITY_MODES)}", "environment")
    path = os.path.join(module_dir, CONFIG_NAME) if module_dir else ""
    if not path or not os.path.exists(path):
        gls = gls or "off"
        return Config(frozenset(disabled), (), "", test_bootstrap, gls=gls != "off", gls_inherit=gls == "inherit",
                      security=security or "off", error_capture=bool(capture))
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
    keys = ("integrations", "aspects", "test-bootstrap", "database", "gls", "security", "errors")
    unknown = set(doc) - set(keys)
    if unknown:
        raise AspectError(f"unknown key {sorted(unknown)[0]!r} (expected {', '.join(keys)})", path,
                          doc.lines.get(sorted(unknown)[0], 1))
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
    file_security = _security(doc, path)
    file_capture = _errors(doc, path)
    return Config(frozenset(disabled | set(listed)), tuple(os.path.join(module_dir, x) for x in extra), path,
                  test_bootstrap, _query_text(doc, path), gls != "off", gls == "inherit",
                  inherit_packages if gls == "inherit" else (),
                  security=security or file_security.mode, security_roots=file_security.roots,
                  security_files=file_security.files, security_exec=file_security.exec,
                  error_capture=file_capture if capture is None else capture)


@dataclass(frozen=True)
class _Security:
    mode: str = "off"
    roots: tuple[str, ...] = ()
    files: bool = True
    exec: bool = True


def _security(doc, path: str) -> _Security:
    """toolweave.yml's security: {mode, roots, files, exec}. YAML 1.1 reads a bare off as
    false: taken as "off"."""
    section = doc.get("security")
    if section is None:
        return _Security()
    line = doc.lines.get("security", 1)
    expected = "security must be a mapping with mode (report, enforce or off), roots, files and exec"
    if not isinstance(section, dict) or set(section) - {"mode", "roots", "files", "exec"}:
        raise AspectError(expected, path, line)
    lines = getattr(section, "lines", {})
    mode = section.get("mode", "report")
    mode = "off" if mode is False else mode
    if mode not in env.SECURITY_MODES:
        raise AspectError(f"security.mode must be report, enforce or off, not {mode!r}", path, lines.get("mode", line))
    roots = section.get("roots", [])
    if not isinstance(roots, list) or not all(isinstance(r, str) and r.strip() and "\x00" not in r and "{{" not in r for r in roots):
        raise AspectError("security.roots must be a list of directories", path, lines.get("roots", line))
    for key in ("files", "exec"):
        if not isinstance(section.get(key, True), bool):
            raise AspectError(f"security.{key} must be true or false", path, lines.get(key, line))
    return _Security(mode, tuple(roots), section.get("files", True), section.get("exec", True))


def _errors(doc, path: str) -> bool:
    """toolweave.yml's errors: {capture: bool}."""
    section = doc.get("errors")
    if section is None:
        return False
    line = doc.lines.get("errors", 1)
    if not isinstance(section, dict) or set(section) - {"capture"} or not isinstance(section.get("capture", False), bool):
        raise AspectError("errors must be a mapping with capture: true or false", path, line)
    return section.get("capture", False)


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
