"""Code templates: Go text/template text that renders Go source, plus the imports it names.

Rendering turns a template into edit segments: the text is executed against the template
context, parsed as Go in the shape the advice needs (statements, one expression, or
declarations), package qualifiers listed in `imports` are renamed to the names the file
really uses, and every `{{ . }}`-style reference to an original node becomes an `Orig`
segment so the moved code keeps its position.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..engine import Gen, Orig, parse_go
from ..template import Template, TemplateError
from .errors import SpecError
from .registry import expect
from .site import declared_names

HOLE = re.compile(r"__tw_node_(\d+)__")
_IDENT = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
_WRAP = {
    "statements": ("package p\nfunc _() {\n", "\n}\n"),
    "expression": ("package p\nvar _ = ", "\n"),
    "declarations": ("package p\n", "\n"),
}


class RenderError(Exception):
    """A template that failed to execute or rendered code of the wrong shape."""


class Segments(list):
    """Rendered Gen/Orig segments. `kind`: for shape "expression", the tree-sitter type of
    the rendered expression (advice that put it in an operand position need it)."""

    kind = ""


@dataclass(frozen=True)
class CodeTemplate:
    text: str
    imports: tuple[tuple[str, str], ...]
    lang: str
    line: int
    compiled: object = field(compare=False, repr=False, default=None)
    # Predeclared identifiers the template writes itself (outside its actions): the ones it
    # means as Go's, to check against the program's declarations where it is woven.
    predeclared: frozenset = field(compare=False, repr=False, default=frozenset())

    @classmethod
    def from_value(cls, value, line: int, version: str) -> "CodeTemplate":
        """Accepts `{template, imports, lang}` (or a bare template string)."""
        if isinstance(value, str):
            value = {"template": value}
        lines = getattr(value, "lines", {})
        expect(value, dict, "a code template mapping with template and imports", line)
        unknown = set(value) - {"template", "imports", "lang", "links"}
        if unknown:
            raise SpecError(f"unknown code template field {sorted(unknown)[0]!r} (expected template, imports, lang)", line)
        if "template" not in value:
            raise SpecError("missing template", line)
        text = expect(value["template"], str, "a template string", line)
        imports = expect(value.get("imports") or {}, dict, "a mapping of alias to import path", line)
        for alias, path in imports.items():
            if not isinstance(alias, str) or not _IDENT.match(alias) or alias in ("_", "."):
                raise SpecError(f"bad import alias {alias!r}: expected an identifier", line)
            expect(path, str, "an import path string", line)
        lang = value.get("lang") or ""
        if lang and not re.match(r"^go1\.\d+$", str(lang)):
            raise SpecError(f"bad lang {lang!r}: expected go1.N", lines.get("lang", line))
        tmpl = Template("code", funcs={"Version": lambda: version})
        try:
            tmpl.parse(text)
        except TemplateError as err:
            raise SpecError(f"template syntax error: {err}", lines.get("template", line))
        literal = re.sub(r"\{\{.*?\}\}", " ", text, flags=re.DOTALL)
        return cls(text, tuple(sorted(imports.items())), str(lang), line, tmpl,
                   frozenset(re.findall(r"[A-Za-z_][A-Za-z0-9_]*", literal)) & PREDECLARED)

    def render(self, dot, shape: str, weaver) -> list:
        """Execute against `dot` and return Gen/Orig segments (RenderError on failure)."""
        try:
            text = self.compiled.execute(dot, max_steps=MAX_STEPS, max_output=MAX_OUTPUT)
        except TemplateError as err:
            raise RenderError(str(err))
        site = getattr(dot, "_site", None) if self.predeclared else None
        return _segments(text, shape, dict(self.imports), dot.holes, weaver, site, self.predeclared)


#: What one advice's template may take to render at one site: real templates range over a
#: function's parameters or a call's arguments (tens of steps, a few kilobytes of code). A
#: template that loops (`range 100000000`) or recurses without end fails that file's weave.
MAX_STEPS = 100_000
MAX_OUTPUT = 1 << 20


def _segments(text: str, shape: str, imports: dict, holes: list, weaver, site=None,
              predeclared: frozenset = frozenset()) -> list:
    prefix, suffix = _WRAP[shape]
    wrapped = (prefix + text + suffix).encode()
    tree = parse_go(wrapped)
    base = len(prefix.encode())
    kind = _check_shape(tree.root_node, shape, text)
    if site is not None:
        _check_predeclared(tree.root_node, site, predeclared)
    imports = {**imports, **_file_references(tree.root_node, imports, weaver)}
    renames = []
    for ident in _qualifiers(tree.root_node, imports):
        alias = ident.text.decode()
        renames.append((ident.start_byte - base, ident.end_byte - base, weaver.import_name(imports[alias], alias)))
    body = text.encode()
    out, pos = [], 0
    for start, end, name in sorted(renames):
        out.append(body[pos:start].decode())
        out.append(name)
        pos = end
    out.append(body[pos:].decode())
    segments = Segments(_split_holes("".join(out), holes))
    segments.kind = kind
    return segments


#: Go's predeclared identifiers (the universe block).
PREDECLARED = frozenset("""
    any bool byte comparable complex64 complex128 error float32 float64 int int8 int16 int32
    int64 rune string uint uint8 uint16 uint32 uint64 uintptr true false iota nil append cap
    clear close complex copy delete imag len make max min new panic print println real recover
