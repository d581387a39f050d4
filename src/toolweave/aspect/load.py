"""Loading aspect files: YAML with lines -> schema -> kinds -> Aspects, every error located.

A broken file yields exactly one AspectError: `file:line: aspect "id": kind "k": message`.
"""

from __future__ import annotations

import hashlib
import os

import yaml

from . import schema as sch
from .errors import AspectError, SpecError
from .model import Aspect, AspectSet
from .registry import ADVICE, JOIN_POINTS, load_kinds
from .yamlnodes import LDict, LList, describe, line_of, load_located

#: The largest aspect file read: YAML composes a document whole before yamlnodes bounds its
#: values (200,000), at seconds per megabyte; a larger file is refused unread.
MAX_FILE_BYTES = 4 << 20


def load_aspects(paths, require_meta: bool = False, valid_marks: str | None = None) -> AspectSet:
    """Load aspect files (and what they extend) in order into one AspectSet.

    `valid_marks`: a directory remembering texts that passed the schema before (by content
    hash and schema hash), so a build does not pay for jsonschema on every run; the kinds'
    own checks still run every time."""
    loader = _Loader(require_meta, valid_marks)
    for path in paths:
        loader.load_file(os.fspath(path), ())
    return AspectSet.of(loader.aspects, loader.sources, loader.meta)


def load_aspect_text(text: str, name: str = "<aspects>") -> AspectSet:
    loader = _Loader(False)
    loader.load_text(text, name, ())
    return AspectSet.of(loader.aspects, loader.sources, loader.meta)


class _Loader:
    def __init__(self, require_meta: bool, valid_marks: str | None = None):
        load_kinds()
        self.require_meta = require_meta
        self.valid_marks = valid_marks
        self.aspects: list[Aspect] = []
        self.sources: list[tuple[str, bytes]] = []
        self.meta: list = []
        self.seen: set[str] = set()

    def load_file(self, path: str, chain: tuple) -> None:
        """Reads at most MAX_FILE_BYTES of path, then loads it (and what it extends)."""
        real = os.path.realpath(path)
        if real in chain:
            raise AspectError(f"extends cycle: {' -> '.join(chain + (real,))}", path)
        if real in self.seen:
            return
        try:
            with open(path, "rb") as f:
                data = f.read(MAX_FILE_BYTES + 1)
        except OSError as err:
            raise AspectError(f"cannot read aspect file: {err.strerror}", path)
        if len(data) > MAX_FILE_BYTES:      # before YAML composes it all (seconds per megabyte)
            raise AspectError(f"aspect file is larger than {MAX_FILE_BYTES >> 20} MiB (toolweave's own are a few KiB)", path)
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError as err:
            raise AspectError("aspect file is not UTF-8", path, data[:err.start].count(b"\n") + 1)
        self.seen.add(real)
        self.load_text(text, path, chain + (real,))

    def load_text(self, text: str, name: str, chain: tuple) -> None:
        self.sources.append((name, text.encode()))
        try:
            doc = load_located(text)
        except yaml.YAMLError as err:
            message, line = describe(err)
            raise AspectError(message, name, line)
        if not isinstance(doc, LDict):
            raise AspectError("an aspect file is a mapping with meta, extends and aspects", name, getattr(doc, "line", 1))
        self._validate(doc, name, text)
        for i, ext in enumerate(doc.get("extends", [])):
            target = os.path.join(os.path.dirname(name), ext)
            if not os.path.exists(target):
                raise AspectError(f"extends {ext!r}: no such file", name, doc["extends"].lines[i])
            if os.path.realpath(target) in chain:
                cycle = chain[chain.index(os.path.realpath(target)):] + (os.path.realpath(target),)
                raise AspectError(f"extends cycle: {' -> '.join(cycle)}", name, doc["extends"].lines[i])
            self.load_file(target, chain)
        if "meta" in doc:
            self.meta.append((name, dict(doc["meta"])))
        self._build_all(doc, name)

    def _validate(self, doc, name, text: str) -> None:
        if self.require_meta and "meta" not in doc:
            raise AspectError('missing "meta" (name and description are required in a shipped file)', name, doc.line)
        mark = self._mark(text)
        if mark is not None and os.path.exists(mark):
            return
        found = sch.first_error(doc)
        if found is None:
            if mark is not None:
                _touch(mark)
            return
        path, kind, message = found
        raise AspectError(message, name, line_of(doc, path), _aspect_id(doc, path), kind)

    def _mark(self, text: str) -> str | None:
        if not self.valid_marks:
            return None
        key = hashlib.sha256(sch.SCHEMA_PATH.read_bytes() + b"\0" + text.encode()).hexdigest()
        return os.path.join(self.valid_marks, key)

    def _build_all(self, doc, name) -> None:
        ids: dict[str, int] = {}
        for i, raw in enumerate(doc.get("aspects", [])):
            aspect_id = raw["id"]
            line = doc["aspects"].lines[i]
            if aspect_id in ids:
                raise AspectError(f"duplicate aspect id (first at line {ids[aspect_id]})", name, line, aspect_id)
            ids[aspect_id] = line
            self.aspects.append(self._build(raw, name, line, aspect_id))

    def _build(self, raw: LDict, name: str, line: int, aspect_id: str) -> Aspect:
        def fail(err: SpecError, default_line: int):
            return AspectError(err.message, name, err.line or default_line, aspect_id, err.kind)

        jp_line = raw.lines["join-point"]
        try:
            join_point = build_join_point(raw["join-point"], jp_line)
        except SpecError as err:
            raise fail(err, jp_line)
        advice_raw = raw["advice"]
        items = advice_raw if isinstance(advice_raw, LList) else [advice_raw]
        lines = advice_raw.lines if isinstance(advice_raw, LList) else [raw.lines["advice"]]
        advice = []
        for item, item_line in zip(items, lines):
            (kind, value), = item.items()
            value_line = item.lines.get(kind, item_line)
            try:
                adv = ADVICE[kind].from_value(value, value_line)
            except SpecError as err:
                raise fail(SpecError(err.message, err.line, err.kind or kind), value_line)
            _check_applicable(join_point, adv, name, value_line, aspect_id)
            advice.append(adv)
        types = _node_types(join_point, advice)
        return Aspect(aspect_id, join_point, tuple(advice), name, line, len(self.aspects), types)


