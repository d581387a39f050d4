"""Type facts for the weaver: the typefacts helper (data/typefacts, a small Go program using
go/types), built once per Go toolchain into toolweave's cache and run at most once per
package, when a file of it asks a question the syntax cannot answer.

The helper type-checks the package from its files and the export data of its imports: in
the drop-in driver the compile's own -importcfg names them; in the front end a
`go list -export` of its imports does, with the build's flags and the user's build cache.
Packages never asked about never pay for any of this.

A woven file whose weave consulted the facts is cached under the package's type
environment too (`PackageTypes.key`): its files and the export data it read.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys

from .. import env as twenv
from ..aspect.typefacts import FileTypes
from .cache import Cache, digest, read_or_empty

SOURCE = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "data", "typefacts")
NAME = "typefacts"


class TypecheckError(Exception):
    pass


def helper(cache: Cache, go: str, env: dict | None = None) -> str:
    """The helper's path for the toolchain `go` runs (export data is read by the go/types
    of the same release), built on first use."""
    from .releases import toolchain_version

    parts = [NAME, go, toolchain_version(go)]
    for name in sorted(os.listdir(SOURCE)):
        parts += [name, read_or_empty(os.path.join(SOURCE, name))]
    key = digest(*parts)[:24]

    def fill(tmp: str) -> None:
        build_env = {**(env or os.environ), "GOFLAGS": "", "GOWORK": "off", "CGO_ENABLED": "0",
                     "GO111MODULE": "on", "GOTOOLCHAIN": "local"}
        build_env.pop("TOOLEXEC_IMPORTPATH", None)
        proc = subprocess.run([go, "build", "-trimpath", "-ldflags=-s -w", "-o", os.path.join(tmp, NAME), "."],
                              cwd=SOURCE, env=build_env, capture_output=True, text=True)
        if proc.returncode != 0:
            raise TypecheckError(proc.stderr.strip() or "go build failed")

    return os.path.join(cache.directory("typefacts", key, fill), NAME)


class PackageTypes:
    """The type facts of one package, computed on the first question.

    `exports(needed)` returns ({import path: export data file}, {source path: import path})
    for the package's imports and the `needed` interface packages; `for_file(path)` is the
    callable weave_file takes; `used` holds the files whose weave asked.
    """

    def __init__(self, cache: Cache, go: str, import_path: str, lang: str, files, exports, interfaces: tuple):
        self.cache, self.go = cache, go
        self.import_path, self.lang = import_path, lang
        self.files = tuple(files)
        self._exports = exports
        self.interfaces = interfaces
        self.used: set[str] = set()
        self._facts: dict | None = None
        self._env = None
        self._key: str | None = None

    def for_file(self, path: str):
        def source():
            self.used.add(path)
            facts = self._all()
            return None if facts is None else facts.get(os.path.abspath(path))
        return source

    def key(self) -> str:
        """The type environment: the package's files and the export data it is checked
        against (archive paths in the build cache are content-addressed). Computed once: a
        package's files do not change during the build that weaves it."""
        if self._key is None:
            exports, importmap = self._environment()
            parts = [NAME, self.import_path, self.lang, *self.interfaces]
            for path in self.files:
                parts += [path, read_or_empty(path)]
            parts += sorted(f"{k}={v}" for k, v in exports.items()) + sorted(f"{k}={v}" for k, v in importmap.items())
            self._key = digest(*parts)[:32]
        return self._key

    def _environment(self):
        if self._env is None:
            needed = {i.rsplit(".", 1)[0] for i in self.interfaces if "." in i}
            self._env = self._exports(needed)
        return self._env

    def _all(self) -> dict | None:
        if self._facts is None:
            self._facts = self._run()
        return self._facts or None

    def _run(self) -> dict:
        try:
            exports, importmap = self._environment()
            request = {"path": self.import_path, "lang": self.lang, "files": [os.path.abspath(f) for f in self.files],
                       "exports": exports, "importmap": importmap, "interfaces": list(self.interfaces)}
            proc = subprocess.run([helper(self.cache, self.go)], input=json.dumps(request), capture_output=True,
                                  text=True)
            if proc.returncode != 0:
                raise TypecheckError(proc.stderr.strip() or f"exit status {proc.returncode}")
            answer = json.loads(proc.stdout)
        except (TypecheckError, OSError, ValueError) as err:
            print(f"toolweave: warning: no type facts for {self.import_path}: {err}; "
                  f"type-dependent join points fall back to the syntax", file=sys.stderr)
            return {}
        if answer.get("errors") and twenv.debug_types():
            for line in answer["errors"]:
                print(f"toolweave: type error in {self.import_path}: {line}", file=sys.stderr)
        return {path: FileTypes.from_json(facts, self.interfaces) for path, facts in answer["files"].items()}


def listed_exports(go: str, flags: list[str], cwd: str, env: dict, packages) -> dict:
    """{path: archive} of `packages` and their dependencies, by `go list -export` (which
    builds what the cache lacks, as the build would)."""
    if not packages:
        return {}
    argv = [go, "list", "-e", "-export", "-deps", "-json=ImportPath,Export", *flags, "--", *sorted(packages)]
    proc = subprocess.run(argv, cwd=cwd, env=env, capture_output=True, text=True)
    out, decoder, text, i = {}, json.JSONDecoder(), proc.stdout, 0
    while True:
        while i < len(text) and text[i].isspace():
            i += 1
        if i >= len(text):
            return out
        obj, i = decoder.raw_decode(text, i)
        if obj.get("Export"):
            out[obj["ImportPath"]] = obj["Export"]
