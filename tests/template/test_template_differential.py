"""Differential test: toolweave.template against Go's real text/template.

A session fixture builds ``go/main.go`` once and renders every case in one
process call; each case is then a separate parametrized test, so a failure
names the case.  Outputs and error messages must match byte for byte
(for failed executions, the partial output too).
"""

import json
import shutil
import subprocess
from pathlib import Path

import pytest

from template_cases import CASES
from template_support import FUNCS, convert
from toolweave.template import Template, TemplateError

GO_DIR = Path(__file__).parent / "go"


def _normalize(case):
    name, template, data = case[:3]
    return {"name": name, "template": template,
            "data": data, "exec": case[3] if len(case) > 3 else ""}


NORMALIZED = [_normalize(c) for c in CASES]


@pytest.fixture(scope="session")
def go_results(tmp_path_factory):
    """Build the Go reference program and render all cases with it."""
    go = shutil.which("go")
    if go is None:
        pytest.skip("go toolchain not available")
    binary = tmp_path_factory.mktemp("templateref") / "templateref"
    build = subprocess.run([go, "build", "-o", str(binary), "."], cwd=GO_DIR,
                           capture_output=True, text=True)
    assert build.returncode == 0, build.stderr
    run = subprocess.run([str(binary)], input=json.dumps(NORMALIZED),
                         capture_output=True, text=True, timeout=120)
    assert run.returncode == 0, run.stderr
    results = json.loads(run.stdout)
    assert len(results) == len(NORMALIZED)
    return {c["name"]: r for c, r in zip(NORMALIZED, results)}


def render(case):
    """Render a case with the Python clone, in the Go program's shape."""
    data = convert(json.loads(json.dumps(case["data"])))
    try:
        tmpl = Template("t", funcs=FUNCS).parse(case["template"])
    except TemplateError as err:
        return {"output": "", "error": str(err)}
    try:
        if case["exec"]:
            out = tmpl.execute_template(case["exec"], data)
        else:
            out = tmpl.execute(data)
    except TemplateError as err:
        return {"output": err.output, "error": str(err)}
    return {"output": out, "error": ""}


def test_case_names_unique():
    names = [c["name"] for c in NORMALIZED]
    assert len(names) == len(set(names))
    assert len(names) >= 150


@pytest.mark.parametrize("case", NORMALIZED, ids=[c["name"] for c in NORMALIZED])
def test_matches_go(case, go_results):
    assert render(case) == go_results[case["name"]]
