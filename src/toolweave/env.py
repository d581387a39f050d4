"""Every TOOLWEAVE_* environment variable, declared once."""

from __future__ import annotations

import os

STRICT = "TOOLWEAVE_STRICT"          # "1": a file that cannot be woven is an error, not a warning
CACHE_DIR = "TOOLWEAVE_CACHE_DIR"    # where woven output and module copies are cached


def strict() -> bool:
    return os.environ.get(STRICT, "") not in ("", "0", "false")
