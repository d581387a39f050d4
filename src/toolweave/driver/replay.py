"""Replay: a rebuild in which nothing changed skips planning and weaving.

After a build, the front end records the go command it ran and the state of every input
that decided it: the `stat` (mtime, size, inode) of each Go file outside GOROOT and the
module cache; the listing of every directory of the local modules (a Go file added, removed
or renamed; not the directory's mtime, which `go build` changes by writing its binary); the
stat of go.mod, go.sum, go.work, vendor/modules.txt, toolweave.yml, the aspect files, the
user's overlay and module files, the go command and go's own configuration file. GOROOT and
the module cache are immutable for a given toolchain and go.sum. The record is keyed by the
command line, the working directory, the environment and toolweave's own files.

The next build with the same key stats those paths (no file is read); when all match and
every cache entry the command refers to still exists, it runs the recorded go command at
once: the cost of a no-op rebuild becomes Python's start-up, a few hundred `stat` calls and
go's own no-op build. Any difference, however harmless, means a normal build, which writes
a new record. The stats are taken before the files are read for weaving, so an edit racing
a build leaves a record that no longer matches.

When only the bodies of some Go files changed, patch.py re-weaves just those files against
the record instead (the record also holds each Go file's header digest and what patching
needs).

This module runs before anything else on `toolweave go …`, so a replay costs Python's
start-up and little more: it imports os, sys, marshal and zlib (built in) and the cache's
location; recording imports the rest when a build records. Records are marshal data
(Python's own, far cheaper to load than JSON; the key holds the Python version), and a
replay execs the go command in place of this process (unless its tools are timed).
"""

from __future__ import annotations

import marshal
import os
import sys
import zlib

from .cache import cache_root

FORMAT = "3"

# Environment variables that differ between shells without changing a build.
_VOLATILE_ENV = frozenset({"_", "OLDPWD", "PWD", "SHLVL", "PS1", "PS2", "PROMPT_COMMAND", "TERM", "COLUMNS",
                           "LINES", "WINDOWID", "HISTFILE", "HISTSIZE", "SSH_TTY", "SSH_CLIENT", "SSH_CONNECTION",
                           "TMUX", "TMUX_PANE", "STY",
                           "TOOLWEAVE_PROGRESS",    # the progress line only: not part of the build
                           "TOOLWEAVE_TIMINGS"})    # timings are taken on replays too (timings.py)
# Directories the go command never reads packages from (`./...` skips them too).
_SKIPPED_DIRS = ("testdata",)


class Key(str):
    """A record's name: a digest of everything a recorded build depends on that is not a
    file's stat; `material` is all of it, kept in the record and compared on load, so the
    digest only needs to spread records, not to be collision-free."""

    material: str


def key(args: list[str], cwd: str, environ: dict) -> Key:
    env = sorted((k, v) for k, v in environ.items() if k not in _VOLATILE_ENV)
    material = repr([FORMAT, sys.version, args, cwd, env, _self_fingerprint(environ)])
    data = material.encode("utf-8", "surrogateescape")
    k = Key(f"{zlib.crc32(data):08x}{zlib.adler32(data):08x}{len(data):x}")
    k.material = material
    return k


def stat_of(path: str) -> list | None:
    """What the record compares: None for a missing path."""
    try:
        st = os.stat(path)
    except OSError:
        return None
    return [st.st_mtime_ns, st.st_size, st.st_ino]


def listing(path: str) -> list | None:
    """What the record compares for a directory: the names that can change a plan (Go
    files, go.mod, subdirectories). Not its mtime: `go build` writes its binary there."""
    try:
        with os.scandir(path) as entries:
            return sorted(e.name for e in entries
                          if e.name.endswith(".go") or e.name == "go.mod" or e.is_dir(follow_symlinks=False))
    except OSError:
        return None


def header_of(path: str) -> str | None:
    """The digest of a Go file's header (goheader.py); None if it cannot be read."""
    from .goheader import header_digest   # recording only: a replay never reads a file

    try:
        with open(path, "rb") as f:
            return header_digest(f.read())
    except OSError:
        return None


