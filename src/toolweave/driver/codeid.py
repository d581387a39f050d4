"""The identity of this toolweave's code, in the keys of what it caches.

The version string changes only at a release: an install from a checkout, or from a commit
between two releases, keeps it, and woven files (the front end's cache) and woven compiles
(the drop-in driver's compiler identity) made by other code of the same version were reused:
a fix did not reach a build until the cache was emptied. code_id() is the version plus a
digest of the contents of the package's files (its `data` directory aside: the built-in
aspects, the runtime module and the launcher are keyed where they are used). Contents, not
file times: the same code installed on two machines gives the same id, so a build cache
shared across them still hits. Reading the files (~650 KB) costs milliseconds on every tool
call that weaves, so the digest is memoised in the cache directory under the files' names,
sizes and modification times, which a stat per file checks.
"""

from __future__ import annotations

import os
from functools import lru_cache

from .. import __version__
from .cache import cache_root, write_atomic

_HERE = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))     # the toolweave package
_SKIP = frozenset({"__pycache__", "data"})


@lru_cache(maxsize=4)
def _files(root: str) -> tuple[str, ...]:
    out = []
    for base, dirs, files in os.walk(root):
        dirs[:] = sorted(d for d in dirs if d not in _SKIP)
        out += [os.path.join(base, n) for n in sorted(files) if not n.endswith((".pyc", ".pyo"))]
    return tuple(out)


def code_files() -> tuple[str, ...]:
    """The files code_id digests (the drop-in's launcher plan is stale when one changes)."""
    return _files(_HERE)


@lru_cache(maxsize=4)
def code_id(root: str = _HERE) -> str:
    """`<version>+<digest of the code's contents>`; the version alone if the files cannot be
    read (never fails)."""
    import hashlib

    try:
        files = _files(root)
        stats = []
        for path in files:
            st = os.stat(path)
            stats.append(f"{os.path.relpath(path, root)}\0{st.st_size}\0{st.st_mtime_ns}")
        memo = os.path.join(cache_root(), "codeid",
                            hashlib.sha256("\n".join([root, *stats]).encode()).hexdigest()[:32])
        try:
            with open(memo, encoding="utf-8") as f:
                known = f.read()
            if known.startswith(__version__ + "+"):
                return known
        except OSError:
            pass
        h = hashlib.sha256()
        for path in files:
            with open(path, "rb") as f:
                h.update(f"{os.path.relpath(path, root)}\0".encode() + f.read() + b"\0")
        found = f"{__version__}+{h.hexdigest()[:16]}"
        try:
            write_atomic(memo, found.encode())
        except OSError:
            pass        # a read-only cache only costs the digest next time
        return found
    except OSError:
        return __version__
