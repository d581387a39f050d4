"""Aspects and aspect sets: the loaded, validated form of aspect files."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from functools import cached_property


@dataclass(frozen=True)
class Aspect:
    """One aspect: where it was defined, what it matches, what it does.

    `index` is its position over all loaded files (the tie-breaker in advice ordering)."""

    id: str
    join_point: object
    advice: tuple
    file: str
    line: int
    index: int
    node_types: frozenset | None = field(default=None, compare=False)

    @property
    def name(self) -> str:
        return f"{self.file}:{self.line} {self.id}"

    @cached_property
    def template_imports(self) -> dict:
        """{alias: path} over every code template of the aspect: a template may name a
        package another advice of its aspect lists (aspect/code.py)."""
        return {alias: path for adv in self.advice for t in adv.templates() for alias, path in t.imports}


@dataclass(frozen=True)
class AspectSet:
    """The aspects of one build, in load order, with a stable fingerprint of their source."""

    aspects: tuple[Aspect, ...]
    fingerprint: str
    files: tuple[str, ...] = ()
    meta: tuple = ()

    @classmethod
    def of(cls, aspects, sources: list[tuple[str, bytes]], meta=()) -> "AspectSet":
        digest = hashlib.sha256()
        for name, data in sources:
            # Contents, not paths: the same aspects from another checkout share caches.
            digest.update(hashlib.sha256(data).digest())
        return cls(tuple(aspects), digest.hexdigest()[:32], tuple(n for n, _ in sources), tuple(meta))

    def __len__(self) -> int:
        return len(self.aspects)

    def packages(self, present=None) -> frozenset:
        """Every import path woven code may import or link, over all aspects. With `present`
        (a predicate on a module path), an aspect of a file whose `meta.library` is a
        third-party module counts only when present(module): its advice is woven only into
        code that imports that library, so a build without it never adds those packages."""
        return frozenset(p for a in self.aspects if present is None or self._may_apply(a, present)
                         for adv in a.advice for p in adv.packages())

    def library(self, aspect: Aspect) -> str | None:
        """The third-party module the aspect's file instruments (its `meta.library`), if any."""
        for file, meta in self.meta:
            if file == aspect.file:
                module = (meta.get("library") or {}).get("module") or ""
                return module if "." in module.split("/", 1)[0] else None
        return None

    def _may_apply(self, aspect: Aspect, present) -> bool:
        module = self.library(aspect)
        return module is None or present(module)