class Watch:
    """The paths a build depends on, each looked at when first added: before it is read.
    A Go file's header is read with its stat, so that a later edit of its body only can be
    told from one that changes what go list sees (patch.py)."""

    def __init__(self):
        self.stats: dict[str, list | None] = {}
        self.dirs: dict[str, list | None] = {}
        self.headers: dict[str, str | None] = {}

    def add(self, *paths: str) -> None:
        for p in paths:
            if p and p not in self.stats:
                self.stats[p] = stat_of(p)
                if p.endswith(".go"):
                    self.headers[p] = header_of(p)

    def add_dir(self, path: str) -> None:
        if path not in self.dirs:
            self.dirs[path] = listing(path)

    def tree(self, root: str) -> None:
        """A local module: every directory that can hold packages (its listing) and every
        Go file in them, including those build constraints exclude today; a nested module
        is watched only at its top."""
        for base, dirs, files in os.walk(root):
            self.add_dir(base)
            if base != root and "go.mod" in files:
                dirs[:] = []
                continue
            dirs[:] = [d for d in dirs if not d.startswith((".", "_")) and d not in _SKIPPED_DIRS]
            self.add(*(os.path.join(base, n) for n in files if n.endswith(".go")))


def record_path(k: str, root: str | None = None) -> str:
    return os.path.join(root or cache_root(), "replay", k[:2], k + ".rec")


def write(k: Key, watch: Watch, argv: list[str], extra_env: dict, needed: list[str], patch: dict | None = None,
          timings: dict | None = None) -> None:
    """Record a build: what `watch` saw before the files were read, the go command and the
    environment it adds, the cache entries (`needed`) the command refers to, what
    patch.py needs to re-weave a few edited files without planning again (None: not
    possible for this build), and what timings.py needs to time a replay (woven packages,
    GOFLAGS)."""
    store(k, {"format": FORMAT, "stats": watch.stats, "dirs": watch.dirs, "headers": watch.headers, "argv": argv,
              "env": extra_env, "needed": sorted(set(needed)), "patch": patch, "timings": timings})


def store(k: Key, record: dict) -> None:
    """Store a record (a new one, or one patch.py updated) under key `k`."""
    from .cache import write_atomic

    write_atomic(record_path(k), marshal.dumps({**record, "key": k.material}))


def load(k: Key) -> dict | None:
    """The record under key `k`, if there is one of this format and of exactly this key."""
    try:
        with open(record_path(k), "rb") as f:
            data = marshal.loads(f.read())
    except (OSError, ValueError, EOFError, TypeError):
        return None
    if not isinstance(data, dict) or data.get("format") != FORMAT or data.get("key") != k.material:
        return None
    return data


def changed_files(record: dict) -> list[str] | None:
    """The watched paths whose stat differs from the record's, in record order; None when
    anything else differs: a directory listing, or a cache entry the command needs."""
    if any(listing(p) != names for p, names in record["dirs"].items()):
        return None
    if not all(os.path.exists(p) for p in record["needed"]):
        return None
    return [p for p, s in record["stats"].items() if stat_of(p) != s]


def run(record: dict, timings=None) -> int:
    """Run the recorded go command: in place of this process (its output and exit status
    are go's; nothing of ours runs after it), or as a child with its tools timed, given a
    timings.Session."""
    if timings is not None:
        from .timings import run_recorded

        return run_recorded(record, timings)
    argv = record["argv"]
    sys.stdout.flush()
    sys.stderr.flush()
    try:
        os.execve(argv[0], argv, {**os.environ, **record["env"]})
    except OSError as err:
        print(f"toolweave: cannot run {argv[0]}: {err}", file=sys.stderr)
    return 1


def _self_fingerprint(environ: dict) -> list:
    """Stats of toolweave's own files (code, built-in aspects, runtime module) and of a
    development runtime source: an upgrade or an edit invalidates every record."""
    here = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    roots = [here] + ([environ["TOOLWEAVE_RUNTIME_SOURCE"]] if environ.get("TOOLWEAVE_RUNTIME_SOURCE") else [])
    out = [_which("go", environ.get("PATH", ""))]
    for root in roots:
        for base, dirs, files in os.walk(root):
            dirs[:] = sorted(d for d in dirs if d != "__pycache__")
            out.extend([os.path.join(base, n), stat_of(os.path.join(base, n))] for n in sorted(files))
    return out


def _which(name: str, path: str) -> str | None:
    """shutil.which(name, path=path) for a plain name, without importing shutil."""
    for d in path.split(os.pathsep):
        candidate = os.path.join(d or ".", name)
        if os.path.isfile(candidate) and os.access(candidate, os.X_OK):
            return candidate
    return None
