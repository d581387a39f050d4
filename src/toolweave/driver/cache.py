"""The content-addressed cache of woven output, module copies and generated module files.

Entries are written to a temporary name and renamed into place, so two concurrent builds
never see a half-written file; the same key always holds the same bytes, so whichever rename
wins is right. SIGINT and SIGTERM (catch_signals: the front end) unwind like Ctrl-C, but never
inside a write: a signal that arrives there waits until the entry is in place or removed, so
an interrupted build leaves no temporary file behind.
"""

from __future__ import annotations

import os

from .. import env

# hashlib, shutil and tempfile are imported where used: a replay (replay.py) needs only
# cache_root, and Python's start-up is the whole cost of a no-op rebuild.


cache_root = env.cache_root


class Interrupted(KeyboardInterrupt):
    """SIGINT or SIGTERM arrived (catch_signals); `signum` says which."""

    def __init__(self, signum: int):
        super().__init__(signum)
        self.signum = signum


_writing = 0            # cache writes under way: a signal waits for them (_uninterrupted)
_pending: int | None = None


def catch_signals() -> None:
    """Make SIGINT and SIGTERM raise Interrupted (after any cache write under way), so
    `finally` blocks run and subprocess.run kills its child, instead of a traceback (SIGINT)
    or a death with nothing cleaned up (SIGTERM's default)."""
    import signal

    def handler(signum, frame):
        global _pending
        if _writing:
            _pending = signum
            return
        raise Interrupted(signum)

    for sig in (signal.SIGINT, signal.SIGTERM):
        signal.signal(sig, handler)


class _Uninterrupted:
    """`with _uninterrupted:` a signal that arrives inside is raised at the end."""

    def __enter__(self):
        global _writing
        _writing += 1

    def __exit__(self, *exc):
        global _writing, _pending
        _writing -= 1
        if _pending is not None and not _writing:
            signum, _pending = _pending, None
            raise Interrupted(signum)


_uninterrupted = _Uninterrupted()


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
        tmp = None
        try:
            with _uninterrupted:
                tmp = tempfile.mkdtemp(prefix=".tmp-", dir=os.path.dirname(target))
            fill(tmp)
            os.rename(tmp, target)
        except OSError:
            if not os.path.isdir(target):
                raise
        finally:
            if tmp is not None and os.path.isdir(tmp):
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
    with _uninterrupted:
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
