"""`.AST`: a tree-sitter node seen through the field names of Go's own AST (go/ast).

Templates written for Orchestrion read `.AST.Args`, `.AST.Fun.Name`, `.AST.Ellipsis`,
`.AST.Type.Params.List` …; each view answers the go/ast field of the node kind it stands for
and prints as (a placeholder for) the source it spans, so moved code keeps its position. A
qualified reference to a package-level name (`http.Get`, `url.URL`) is one identifier with
`.Name` and `.Path`, as in Orchestrion's AST. Field values that are not nodes in go/ast are
plain values: `Name`/`Path`/`Op`/`Kind`/`Value`/`Tok` strings, `Ellipsis`/`Incomplete`/`Assign`
booleans (true where go/ast has a valid position), absent optional nodes `nil`.
"""

from __future__ import annotations

from .paramlist import groups


class Holes:
    """Placeholders handed out during one render: `__tw_node_N__` stands for a byte range."""

    def __init__(self):
        self.ranges: list[tuple[int, int]] = []

    def of(self, start: int, end: int) -> str:
        self.ranges.append((start, end))
        return f"__tw_node_{len(self.ranges) - 1}__"

    def __getitem__(self, i):
        return self.ranges[i]


class NodeView:
    """An original node (or byte span) in a template. Attribute access follows go/ast; an
    unknown field raises AttributeError ("can't evaluate field" in the template)."""

    def __init__(self, node, env, start: int | None = None, end: int | None = None):
        self._node, self._env = node, env
        self._start = node.start_byte if start is None else start
        self._end = node.end_byte if end is None else end

    def __str__(self) -> str:
        return self._env.holes.of(self._start, self._end)

    @property
    def __go_type__(self) -> str:
        """The go/ast type it stands for, for `printf "%T"` (templates test a node's kind so:
        `eq (printf "%T" .) "*ast.BasicLit"`)."""
        return _GO_TYPES.get(self._node.type, "ast.Node")

    def __getattr__(self, name):
        if name.startswith("_"):
            raise AttributeError(name)
        fields = _FIELDS.get(self._node.type, {})
        if name not in fields:
            raise AttributeError(f"{_GO_TYPES.get(self._node.type, self._node.type)} has no field {name}")
        return fields[name](self._node, self._env)


class IdentView(NodeView):
    """*ast.Ident: `.Name`, and `.Path` (the import path of a qualified reference, else "")."""

    __go_type__ = "*ast.Ident"

    def __init__(self, node, env, name: str, path: str = ""):
        super().__init__(node, env)
        self.Name, self.Path = name, path

    def __getattr__(self, name):
        raise AttributeError(f"*ast.Ident has no field {name}")


class ListView(list):
    """A list field: ranging yields views; printed whole, it is the source it spans."""

    def __init__(self, views, env, start: int = 0, end: int = 0):
        super().__init__(views)
        self._env, self._start, self._end = env, start, end

    def __str__(self) -> str:
        return self._env.holes.of(self._start, self._end) if self else ""


class FieldListView(NodeView):
    """*ast.FieldList of parameters, results, receiver or struct fields: `.List` of *ast.Field,
    `.NumFields`."""

    def __init__(self, node, env, fields: list):
        super().__init__(node, env)
        self.List = ListView(fields, env, node.start_byte, node.end_byte)

    def __getattr__(self, name):
        raise AttributeError(f"*ast.FieldList has no field {name}")

    def NumFields(self) -> int:
        return sum(max(1, len(f.Names)) for f in self.List)


class FieldView(NodeView):
    """*ast.Field: `.Names`, `.Type` (`...T` is an *ast.Ellipsis with `.Elt`), `.Tag`."""

    def __init__(self, node, env, names: list, type_view, tag=None):
        super().__init__(node, env)
        self.Names = ListView(names, env, names[0]._start, names[-1]._end) if names else ListView([], env)
        self.Type, self.Tag = type_view, tag

    def __getattr__(self, name):
        raise AttributeError(f"*ast.Field has no field {name}")


class FuncTypeView(NodeView):
    """*ast.FuncType of a declaration or literal: `.Params`, `.Results` (nil if none),
    `.TypeParams` (nil if none)."""

    def __init__(self, func, env):
        params = func.child_by_field_name("parameters")
        super().__init__(func, env, params.start_byte, _type_end(func))
        self.Params = field_list(params, env)
        result = func.child_by_field_name("result")
        self.Results = None if result is None else field_list(result, env)
        tparams = func.child_by_field_name("type_parameters")
        self.TypeParams = None if tparams is None else field_list(tparams, env)

    def __getattr__(self, name):
        raise AttributeError(f"*ast.FuncType has no field {name}")


class Env:
    """What views share: the render's holes, and the file (to resolve qualifiers)."""

    def __init__(self, holes: Holes, fctx):
        self.holes, self.fctx = holes, fctx