def _touch(path: str) -> None:
    try:
        os.makedirs(os.path.dirname(path), exist_ok=True)
        open(path, "ab").close()
    except OSError:
        pass        # only a speed-up


def build_join_point(value, line: int):
    """Build a join point from its one-key mapping (SpecError, with kind, on a bad value)."""
    (kind, inner), = value.items()
    inner_line = value.lines.get(kind, line) if isinstance(value, LDict) else line
    try:
        return JOIN_POINTS[kind].from_value(inner, inner_line, build_join_point)
    except SpecError as err:
        raise SpecError(err.message, err.line or inner_line, err.kind or kind)


def _check_applicable(join_point, adv, name, line, aspect_id) -> None:
    if adv.node_types is None or join_point.node_types is None:
        return
    if not (adv.node_types & join_point.node_types):
        raise AspectError(
            f"cannot apply to what the join point matches ({', '.join(sorted(join_point.node_types))})",
            name, line, aspect_id, adv.kind)


def _node_types(join_point, advice):
    """Node types worth visiting for an aspect: what its join point can match, narrowed to
    what its advice apply to; file-level advice on a node-agnostic join point need only
    the file node."""
    jp = join_point.node_types
    wanted = set()
    for adv in advice:
        if adv.node_types is None:
            wanted |= {"source_file"} if jp is None else set(jp)
        else:
            wanted |= set(adv.node_types if jp is None else adv.node_types & jp)
    return frozenset(wanted)


def _aspect_id(doc, path) -> str:
    if len(path) >= 2 and path[0] == "aspects" and isinstance(path[1], int):
        item = doc["aspects"][path[1]]
        if isinstance(item, dict) and isinstance(item.get("id"), str):
            return item["id"]
    return ""
