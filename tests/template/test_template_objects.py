"""Unit tests for the Python object model and the public API (no Go needed)."""

import time

import pytest

from toolweave.template import Template, TemplateError


def render(text, data=None, funcs=None):
    return Template("t", funcs=funcs).parse(text).execute(data)


def error_of(text, data=None, funcs=None):
    with pytest.raises(TemplateError) as info:
        render(text, data, funcs)
    return str(info.value)


class Argument:
    def __init__(self, values):
        self.values = values

    def Argument(self, i: int) -> str:
        return self.values[i]


class Call:
    def __init__(self):
        self.Function = Argument(["first", "second"])
        self.name = "lower-case attribute"
        self._secret = "hidden"
        self.Nothing = None

    def Boom(self):
        raise ValueError("it broke")

    def Pair(self, a, b=2):
        return [a, b]

    def __str__(self):
        return "Call()"


class Typed:
    __go_type__ = "*ast.CallExpr"


def test_attribute_fields_and_method_with_args():
    assert render("{{ .Function.Argument 0 }}/{{ .Function.Argument 1 }}", Call()) == "first/second"
    assert render("{{ .name }}", Call()) == "lower-case attribute"


def test_method_argument_types_from_annotations():
    msg = error_of('{{ .Function.Argument "x" }}', Call())
    assert msg == 'template: t:1:22: executing "t" at <"x">: expected integer; found "x"'


def test_method_exception_becomes_go_error():
    assert error_of("{{ .Boom }}", Call()) == \
        'template: t:1:3: executing "t" at <.Boom>: error calling Boom: it broke'


def test_method_arity_and_defaults():
    assert render("{{ .Pair 1 }} {{ .Pair 1 3 }}", Call()) == "[1 2] [1 3]"
    assert error_of("{{ .Pair }}", Call()) == \
        'template: t:1:3: executing "t" at <.Pair>: wrong number of args for Pair: want 2 got 0'


def test_stringer_and_truthiness():
    assert render("{{ . }} {{ print . }} {{ if . }}yes{{ end }}", Call()) == "Call() Call() yes"
    assert render("{{ . }}", [Call(), None]) == "[Call() <nil>]"


def test_missing_and_hidden_attributes():
    assert error_of("{{ .Nope }}", Call()) == \
        'template: t:1:3: executing "t" at <.Nope>: can\'t evaluate field Nope in type *Call'
    assert "can't evaluate field _secret in type *Call" in error_of("{{ ._secret }}", Call())
    assert "in type *ast.CallExpr" in error_of("{{ .X }}", Typed())


def test_none_attribute_is_nil_interface():
    assert render("[{{ .Nothing }}] {{ with .Nothing }}x{{ else }}empty{{ end }}", Call()) == \
        "[<no value>] empty"


def test_field_with_arguments_is_rejected():
    assert error_of('{{ .name "x" }}', Call()).endswith(
        "name has arguments but cannot be invoked as function")


def test_custom_funcs_and_errors():
    funcs = {"Version": lambda: "1.0", "twice": lambda s: s + s}
    assert render("{{ Version }} {{ twice .a }} {{ .a | twice }}", {"a": "x"}, funcs) == "1.0 xx xx"
    assert error_of("{{ nope }}") == 'template: t:1: function "nope" not defined'
    with pytest.raises(ValueError):
        Template("t", funcs={"bad-name": len})
    with pytest.raises(ValueError):
        Template("t", funcs={"x": 3})


def test_parse_returns_self_and_named_templates():
    t = Template("main")
    assert t.parse('{{define "item"}}<{{.}}>{{end}}[{{range .}}{{template "item" .}}{{end}}]') is t
    assert t.execute([1, 2]) == "[<1><2>]"
    assert t.execute_template("item", 3) == "<3>"
    # A later parse may redefine a template; an empty body does not replace it.
    t.parse('{{define "item"}}({{.}}){{end}}')
    t.parse('{{define "item"}}  {{end}}')
    assert t.execute([1]) == "[(1)]"


def test_error_carries_partial_output():
    with pytest.raises(TemplateError) as info:
        render("ok {{ index . 5 }}", [1])
    assert info.value.output == "ok "
    assert str(info.value).endswith("error calling index: index out of range: 5")


def test_execute_without_parse():
    with pytest.raises(TemplateError) as info:
        Template("t").execute(None)
    assert str(info.value) == 'template: t: "t" is an incomplete or empty template'


def test_template_is_reusable_and_fast():
    line = ('{{- range $i, $e := .Items }}{{ if gt $i 0 }}, {{ end }}'
            '{{ $e.Name | printf "%q" }}{{ end }}')
    text = "\n".join(line for _ in range(20))
    data = {"Items": [{"Name": "a"}, {"Name": "b"}, {"Name": "c"}]}
    start = time.perf_counter()
    for _ in range(20):
        t = Template("perf").parse(text)
        out = t.execute(data)
    elapsed = (time.perf_counter() - start) / 20
    assert out.count('"a", "b", "c"') == 20
    assert elapsed < 0.02  # generous: typically a few hundred microseconds


def test_list_subclass_with_str_is_a_stringer():
    """Like a Go named slice type with a String method: printed through it, ranged as a list."""

    class Joined(list):
        def __str__(self):
            return ", ".join(self)

    t = Template("t").parse("{{ . }}|{{ range . }}<{{ . }}>{{ end }}|{{ len . }}")
    assert t.execute(Joined(["a", "b"])) == "a, b|<a><b>|2"
    assert Template("t").parse("{{ . }}").execute(["a", "b"]) == "[a b]"
