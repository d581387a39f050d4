"""Aspects and aspect sets: the loaded, validated form of aspect files."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field


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

    def packages(self) -> frozenset:
        """Every import path woven code may import or link, over all aspects."""
        return frozenset(p for a in self.aspects for adv in a.advice for p in adv.packages())
