"""Every TOOLWEAVE_* environment variable, declared once."""

from __future__ import annotations

import os

STRICT = "TOOLWEAVE_STRICT"          # "1": a file that cannot be woven is an error, not a warning
CACHE_DIR = "TOOLWEAVE_CACHE_DIR"    # where woven output and module copies are cached
RUNTIME_SOURCE = "TOOLWEAVE_RUNTIME_SOURCE"   # another Go runtime module source (development)
VERBOSE = "TOOLWEAVE_VERBOSE"        # "1": say what was woven and what came from the cache
TEST_BOOTSTRAP = "TOOLWEAVE_TEST_BOOTSTRAP"   # "1": start the SDK in test binaries too
DISABLED_INTEGRATIONS = "TOOLWEAVE_DISABLED_INTEGRATIONS"   # comma list of built-ins, or "*"
PROGRESS = "TOOLWEAVE_PROGRESS"      # "0": no progress line on a terminal (`toolweave go …`)
LAUNCHER = "TOOLWEAVE_LAUNCHER"      # "0": `toolweave env` names the Python driver, not the launcher
LAUNCHER_PLAN = "TOOLWEAVE_LAUNCHER_PLAN"   # set by the launcher: write its plan there (driver/launcher.py)
TIMINGS = "TOOLWEAVE_TIMINGS"        # a file: time every tool run and phase into it (driver/timings.py)
GLS = "TOOLWEAVE_GLS"                # "1" / "0" / "inherit": goroutine-local context on / off / on and handed on by go statements (over toolweave.yml's gls)
SECURITY = "TOOLWEAVE_SECURITY"      # "report" / "enforce" / "off": the security aspects (over toolweave.yml's security.mode; the program reads it again at run time)
ERROR_CAPTURE = "TOOLWEAVE_ERROR_CAPTURE"   # "1" / "0": record returned errors on spans (over toolweave.yml's errors.capture)
DEBUG_TYPES = "TOOLWEAVE_DEBUG_TYPES"   # "1": print the type errors the type checker met (driver/typecheck.py)


def cache_root() -> str:
    """TOOLWEAVE_CACHE_DIR, else toolweave under the user's cache directory."""
    explicit = os.environ.get(CACHE_DIR)
    if explicit:
        return os.path.abspath(explicit)
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return os.path.join(base, "toolweave")


def strict() -> bool:
    return os.environ.get(STRICT, "") not in ("", "0", "false")


def verbose() -> bool:
    return os.environ.get(VERBOSE, "") not in ("", "0", "false")


def gls() -> str | None:
    """TOOLWEAVE_GLS: "off", "on", "inherit" (on, and handed on by go statements), or None
    when unset (toolweave.yml decides)."""
    value = os.environ.get(GLS, "").strip().lower()
    if value == "":
        return None
    if value == "inherit":
        return "inherit"
    return "off" if value in ("0", "false", "no", "off") else "on"


SECURITY_MODES = ("off", "report", "enforce")


def security() -> str | None:
    """TOOLWEAVE_SECURITY, lower-cased (config.py refuses what is not one of SECURITY_MODES),
    or None when unset (toolweave.yml decides)."""
    return os.environ.get(SECURITY, "").strip().lower() or None


def error_capture() -> bool | None:
    """TOOLWEAVE_ERROR_CAPTURE: on or off, None when unset (toolweave.yml decides)."""
    value = os.environ.get(ERROR_CAPTURE, "").strip().lower()
    if value == "":
        return None
    return value not in ("0", "false", "no", "off")


def debug_types() -> bool:
    return os.environ.get(DEBUG_TYPES, "") not in ("", "0", "false")


def test_bootstrap() -> bool:
    return os.environ.get(TEST_BOOTSTRAP, "") not in ("", "0", "false")


def _on_unless_off(name: str) -> bool:
    return os.environ.get(name, "").lower() not in ("0", "false", "no", "off")


def progress() -> bool:
    """On unless turned off; shown only when stderr is a terminal (driver/progress.py)."""
    return _on_unless_off(PROGRESS)


def launcher() -> bool:
    return _on_unless_off(LAUNCHER)
