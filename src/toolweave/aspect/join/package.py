"""Join points decided by the package alone: import-path, package-name, package-filter,
test-main, configuration. They match any node of a qualifying package."""

from __future__ import annotations

import re

from ...packagegate import glob_regex
from ..errors import SpecError
from ..registry import JoinPoint, expect, join_point

_IDENT = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")


class _PackageJoinPoint(JoinPoint):
    """Matches every node when `package_may_match` says True."""

    def matches(self, site):
        return bool(self.decide(site.package, site.file))

    def package_may_match(self, package):
        return self.decide(package, None)

    def decide(self, package, fctx) -> bool | None:
        raise NotImplementedError


@join_point("import-path")
class ImportPath(_PackageJoinPoint):
    def __init__(self, path):
        self.path = path

    @classmethod
    def from_value(cls, value, line, build):
        expect(value, str, "an import path string", line)
        if not value or " " in value:
            raise SpecError(f"bad import path {value!r}", line)
        return cls(value)

    def decide(self, package, fctx):
        if not package.import_path:
            return None if fctx is None else False
        return package.import_path == self.path

    def package_gate(self):
        return ["path", self.path]


@join_point("package-name")
class PackageName(_PackageJoinPoint):
    def __init__(self, name):
        self.name = name

    @classmethod
    def from_value(cls, value, line, build):
        expect(value, str, "a package name", line)
        if not _IDENT.match(value):
            raise SpecError(f"bad package name {value!r}: expected an identifier", line)
        return cls(value)

    def decide(self, package, fctx):
        name = package.name
        if not name and fctx is not None:
            name = fctx.package_clause_name
        return None if not name else name == self.name

    def package_gate(self):
        return ["name", self.name]


@join_point("package-filter")
class PackageFilter(_PackageJoinPoint):
    def __init__(self, pattern, root):
        self.pattern, self.root = pattern, root
        self.regex = glob_regex(pattern) if pattern is not None else None

    @classmethod
    def from_value(cls, value, line, build):
        if isinstance(value, str):
            pattern, root = value, False
        else:
            expect(value, dict, "a glob string or {pattern, root}", line)
            unknown = set(value) - {"pattern", "root"}
            if unknown:
                raise SpecError(f"unknown option {sorted(unknown)[0]!r} (expected pattern, root)", line)
            pattern, root = value.get("pattern"), value.get("root", False)
            expect(root, bool, "a boolean for root", line)
            if pattern is None and not root:
                raise SpecError("needs a pattern, or root: true", line)
        if pattern is not None:
            expect(pattern, str, "a glob string", line)
            try:
                glob_regex(pattern)
            except ValueError as err:
                raise SpecError(str(err), line)
        return cls(pattern, root)

    def decide(self, package, fctx):
        if self.root:
            if not package.import_path:
                return None if fctx is None else False
            if not package.in_main_module:
                return False
            return self.regex is None or bool(self.regex.match(package.module_rel))
        if not package.import_path:
            return None if fctx is None else False
        return bool(self.regex.match(package.import_path))

    def package_gate(self):
        return ["root", self.pattern] if self.root else ["glob", self.pattern]


@join_point("test-main")
class TestMain(_PackageJoinPoint):
    def __init__(self, want):
        self.want = want

    @classmethod
    def from_value(cls, value, line, build):
        return cls(expect(value, bool, "a boolean", line))

    def decide(self, package, fctx):
        return package.test_main == self.want

    def package_gate(self):
        return ["testmain", self.want]


@join_point("configuration")
class Configuration(_PackageJoinPoint):
    """Deprecated (kept for old files): true when the tool configuration has every pair."""

    def __init__(self, pairs):
        self.pairs = pairs

    @classmethod
    def from_value(cls, value, line, build):
        expect(value, dict, "a mapping of string to string", line)
        return cls({str(k): str(v) for k, v in value.items()})

    def decide(self, package, fctx):
        config = package.config()
        return all(config.get(k) == v for k, v in self.pairs.items())
