"""The content-addressed cache of woven output, module copies and generated module files.

Entries are written to a temporary name and renamed into place, so two concurrent builds
never see a half-written file; the same key always holds the same bytes, so whichever rename
wins is right.
"""

from __future__ import annotations

import os

from .. import env

# hashlib, shutil and tempfile are imported where used: a replay (replay.py) needs only
# cache_root, and Python's start-up is the whole cost of a no-op rebuild.


cache_root = env.cache_root


def digest(*parts) -> str:
    import hashlib

    h = hashlib.sha256()
    for part in parts:
        data = part if isinstance(part, bytes) else str(part).encode()
        h.update(len(data).to_bytes(8, "little"))
        h.update(data)
    return h.hexdigest()


class Cache:
    def __init__(self, root: str | None = None):
        self.root = root or cache_root()

    def path(self, kind: str, key: str, suffix: str = "") -> str:
        return os.path.join(self.root, kind, key[:2], key + suffix)

    def get(self, kind: str, key: str, suffix: str = "") -> bytes | None:
        try:
            with open(self.path(kind, key, suffix), "rb") as f:
                return f.read()
        except FileNotFoundError:
            return None

    def put(self, kind: str, key: str, data: bytes, suffix: str = "") -> str:
        """Store `data` under key (atomically) and return its path."""
        target = self.path(kind, key, suffix)
        if os.path.exists(target):
            return target
        write_atomic(target, data)
        return target

    def directory(self, kind: str, key: str, fill) -> str:
        """A directory under key, made once by `fill(tmpdir)` and renamed into place."""
        target = os.path.join(self.root, kind, key)
        if os.path.isdir(target):
            return target
        import shutil
        import tempfile

        os.makedirs(os.path.dirname(target), exist_ok=True)
        tmp = tempfile.mkdtemp(prefix=".tmp-", dir=os.path.dirname(target))
        try:
            fill(tmp)
            os.rename(tmp, target)
        except OSError:
            if not os.path.isdir(target):
                raise
        finally:
            if os.path.isdir(tmp):
                shutil.rmtree(tmp, ignore_errors=True)
        return target

    def clean(self) -> int:
        """Remove everything; returns the number of files removed."""
        import shutil

        count = sum(len(files) for _, _, files in os.walk(self.root))
        shutil.rmtree(self.root, ignore_errors=True)
        return count


def write_atomic(target: str, data: bytes) -> None:
    import tempfile

    os.makedirs(os.path.dirname(target), exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=".tmp-", dir=os.path.dirname(target))
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
        os.replace(tmp, target)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise


def read_or_empty(path: str) -> bytes:
    """A file's bytes, or b"" when it does not exist."""
    try:
        with open(path, "rb") as f:
            return f.read()
    except FileNotFoundError:
        return b""