def view(node, env):
    """The view of any node, or None; `literal_element` wrappers and parentheses around
    types are looked through as go/ast has no node for them."""
    if node is None:
        return None
    t = node.type
    if t == "literal_element" and node.named_children:
        return view(node.named_children[0], env)
    if t in ("identifier", "field_identifier", "type_identifier", "package_identifier", "label_name"):
        return IdentView(node, env, node.text.decode())
    if t in ("selector_expression", "qualified_type"):
        qualified = _qualified(node, env)
        if qualified is not None:
            return qualified
    return NodeView(node, env)


def _qualified(node, env):
    if node.type == "selector_expression":
        pkg, sel = node.child_by_field_name("operand"), node.child_by_field_name("field")
    else:
        pkg, sel = node.child_by_field_name("package"), node.child_by_field_name("name")
    if pkg is None or sel is None or pkg.type not in ("identifier", "package_identifier"):
        return None
    path = env.fctx.resolve_qualifier(pkg) if env.fctx is not None else None
    return None if path is None else IdentView(node, env, sel.text.decode(), path)


def _type_end(func) -> int:
    result = func.child_by_field_name("result")
    return (result or func.child_by_field_name("parameters")).end_byte


def _exprs(node, env) -> ListView:
    """The expressions of a list node (argument_list, expression_list, literal_value...):
    comments dropped, `xs...` seen as `xs` (go/ast keeps the dots on the call)."""
    kept = [] if node is None else [c for c in node.named_children if c.type != "comment"]
    if not kept:
        return ListView([], env)
    items = [view(c.named_children[0] if c.type == "variadic_argument" and c.named_children else c, env)
             for c in kept]
    return ListView(items, env, kept[0].start_byte, kept[-1].end_byte)


def _list_of(nodes, env) -> ListView:
    views = [view(n, env) for n in nodes if n.type != "comment"]
    return ListView(views, env, views[0]._start, views[-1]._end) if views else ListView([], env)


def field_list(node, env) -> FieldListView:
    """parameter_list, a single unparenthesised result type, field_declaration_list or
    type_parameter_list as an *ast.FieldList."""
    if node.type not in ("parameter_list", "field_declaration_list", "type_parameter_list"):
        return FieldListView(node, env, [FieldView(node, env, [], view(node, env))])
    if node.type == "parameter_list":
        return FieldListView(node, env, [_parameter_field(g, env) for g in groups(node)])
    fields = []
    for decl in node.named_children:
        if decl.type not in ("field_declaration", "type_parameter_declaration"):
            continue
        names = [view(n, env) for n in decl.children_by_field_name("name")]
        type_node = decl.child_by_field_name("type")
        if decl.type == "field_declaration" and type_node is None:     # embedded field
            type_view = view(next((c for c in decl.named_children if c.type != "comment"), None), env)
        else:
            type_view = view(type_node, env)
        tag = decl.child_by_field_name("tag")
        fields.append(FieldView(decl, env, names, type_view, view(tag, env)))
    return FieldListView(node, env, fields)


def _parameter_field(g, env) -> FieldView:
    """One declaration of a parameter list (paramlist.groups: tree-sitter-go's split-off names
    joined to their type)."""
    names = [view(n, env) for n in g.names]
    if g.variadic:
        dots = next(c for c in g.decl.children if c.type == "...")
        return FieldView(g.decl, env, names, EllipsisView(g.type_node, env, dots.start_byte))
    return FieldView(g.decl, env, names, view(g.type_node, env))


class EllipsisView(NodeView):
    """*ast.Ellipsis of a variadic parameter `...T`: `.Elt`."""

    def __init__(self, elt, env, start: int):
        super().__init__(elt, env, start, elt.end_byte)
        self.Elt = view(elt, env)

    def __getattr__(self, name):
        raise AttributeError(f"*ast.Ellipsis has no field {name}")


def _field(name):
    return lambda n, env: view(n.child_by_field_name(name), env)


def _call_ellipsis(n, env) -> bool:
    args = n.child_by_field_name("arguments")
    return args is not None and any(c.type == "variadic_argument" for c in args.named_children)


def _op(n, env) -> str:
    op = n.child_by_field_name("operator")
    return (op if op is not None else n.children[0]).text.decode()


def _block_list(n, env) -> ListView:
    stmts = next((c for c in n.named_children if c.type == "statement_list"), None)
    return _list_of(stmts.named_children if stmts is not None else [], env)


def _recv(n, env):
    recv = n.child_by_field_name("receiver")
    return None if recv is None else field_list(recv, env)


def _basic_kind(n, env) -> str:
    return _BASIC_KINDS[n.type]


_BASIC_KINDS = {"int_literal": "INT", "float_literal": "FLOAT", "imaginary_literal": "IMAG",
                "rune_literal": "CHAR", "interpreted_string_literal": "STRING", "raw_string_literal": "STRING"}

_FUNC = {"Name": _field("name"), "Recv": _recv, "Type": lambda n, env: FuncTypeView(n, env), "Body": _field("body")}
_SPEC = {"Names": lambda n, env: _list_of(n.children_by_field_name("name"), env), "Type": _field("type"),
         "Values": lambda n, env: _exprs(n.child_by_field_name("value"), env)}
