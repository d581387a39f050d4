"""FileContext and Site: what join points and advice see of a file and of one node in it."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cached_property

from ..engine import ImportTable, SourceFile
from .paramlist import groups
from .registry import FUNCTION_TYPES
from .scope import is_field, shadowed

_IGNORE = re.compile(rb"//(?:weave|orchestrion):ignore(?:[ \t]|$)", re.M)
#: Parents whose children are whole statements or declarations: a directive search stops here.
_BOUNDARY_PARENTS = frozenset({"statement_list", "block", "source_file", "communication_case",
                               "expression_case", "type_case", "default_case"})


class FileContext:
    """One file being woven: source, imports, package facts, and lazily computed indexes."""

    def __init__(self, source: SourceFile, package, type_source=None):
        self.source = source
        self.package = package
        self.imports = ImportTable.of(source.root)
        self._type_source = type_source
        self._declared_cache: dict[int, frozenset] = {}   # function node id -> names (names_in_scope)

    def names_in_scope(self, node) -> frozenset:
        """Names declared by the functions enclosing node (their parameters, results and
        bodies; not their own names, which are not in scope inside a method) and by the
        file's package-level declarations. Conservative: a local of any block of an
        enclosing function counts. Cached per function."""
        names = set(self._package_level_names)
        func = node
        while func is not None:
            if func.type in FUNCTION_TYPES:
                names |= self._declared_by(func)
            func = func.parent
        return frozenset(names)

    def _declared_by(self, func) -> frozenset:
        cache = self._declared_cache
        if func.id not in cache:
            name = func.child_by_field_name("name")
            cache[func.id] = frozenset().union(*(declared_names(c) for c in func.named_children if c != name))
        return cache[func.id]

    @cached_property
    def _package_level_names(self) -> frozenset:
        names = set()
        for child in self.source.root.named_children:
            if child.type == "function_declaration":
                name = child.child_by_field_name("name")
                if name is not None:
                    names.add(name.text.decode())
            elif child.type in ("var_declaration", "const_declaration", "type_declaration"):
                names |= declared_names(child)
        return frozenset(names)

    @cached_property
    def types(self):
        """The file's type facts (aspect/typefacts.FileTypes), computed on first use, or
        None where the weave has no type checker behind it."""
        return self._type_source() if self._type_source is not None else None

    @cached_property
    def ignored(self) -> tuple[tuple[int, int], ...]:
        """Byte ranges pruned by `//weave:ignore` / `//orchestrion:ignore`."""
        if not _IGNORE.search(self.source.data):
            return ()
        ranges = []
        stack = [self.source.root]
        while stack:
            node = stack.pop()
            for child in node.named_children:
                if child.type == "comment":
                    if _IGNORE.match(child.text):
                        target = _next_code_sibling(child)
                        if target is not None:
                            ranges.append((target.start_byte, target.end_byte))
                else:
                    stack.append(child)
        return tuple(ranges)

    def is_ignored(self, node) -> bool:
        return any(s <= node.start_byte and node.end_byte <= e for s, e in self.ignored)

    def resolve_qualifier(self, ident) -> str | None:
        """The import path a qualifier identifier node refers to, unless a local declaration
        in scope there shadows it (a shadow elsewhere in the file does not matter)."""
        name = ident.text.decode()
        path = self.imports.resolve(name)
        if path is None or (name in self.local_names and shadowed(ident)):
            return None
        return path

    @cached_property
    def package_clause_name(self) -> str:
        for child in self.source.root.named_children:
            if child.type == "package_clause":
                return child.named_children[0].text.decode() if child.named_children else ""
        return ""

    @cached_property
    def qualifier_uses(self) -> list[tuple[str, int]]:
        """(name, offset) of every identifier used as a package qualifier in the file (a
        local variable's `x.f` is not one where the local is in scope)."""
        uses = []
        stack = [self.source.root]
        while stack:
            node = stack.pop()
            t = node.type
            qualifier = None
            if t == "selector_expression":
                qualifier = node.child_by_field_name("operand")
            elif t == "qualified_type":
                qualifier = node.child_by_field_name("package")
            elif t == "import_declaration":
                continue
            if qualifier is not None and qualifier.type in ("identifier", "package_identifier"):
                name = qualifier.text.decode()
                if name not in self.local_names or not shadowed(qualifier):
                    uses.append((name, qualifier.start_byte))
            stack.extend(node.named_children)
        return uses

    @cached_property
    def local_names(self) -> frozenset:
        """Names declared in the file other than by imports (parameters, variables, types,
        functions, labels...): a syntactic over-approximation of what may shadow an import."""
        return declared_names(self.source.root)


def declared_names(root) -> frozenset:
    """Every name declared under `root` other than by imports."""
    names = set()
    stack = [root]
    while stack:
        node = stack.pop()
        t = node.type
        if t in ("import_declaration", "comment"):
            continue
        if t in _DECLARING:
            for child in _declared_identifiers(node):
                names.add(child.text.decode())
        elif t == "parameter_list":      # as Go reads it: paramlist.groups (split-off names too)
            names.update(n.text.decode() for g in groups(node) for n in g.names)
        stack.extend(node.named_children)
    return frozenset(names)


_DECLARING = frozenset({
    "var_spec", "const_spec", "type_spec", "type_alias", "short_var_declaration", "range_clause",
    "function_declaration", "method_declaration", "labeled_statement", "type_switch_statement",
    "receive_statement", "type_parameter_declaration",
})


def _declared_identifiers(node):
    t = node.type
    if t in ("short_var_declaration", "range_clause", "receive_statement"):
        left = node.child_by_field_name("left")
        return [c for c in (left.named_children if left is not None else []) if c.type == "identifier"]
    if t == "type_switch_statement":
        alias = node.child_by_field_name("alias")
        return [c for c in (alias.named_children if alias is not None else []) if c.type == "identifier"]
    return [c for c in node.children_by_field_name("name")
            if c.type in ("identifier", "type_identifier", "field_identifier", "label_name")]


def _next_code_sibling(comment):
    node = comment.next_named_sibling
    while node is not None and node.type == "comment":
        node = node.next_named_sibling
    if node is not None and node.type == "statement_list":
        # tree-sitter-go puts a comment above a block's first statement before the
        # statement_list: it belongs to that first statement, not to the whole list.
        node = next((c for c in node.named_children if c.type != "comment"), None)
    return node


def _prev_sibling(node):
    """The previous named sibling, seen through the statement_list boundary: the first
    statement of a block is preceded by the comments tree-sitter leaves outside the list."""
    prev = node.prev_named_sibling
    if prev is None and node.parent is not None and node.parent.type == "statement_list":
        prev = node.parent.prev_named_sibling
    return prev


def leading_comments(node):
    """The comments directly above `node` (contiguous lines, nearest first); a comment
    ending a line of code (`x := 1 // note`) belongs to that code, not to what follows."""
    out = []
    row = node.start_point[0]
    prev = _prev_sibling(node)
    while prev is not None and prev.type == "comment" and prev.end_point[0] >= row - 1:
        before = _prev_sibling(prev)
        if before is not None and before.end_point[0] == prev.start_point[0]:
            break
        out.append(prev)
        row = prev.start_point[0]
        prev = prev.prev_named_sibling
    return out


def directive_matches(comment_text: bytes, name: bytes) -> bytes | None:
    """The argument text if the comment is `//name` followed by end or white space."""
    prefix = b"//" + name
    if not comment_text.startswith(prefix):
        return None
    rest = comment_text[len(prefix):]
    if rest and rest[:1] not in (b" ", b"\t"):
        return None
    return rest.strip()


def carries_directive(node, name: bytes) -> bool:
    """Whether `//name` applies to `node`: it is on the node, or on a node it inherits
    directives from (see `_directive_parent`). Arguments of a call never inherit: a directive
    on `step(load())` is about `step`, not `load()`."""
    while node is not None:
        if any(directive_matches(c.text.rstrip(), name) is not None for c in leading_comments(node)):
            return True
        node = _directive_parent(node)
    return False


def _directive_parent(node):
    """The node whose directives also apply to `node` (Orchestrion's rules), else None:
    a spec inherits from its declaration; the right side of an assignment (and the left of
    `:=`) from the statement; the callee of a call from the call; the value of a `defer`,
    `go`, `return`, send, labeled or expression statement from the statement; and (our
    addition, for `var f = func…`) the values of a var/const spec from the spec."""
    parent = node.parent
    if parent is None:
        return None
    if node.type in ("var_spec", "const_spec"):
        while parent is not None and parent.type in ("var_spec_list", "const_spec_list"):
            parent = parent.parent
        return parent
    t = parent.type
    if t == "expression_list":
        return _list_owner(parent)
    if t == "call_expression":
        return parent if is_field(parent, "function", node) else None
    if t == "send_statement":
        return parent if is_field(parent, "value", node) else None
    if t in ("defer_statement", "go_statement", "expression_statement", "labeled_statement"):
        return parent
    return None


def _list_owner(exprs):
    """The statement or spec an expression_list inherits directives from, or None."""
    owner = exprs.parent
    if owner is None:
        return None
    if owner.type == "assignment_statement":
        return owner if is_field(owner, "right", exprs) else None
    if owner.type in ("var_spec", "const_spec"):
        return owner if is_field(owner, "value", exprs) else None
    return owner if owner.type in ("short_var_declaration", "return_statement") else None


def find_directive(node, name: bytes):
    """The arguments of the nearest `//name` on `node` or the enclosing statement,
    declaration, assignment, call, defer, go or return (None if there is none)."""
    while node is not None:
        for comment in leading_comments(node):
            args = directive_matches(comment.text.rstrip(), name)
            if args is not None:
                return args
        parent = node.parent
        if parent is None or parent.type in _BOUNDARY_PARENTS:
            return None
        node = parent
    return None


def enclosing_function(node):
    """The nearest function declaration, method or literal containing (or being) `node`."""
    while node is not None and node.type not in FUNCTION_TYPES:
        node = node.parent
    return node


@dataclass
class Site:
    """One candidate node in one file."""

    node: object
    file: FileContext
    aspect_id: str = ""

    @property
    def package(self):
        return self.file.package
