"""The -overlay a woven build hands to the go command: its cache entries and its file.

Shared by the front end, which builds the overlay, and patch.py, which changes a few of its
entries; standard library and the cache only.
"""

from __future__ import annotations

import json
import os

from .cache import Cache, digest
from .langpin import pin


def overlay_entry(cache: Cache, path: str, data: bytes) -> str:
    """The cache file that stands for source `path` in the overlay."""
    return cache.put("overlay", digest(path, data), data, ".go")


def pinned_entry(cache: Cache, path: str, data: bytes, version: str, name: str | None = None) -> str:
    """The cache file that stands for source `path` (as `data`) pinned to go`version`;
    `name`: what its positions are called, if not `path` (-trimpath)."""
    pinned = pin(data, version, name or path)
    return cache.put("overlay", digest("pin", path, pinned), pinned, ".go")


def overlay_file(cache: Cache, overlay: dict) -> str:
    """The -overlay JSON file of `overlay`."""
    return cache.put("overlay", digest(json.dumps(overlay, sort_keys=True)),
                     json.dumps({"Replace": overlay}, sort_keys=True, indent=1).encode(), ".json")


def cache_paths(cache: Cache, values) -> list[str]:
    """The paths under the cache that `values` (arguments, NAME=path, paths) name."""
    root = os.path.join(cache.root, "")
    paths = [v.split("=", 1)[-1] for v in values if root in v]
    return [p for p in paths if p.startswith(root)]