_ASSIGN = {"Lhs": lambda n, env: _exprs(n.child_by_field_name("left"), env),
           "Rhs": lambda n, env: _exprs(n.child_by_field_name("right"), env), "Tok": _op}

#: tree-sitter-go node type -> {go/ast field: how to get it}
_FIELDS = {
    "call_expression": {"Fun": _field("function"), "Args": lambda n, env: _exprs(n.child_by_field_name("arguments"), env),
                        "Ellipsis": _call_ellipsis},
    "selector_expression": {"X": _field("operand"), "Sel": _field("field")},
    "qualified_type": {"X": _field("package"), "Sel": _field("name")},
    "composite_literal": {"Type": _field("type"), "Elts": lambda n, env: _exprs(n.child_by_field_name("body"), env),
                          "Incomplete": lambda n, env: False},
    "keyed_element": {"Key": lambda n, env: view(n.named_children[0], env),
                      "Value": lambda n, env: view(n.named_children[-1], env)},
    "unary_expression": {"X": _field("operand"), "Op": _op},
    "binary_expression": {"X": _field("left"), "Y": _field("right"), "Op": _op},
    "index_expression": {"X": _field("operand"), "Index": _field("index")},
    "slice_expression": {"X": _field("operand"), "Low": _field("start"), "High": _field("end"), "Max": _field("capacity")},
    "type_assertion_expression": {"X": _field("operand"), "Type": _field("type")},
    "type_conversion_expression": {"Fun": _field("type"), "Args": lambda n, env: _list_of([n.child_by_field_name("operand")], env),
                                   "Ellipsis": lambda n, env: False},
    "parenthesized_expression": {"X": lambda n, env: view(n.named_children[0], env)},
    "pointer_type": {"X": lambda n, env: view(n.named_children[-1], env)},
    "slice_type": {"Elt": _field("element"), "Len": lambda n, env: None},
    "array_type": {"Elt": _field("element"), "Len": _field("length")},
    "map_type": {"Key": _field("key"), "Value": _field("value")},
    "generic_type": {"X": _field("type"), "Indices": lambda n, env: _exprs(n.child_by_field_name("type_arguments"), env)},
    "struct_type": {"Fields": lambda n, env: field_list(next(c for c in n.named_children if c.type == "field_declaration_list"), env)},
    "func_literal": {"Type": lambda n, env: FuncTypeView(n, env), "Body": _field("body")},
    "function_declaration": _FUNC,
    "method_declaration": _FUNC,
    "block": {"List": _block_list},
    "var_spec": _SPEC,
    "const_spec": _SPEC,
    "type_spec": {"Name": _field("name"), "Type": _field("type"), "TypeParams": _field("type_parameters"),
                  "Assign": lambda n, env: False},
    "type_alias": {"Name": _field("name"), "Type": _field("type"), "Assign": lambda n, env: True},
    "return_statement": {"Results": lambda n, env: _exprs(next((c for c in n.named_children if c.type == "expression_list"), None), env)},
    "expression_statement": {"X": lambda n, env: view(n.named_children[0], env)},
    "assignment_statement": _ASSIGN,
    "short_var_declaration": _ASSIGN,
    "defer_statement": {"Call": lambda n, env: view(n.named_children[-1], env)},
    "go_statement": {"Call": lambda n, env: view(n.named_children[-1], env)},
    "inc_statement": {"X": lambda n, env: view(n.named_children[0], env), "Tok": lambda n, env: "++"},
    "dec_statement": {"X": lambda n, env: view(n.named_children[0], env), "Tok": lambda n, env: "--"},
    "send_statement": {"Chan": _field("channel"), "Value": _field("value")},
    **{t: {"Kind": _basic_kind, "Value": lambda n, env: n.text.decode()} for t in _BASIC_KINDS},
}

_GO_TYPES = {
    "call_expression": "*ast.CallExpr", "selector_expression": "*ast.SelectorExpr", "composite_literal": "*ast.CompositeLit",
    "keyed_element": "*ast.KeyValueExpr", "unary_expression": "*ast.UnaryExpr", "binary_expression": "*ast.BinaryExpr",
    "index_expression": "*ast.IndexExpr", "func_literal": "*ast.FuncLit", "function_declaration": "*ast.FuncDecl",
    "method_declaration": "*ast.FuncDecl", "block": "*ast.BlockStmt", "var_spec": "*ast.ValueSpec",
    "const_spec": "*ast.ValueSpec", "type_spec": "*ast.TypeSpec", "type_alias": "*ast.TypeSpec",
    "return_statement": "*ast.ReturnStmt", "expression_statement": "*ast.ExprStmt", "pointer_type": "*ast.StarExpr",
    "struct_type": "*ast.StructType", "parenthesized_expression": "*ast.ParenExpr",
    **{t: "*ast.BasicLit" for t in _BASIC_KINDS},
}
