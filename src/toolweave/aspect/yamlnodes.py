"""YAML loading that keeps line numbers: mappings and sequences remember where each value is."""

from __future__ import annotations

import yaml


class LDict(dict):
    """A mapping with `line` (its own) and `lines[key]` (line of each value)."""

    line = 0
    lines: dict


class LList(list):
    """A sequence with `line` and `lines[i]`."""

    line = 0
    lines: list


#: Bounds on what one document may expand to. Aliases share composed nodes, so nine levels
#: of nine aliases compose at once but would convert to 9**9 values: a document is refused
#: once it converts to more than MAX_NODES values or nests deeper than MAX_DEPTH (aspect files
#: and toolweave.yml have a few thousand values and a dozen levels).
MAX_NODES = 200_000
MAX_DEPTH = 64


class _Converter:
    """Composed nodes to LDict/LList/scalars, within MAX_NODES and MAX_DEPTH."""

    def __init__(self):
        self.count = 0
        self.depth = 0
        self.aliased = False
        self.seen: set[int] = set()

    def convert(self, node):
        self.count += 1
        if self.count > MAX_NODES:
            why = " (YAML aliases expanding)" if self.aliased else ""
            raise yaml.constructor.ConstructorError(
                None, None, f"the document expands to more than {MAX_NODES:,} values{why}", node.start_mark)
        if not isinstance(node, (yaml.MappingNode, yaml.SequenceNode)):
            return _scalar(node)
        if id(node) in self.seen:
            self.aliased = True
        self.seen.add(id(node))
        self.depth += 1
        if self.depth > MAX_DEPTH:
            raise yaml.constructor.ConstructorError(
                None, None, f"nested deeper than {MAX_DEPTH} levels (a recursive YAML alias?)", node.start_mark)
        try:
            return self._mapping(node) if isinstance(node, yaml.MappingNode) else self._sequence(node)
        finally:
            self.depth -= 1

    def _mapping(self, node):
        out = LDict()
        out.line, out.lines = node.start_mark.line + 1, {}
        for key_node, value_node in node.value:
            key = self.convert(key_node)
            if isinstance(key, (LDict, LList)):
                raise yaml.constructor.ConstructorError(None, None, "a mapping key must be a scalar", key_node.start_mark)
            if not isinstance(key, str):
                # YAML 1.1 reads on/off/yes/no/y/n as booleans and digits as numbers
                raise yaml.constructor.ConstructorError(
                    None, None, f"a mapping key must be a string: {key_node.value!r} reads as {key!r} here; "
                    "quote it", key_node.start_mark)
            if key in out:
                raise yaml.constructor.ConstructorError(
                    None, None, f"duplicate key {key!r} (first at line {out.lines[key]})", key_node.start_mark)
            out[key] = self.convert(value_node)
            out.lines[key] = key_node.start_mark.line + 1
        return out

    def _sequence(self, node):
        out = LList(self.convert(n) for n in node.value)
        out.line, out.lines = node.start_mark.line + 1, [n.start_mark.line + 1 for n in node.value]
        return out


def _scalar(node):
    loader = yaml.SafeLoader("")
    try:
        return loader.construct_object(node, deep=True)
    finally:
        loader.dispose()


# libyaml's parser when PyYAML was built with it: ten times faster, same marks.
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def load_located(text: str):
    """Parse one YAML document into LDict/LList/scalars; raises yaml.YAMLError."""
    node = yaml.compose(text, Loader=_LOADER)
    return None if node is None else _Converter().convert(node)


def describe(err: yaml.YAMLError) -> tuple[str, int]:
    """One line saying what is wrong with a document, and its line (1 when unknown)."""
    mark = getattr(err, "problem_mark", None) or getattr(err, "context_mark", None)
    problem = getattr(err, "problem", None) or str(err)
    what = "YAML" if isinstance(err, yaml.constructor.ConstructorError) else "YAML syntax error"
    return f"{what}: {problem}", mark.line + 1 if mark else 1


def line_of(doc, path) -> int:
    """The line of the value at `path` (a sequence of keys/indices) inside `doc`, or the
    nearest enclosing line when the path leaves the document."""
    line = getattr(doc, "line", 0)
    cur = doc
    for step in path:
        if isinstance(cur, LDict) and step in cur:
            line, cur = cur.lines.get(step, line), cur[step]
        elif isinstance(cur, LList) and isinstance(step, int) and step < len(cur):
            line, cur = cur.lines[step], cur[step]
        else:
            break
    return line
