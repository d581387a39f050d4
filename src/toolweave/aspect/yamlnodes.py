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


def _convert(node):
    line = node.start_mark.line + 1
    if isinstance(node, yaml.MappingNode):
        out = LDict()
        out.line, out.lines = line, {}
        for key_node, value_node in node.value:
            key = _convert(key_node)
            if isinstance(key, (LDict, LList)):
                raise yaml.constructor.ConstructorError(None, None, "a mapping key must be a scalar", key_node.start_mark)
            if key in out:
                raise yaml.constructor.ConstructorError(
                    None, None, f"duplicate key {key!r} (first at line {out.lines[key]})", key_node.start_mark)
            out[key] = _convert(value_node)
            out.lines[key] = key_node.start_mark.line + 1
        return out
    if isinstance(node, yaml.SequenceNode):
        out = LList(_convert(n) for n in node.value)
        out.line, out.lines = line, [n.start_mark.line + 1 for n in node.value]
        return out
    return _scalar(node)


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
    return None if node is None else _convert(node)


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
