"""Instrumented calls made without a context.Context, found syntactically in one file.

A span's parent comes from the context it is started with. A call the built-in integrations
instrument but that carries no context (`db.Query(q)`, `http.Get(url)`, `slog.Info(msg)`, a
`//weave:span` function with no context parameter) starts a trace of its own — or, for a
log record, belongs to no trace — even when it runs inside a request. Until goroutine-local
context exists, `toolweave list` names these calls and a build says once that they exist.

What counts, per built-in integration (`scan_source`'s `integrations`):

- `databasesql`: a method call `x.Query`, `x.QueryRow`, `x.Exec`, `x.Prepare` or `x.Begin`
  (the methods of *sql.DB, *sql.Tx and *sql.Stmt that have a context twin; Ping is not
  traced by default) in a package that imports database/sql (files call through a field
  declared in another file, so the package's imports decide, not the file's). Without
  type information the receiver's type is unknown, so: a receiver that is an import's
  qualifier is a package function, not a method (`strings.X`); `Query()` with no argument
  is taken for url.URL's; `Prepare` needs one argument and `Begin` none; a first argument
  that looks like a context (`ctx`, `…Ctx`, `r.Context()`, `context.X(…)`) is some other
  library's context-first API (pgx). False positives: another type's method of one of
  these names called in such a package (a builder's `Exec()`, a user type's `Query(q)`).
  False negatives: a Stmt's `Query()` without arguments; a *sql.DB not opened through
  sql.Open/OpenDB is not instrumented at all, yet listed.
- `nethttp`: package-level `http.Get`, `Head`, `Post`, `PostForm` and `http.NewRequest`
  (the import's name resolved through the file's imports and local scopes), and the same
  four methods called on `http.DefaultClient` or on a variable whose declaration spells
  http.Client (`c := &http.Client{…}`, `var c http.Client`, a `c *http.Client` parameter).
  A request made by NewRequest and later given a context (`req.WithContext(ctx)`) is
  still listed; a dot import of net/http is not followed.
- `slog`: package-level `slog.Debug`, `Info`, `Warn`, `Error`, and those methods on a logger
  written inline as `slog.Default()` or `slog.With(…)`. Other loggers' `.Info` is too
  ambiguous without types and is skipped.
- `weave-span`: a function carrying `//weave:span` with neither a context.Context nor an
  *http.Request parameter: weave-span.yml starts its span from context.Background().

`//weave:ignore` subtrees are skipped. The cheap test (`wanted`) runs on bytes before any
parse; `scan_source` parses only files that pass it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from ..engine import SourceFile
from ..engine.imports import default_name
from .facts import PackageFacts
from .join.calls import calls_function, callee, declared_type
from .registry import FUNCTION_TYPES
from .scope import shadowed
from .signature import param_has_type, params
from .site import FileContext, carries_directive
from .types import TypeName, type_matches

#: Built-in integration -> how a finding names what it instruments.
LABELS = {"databasesql": "database/sql", "nethttp": "net/http", "slog": "log/slog", "weave-span": "//weave:span"}
INTEGRATIONS = frozenset(LABELS)

_SQL_TWINS = {"Query": "QueryContext", "QueryRow": "QueryRowContext", "Exec": "ExecContext",
              "Prepare": "PrepareContext", "Begin": "BeginTx"}
_HTTP_FUNCS = {"Get": "use NewRequestWithContext and Client.Do", "Head": "use NewRequestWithContext and Client.Do",
               "Post": "use NewRequestWithContext and Client.Do",
               "PostForm": "use NewRequestWithContext and Client.Do", "NewRequest": "use NewRequestWithContext"}
_HTTP_CLIENT_METHODS = frozenset({"Get", "Head", "Post", "PostForm"})
_SLOG_FUNCS = {"Debug": "DebugContext", "Info": "InfoContext", "Warn": "WarnContext", "Error": "ErrorContext"}
_CALL_NAMES = frozenset(_SQL_TWINS) | frozenset(_HTTP_FUNCS) | _HTTP_CLIENT_METHODS | frozenset(_SLOG_FUNCS)
_HTTP_CLIENT = TypeName("", "net/http", "Client")
_CONTEXT = TypeName("", "context", "Context")
_REQUEST = TypeName("*", "net/http", "Request")

_SQL_METHOD_CALL = re.compile(rb"\.\s*(?:Query|QueryRow|Exec|Prepare|Begin)\s*\(")
_ALIAS = re.compile(rb"\b([A-Za-z_]\w*)[ \t]+\Z")
_SPAN_DIRECTIVE = re.compile(rb"//weave:span(?:[ \t\r]|$)", re.M)
#: Integrations whose findings are written `name.X` (name: the file's name for the import):
#: (import path, what may follow `name.` in a finding or in what declares an http.Client).
_QUALIFIED = {"nethttp": ("net/http", rb"(?:Get|Head|Post|PostForm|NewRequest|DefaultClient|Client)\b"),
              "slog": ("log/slog", rb"(?:Debug|Info|Warn|Error|Default|With)\b")}


@dataclass(frozen=True)
class Finding:
    """One instrumented call without a context: `call` is the callee as written (line breaks
    removed, long chains shortened), or `func Name` / `func literal` for a `//weave:span`
    function; `line` is 1-based, physical; `fix` says what to write instead."""

    path: str
    line: int
    call: str
    integration: str
    fix: str

    def describe(self) -> str:
        """`s.db.Query (database/sql: use QueryContext)`."""
        return f"{self.call} ({LABELS[self.integration]}: {self.fix})"


def wanted(data: bytes, package: PackageFacts, integrations) -> frozenset:
    """The integrations (of `integrations`) that may have a finding in a file of `package`
    with bytes `data`: regular expressions over the bytes, no parse. database/sql needs the
    package to import it (the file's own bytes decide when the imports are unknown) and a
    `.Query(`-like call; net/http and slog need `name.` followed by one of their functions,
    where name is what the file imports them as; weave-span needs the directive."""
    out = set()
    for name in INTEGRATIONS.intersection(integrations):
        if name == "databasesql":
            imported = (b'"database/sql"' in data if package.imports is None
                        else "database/sql" in package.imports)
            hit = imported and _SQL_METHOD_CALL.search(data) is not None
        elif name == "weave-span":
            hit = _SPAN_DIRECTIVE.search(data) is not None
        else:
            path, tail = _QUALIFIED[name]
            hit = any(re.search(rb"\b" + re.escape(q) + rb"\s*\.\s*" + tail, data)
                      for q in _import_names(data, path))
        if hit:
            out.add(name)
    return frozenset(out)


def _import_names(data: bytes, path: str) -> set[bytes]:
    """The names under which the file may import `path`, read off its bytes: the alias
    written before the quoted path on its line, else the conventional name. Any `"path"`
    string counts (an over-approximation, as a byte test may be); none: not imported."""
    names, quoted = set(), b'"' + path.encode() + b'"'
    i = data.find(quoted)
    while i >= 0:
        m = _ALIAS.search(data[data.rfind(b"\n", 0, i) + 1:i])
        names.add(m.group(1) if m and m.group(1) != b"import" else default_name(path).encode())
        i = data.find(quoted, i + len(quoted))
    return names


def scan_source(path: str, data: bytes, package: PackageFacts, integrations) -> tuple[Finding, ...]:
    """Every finding in one Go file, in source order. Parses only when `wanted` says some
    integration may have one; a file tree-sitter cannot parse cleanly still gives what it
    finds in the parts it understood."""
    which = wanted(data, package, integrations)
    if not which:
        return ()
    fctx = FileContext(SourceFile.parse(path, data), package)
    found = []
    if which - {"weave-span"}:
        for call in _nodes(fctx.source.root, "call_expression"):
            finding = None if fctx.is_ignored(call) else _call_finding(call, fctx, which)
            if finding is not None:
                found.append(finding)
    if "weave-span" in which:
        for func in _nodes(fctx.source.root, *sorted(FUNCTION_TYPES)):
            finding = None if fctx.is_ignored(func) else _span_finding(func, fctx)
            if finding is not None:
                found.append(finding)
    return tuple(sorted(found, key=lambda f: f.line))


def _call_finding(call, fctx: FileContext, which) -> Finding | None:
    fn = callee(call)
    if fn is None or fn.type != "selector_expression":
        return None
    operand, field = fn.child_by_field_name("operand"), fn.child_by_field_name("field")
    if operand is None or field is None:
        return None
    name = field.text.decode()
    if name not in _CALL_NAMES:                     # most calls: no further look
        return None
    qualifier = _qualifier(operand, fctx)
    found = None
    if qualifier is not None:                       # pkg.F(…): a package function
        if qualifier == "net/http" and name in _HTTP_FUNCS and "nethttp" in which:
            found = ("nethttp", _HTTP_FUNCS[name])
        elif qualifier == "log/slog" and name in _SLOG_FUNCS and "slog" in which:
            found = ("slog", f"use {_SLOG_FUNCS[name]}")
    elif name in _SQL_TWINS and "databasesql" in which and _sql_method_call(name, call, fctx):
        found = ("databasesql", f"use {_SQL_TWINS[name]}")
    elif name in _HTTP_CLIENT_METHODS and "nethttp" in which and _http_client(operand, call, fctx):
        found = ("nethttp", "use NewRequestWithContext and Client.Do")
    elif name in _SLOG_FUNCS and "slog" in which and _inline_slog_logger(operand, fctx):
        found = ("slog", f"use {_SLOG_FUNCS[name]}")
    if found is None:
        return None
    return Finding(fctx.source.path, fctx.source.line_col(field.start_byte)[0], _shown(fctx.source.text(fn)), *found)


def _qualifier(operand, fctx: FileContext) -> str | None:
    """The import path `operand` names as a package qualifier, unless a local declaration
    in scope hides it (FileContext.resolve_qualifier without its whole-file index of
    local names, which costs more than the few candidates here)."""
    if operand.type != "identifier":
        return None
    path = fctx.imports.resolve(operand.text.decode())
    return None if path is None or shadowed(operand) else path


def _sql_method_call(name: str, call, fctx: FileContext) -> bool:
    """Whether `x.name(args)` may be database/sql's context-less method (see the module
    docstring for the argument rules)."""
    args = _arguments(call)
    if name == "Begin":
        return not args
    if name == "Prepare" and len(args) != 1:
        return False
    if name == "Query" and not args:
        return False
    return not (args and _looks_like_context(args[0], fctx))


def _http_client(operand, call, fctx: FileContext) -> bool:
    """Whether `operand` is syntactically an http.Client: http.DefaultClient, or a variable
    whose declaration spells the type."""
    if operand.type == "selector_expression":
        pkg, field = operand.child_by_field_name("operand"), operand.child_by_field_name("field")
        return (pkg is not None and pkg.type == "identifier" and field is not None
                and field.text == b"DefaultClient" and _qualifier(pkg, fctx) == "net/http")
    if operand.type != "identifier":
        return False
    type_node = declared_type(operand, call)
    if type_node is not None and type_node.type == "pointer_type":
        type_node = type_node.named_children[-1]
    return type_node is not None and type_matches(_HTTP_CLIENT, type_node, fctx)


def _inline_slog_logger(operand, fctx: FileContext) -> bool:
    """Whether `operand` is `slog.Default()` or `slog.With(…)` written inline."""
    return operand.type == "call_expression" and (
        calls_function(operand, "log/slog", "Default", fctx) or calls_function(operand, "log/slog", "With", fctx))


def _looks_like_context(arg, fctx: FileContext) -> bool:
    """`ctx`, `reqCtx`, `context`, `r.Context()`, `context.Background()` and the like."""
    if arg.type == "identifier":
        text = arg.text.decode()
        return text.lower().endswith("ctx") or text == "context"
    if arg.type == "call_expression":
        fn = callee(arg)
        if fn is not None and fn.type == "selector_expression":
            operand, field = fn.child_by_field_name("operand"), fn.child_by_field_name("field")
            if field is not None and field.text == b"Context":
                return True
            return operand is not None and _qualifier(operand, fctx) == "context"
    return False


def _span_finding(func, fctx: FileContext) -> Finding | None:
    """A `//weave:span` function whose span has no parent to take (weave-span.yml's rule:
    a context.Context parameter, else an *http.Request one, else a root span)."""
    if func.child_by_field_name("body") is None or not carries_directive(func, b"weave:span"):
        return None
    if any(param_has_type(p, _CONTEXT, fctx) or param_has_type(p, _REQUEST, fctx)
           for p in params(func, "parameters")):
        return None
    name = func.child_by_field_name("name")
    what = "func literal" if func.type == "func_literal" or name is None else f"func {name.text.decode()}"
    line = fctx.source.line_col(func.start_byte if name is None else name.start_byte)[0]
    return Finding(fctx.source.path, line, what, "weave-span", "take a ctx context.Context parameter")


def _arguments(call) -> list:
    args = call.child_by_field_name("arguments")
    return [] if args is None else [a for a in args.named_children if a.type != "comment"]


def _shown(text: str, limit: int = 60) -> str:
    """The callee as one short line: line breaks (and their indentation) removed, a long
    chain cut at the front."""
    text = re.sub(r"\s*\n\s*", "", text)
    return text if len(text) <= limit else "…" + text[-(limit - 1):]


def _nodes(root, *types: str) -> list:
    from tree_sitter import QueryCursor

    found = []
    for nodes in QueryCursor(_query(types)).captures(root).values():
        found.extend(nodes)
    return found


@lru_cache(maxsize=8)
def _query(types: tuple[str, ...]):
    import tree_sitter
    import tree_sitter_go

    return tree_sitter.Query(tree_sitter.Language(tree_sitter_go.language()), " ".join(f"({t}) @n" for t in types))
