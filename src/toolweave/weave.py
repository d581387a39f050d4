"""weave_file: one Go file + aspects + package facts -> Unchanged | Rewritten | Skipped | Failed.

    prefilter (package facts, then bytes) -> parse -> match (post-order) -> advise -> splice

The prefilter is three-valued per package and a substring test per file, so most files are
never parsed. A file we cannot weave is reported as Failed and left as it was; a file with
no match comes back as Unchanged (its bytes untouched).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache

from .aspect.facts import PackageFacts
from .aspect.site import FileContext, Site
from .engine import EditConflict, SourceFile


@dataclass(frozen=True)
class Unchanged:
    """Parsed; nothing matched."""


@dataclass(frozen=True)
class Skipped:
    """The prefilter proved no aspect can match; the file was never parsed."""

    reason: str = ""


@dataclass(frozen=True)
class Failed:
    """Something matched but the file could not be woven; it stays as it was."""

    reason: str


@dataclass(frozen=True)
class Rewritten:
    data: bytes
    imports: tuple[str, ...] = ()      # import paths the woven code added
    links: tuple[str, ...] = ()        # packages named by `links` of injected declarations
    langs: tuple[str, ...] = ()        # `lang` of the templates used
    applied: tuple[str, ...] = field(default=(), compare=False)   # aspect ids that matched


def package_candidates(aspects, package: PackageFacts) -> list:
    """The aspects that may match some file of this package (package-level prefilter)."""
    return [a for a in aspects if a.join_point.package_may_match(package) is not False]


def weave_file(path: str, data: bytes, aspects, package: PackageFacts | None = None, types=None):
    """Weave one file. `aspects` is an AspectSet or a list of Aspects already narrowed by
    `package_candidates`; `path` is the name line directives use; `types`, if given, is
    called (at most once, and only when a question needs it) for the file's type facts."""
    package = package or PackageFacts()
    seq = getattr(aspects, "aspects", aspects)
    candidates = [a for a in package_candidates(seq, package) if a.join_point.file_may_match(data)]
    if not candidates:
        return Skipped("no aspect may match this file")
    if not data.endswith(b"\n"):
        # Valid Go, but tree-sitter-go wants a terminator after some final declarations
        # (`type T struct{}` at EOF): a woven file gains the newline gofmt would add.
        data += b"\n"
    source = SourceFile.parse(path, data)
    fctx = FileContext(source, package, types)
    matches = _match(fctx, candidates)
    if not matches:
        return Unchanged()
    if source.has_errors:
        return Failed(f"{path}: tree-sitter-go could not parse the file cleanly; left unwoven")
    return _advise(fctx, matches)


def _match(fctx: FileContext, aspects) -> list[tuple[object, list]]:
    """[(node, [aspect…])] in post-order, for every node some aspect matches."""
    wanted = frozenset().union(*(a.node_types for a in aspects))
    root = fctx.source.root
    nodes = _nodes_of_types(root, wanted)
    out = []
    for node in nodes:
        hits = []
        for a in aspects:
            if node.type in a.node_types and not fctx.is_ignored(node):
                if a.join_point.matches(Site(node, fctx, a.id)):
                    hits.append(a)
        if hits:
            out.append((node, hits))
    return out


def _nodes_of_types(root, types: frozenset) -> list:
    if not types:
        return []
    found = []
    if "source_file" in types:
        found.append(root)
    rest = types - {"source_file"}
    if rest:
        from tree_sitter import QueryCursor

        for nodes in QueryCursor(_query(rest)).captures(root).values():
            found.extend(nodes)
    # Post-order: inner nodes before the nodes that contain them.
    found.sort(key=lambda n: (n.end_byte, -n.start_byte))
    return found


@lru_cache(maxsize=64)
def _query(types: frozenset):
    import tree_sitter
    import tree_sitter_go

    text = " ".join(f"({t}) @n" for t in sorted(types))
    return tree_sitter.Query(tree_sitter.Language(tree_sitter_go.language()), text)


def _advise(fctx: FileContext, matches):
    from .aspect.code import RenderError
    from .aspect.weaver import FileWeaver

    weaver = FileWeaver(fctx)
    applied = []
    for node, aspects in matches:
        plan = []
        for a in aspects:
            for i, adv in enumerate(a.advice):
                if adv.node_types is None or node.type in adv.node_types:
                    plan.append((adv.namespace is None, adv.namespace or "", adv.order, a.index, i, a, adv))
        plan.sort(key=lambda p: p[:5])
        for *_, aspect, adv in plan:
            weaver.aspect_imports = aspect.template_imports
            try:
                adv.apply(Site(node, fctx, aspect.id), weaver)
            except (RenderError, ValueError, IndexError, AttributeError) as err:
                line = fctx.source.line_col(node.start_byte)[0]
                return Failed(f"{fctx.source.path}:{line}: aspect {aspect.name}: {adv.kind}: {err}")
            applied.append(aspect.id)
    try:
        data = weaver.finish()
    except EditConflict as err:
        return Failed(f"{fctx.source.path}: {err}")
    return Rewritten(data, tuple(weaver.added), tuple(sorted(weaver.links)), tuple(sorted(weaver.langs)),
                     tuple(dict.fromkeys(applied)))