""".split())


def _check_predeclared(root, site, written: frozenset) -> None:
    """RenderError if the rendering uses, as an identifier, a predeclared name (`error`,
    `len`, `nil` …) that the template writes itself (`written`; a name that comes from the
    program, such as a parameter's through .Name, means the program's on purpose) and that
    the program declares where the code goes: a parameter, result or local of an enclosing
    function, or a package-level declaration of the file (`func Error(w ResponseWriter,
    error string, code int)` in net/http). The code would then mean the program's name, and
    usually not compile; the file is left unwoven with this error instead of breaking the
    build. Conservative: a local of another block of the same function counts too."""
    used = {n.text.decode() for n in _identifiers(root)} & written
    if not used:
        return
    shadowed = sorted((used - declared_names(root)) & site.file.names_in_scope(site.node))
    if shadowed:
        name = shadowed[0]
        raise RenderError(f"the template names Go's predeclared {name!r}, which {site.file.source.path} declares "
                          f"where the code goes: the woven code would mean the program's {name!r}")


def _identifiers(root):
    stack = [root]
    while stack:
        node = stack.pop()
        if node.type in ("identifier", "type_identifier"):
            yield node
        stack.extend(node.named_children)


def _split_holes(text: str, holes: list) -> list:
    segments, pos = [], 0
    for m in HOLE.finditer(text):
        if m.start() > pos:
            segments.append(Gen(text[pos:m.start()]))
        start, end = holes[int(m.group(1))]
        segments.append(Orig(start, end))
        pos = m.end()
    if pos < len(text):
        segments.append(Gen(text[pos:]))
    return segments


def _check_shape(root, shape: str, text: str) -> str:
    """RenderError unless `root` (the wrapped rendering) has the shape; for an expression,
    returns the type of its root node."""
    if root.has_error:
        raise RenderError(f"template rendered invalid Go {shape}: {text.strip()[:200]!r}")
    if shape == "expression":
        spec = root.named_children[-1].named_children[0]
        values = spec.child_by_field_name("value")
        if values is None or len(values.named_children) != 1:
            raise RenderError(f"template must render exactly one expression, got {text.strip()[:200]!r}")
        return values.named_children[0].type
    if shape == "declarations":
        for child in root.named_children[1:]:
            if child.type == "import_declaration":
                raise RenderError("templates may not contain import declarations: list them under imports")
    return ""


def _file_references(root, imports: dict, weaver) -> dict:
    """Qualifiers of the rendering that `imports` does not list ({name: path}): resolved
    against the imports of the aspect's other templates, else (unless the file declares that
    name) the woven file's own imports, by name or by package name. RenderError for one that
    resolves to no import and to no declaration of the file or of the rendering: it could only
    be a missing import. Real aspect files rely on this (`context.Context` in a file that
    imports context)."""
    fctx = weaver.fctx
    local = None
    found = {}
    for ident in _qualifiers(root, None):
        name = ident.text.decode()
        if name in imports or name in found or name.startswith("__tw_"):
            continue
        path = weaver.aspect_imports.get(name)
        if path is None:
            if name in fctx.local_names:
                continue
            path = fctx.imports.resolve(name) or fctx.imports.by_package_name(name)
        if path is not None:
            found[name] = path
            continue
        if local is None:
            local = declared_names(root)
        if name not in local:
            raise RenderError(f"template refers to package {name!r}, which neither the aspect's imports "
                              f"nor the imports of {fctx.source.path} provide")
    return found


def _qualifiers(root, imports: dict | None):
    """Identifier nodes used as package qualifiers whose name is an `imports` alias (every
    one when `imports` is None)."""
    stack = [root]
    while stack:
        node = stack.pop()
        t = node.type
        if t == "selector_expression":
            operand = node.child_by_field_name("operand")
            if operand.type == "identifier" and (imports is None or operand.text.decode() in imports):
                yield operand
        elif t == "qualified_type":
            pkg = node.child_by_field_name("package")
            if imports is None or pkg.text.decode() in imports:
                yield pkg
        stack.extend(node.named_children)
