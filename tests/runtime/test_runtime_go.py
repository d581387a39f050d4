"""The Go runtime module's own tests, with the real go command."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest

from runtime_support import RUNTIME, go_run


def test_go_vet_and_test(go):
    go_run(go, ["vet", "./..."], RUNTIME, mod="readonly")
    proc = go_run(go, ["test", "-count=1", "./..."], RUNTIME, mod="readonly")
    assert "FAIL" not in proc.stdout


def test_go_mod_is_tidy_and_pinned(go):
    """go.mod/go.sum are committed tidy; the go line is as low as the pinned OTel allows."""
    go_run(go, ["mod", "tidy", "-diff"], RUNTIME, mod="readonly")  # fails (and prints the diff) if not tidy
    gomod = (RUNTIME / "go.mod").read_text()
    assert re.search(r"^module toolweave\.dev/runtime$", gomod, re.M)
    assert re.search(r"^go 1\.26\.0$", gomod, re.M)
    for dep, version in [("go.opentelemetry.io/otel", "v1.47.0"), ("go.opentelemetry.io/otel/sdk", "v1.47.0"),
                         ("go.opentelemetry.io/otel/sdk/metric", "v1.47.0"), ("go.opentelemetry.io/otel/sdk/log", "v1.47.0"),
                         ("go.opentelemetry.io/contrib/exporters/autoexport", "v0.72.0"),
                         ("go.opentelemetry.io/contrib/propagators/autoprop", "v0.72.0"),
                         ("go.opentelemetry.io/contrib/instrumentation/runtime", "v0.72.0")]:
        assert re.search(rf"^\t{re.escape(dep)} {re.escape(version)}$", gomod, re.M), dep


LIBS = sorted(p.name for p in (RUNTIME / "libs").iterdir() if (p / "go.mod").is_file())


@pytest.mark.parametrize("lib", LIBS)
def test_library_glue_modules_vet_test_and_are_tidy(go, lib):
    """Each glue module (libs/<name>: toolweave.dev/runtime/libs/<name>) is a module of its
    own: vetted, tested, committed tidy, and says which library it instruments."""
    glue = RUNTIME / "libs" / lib
    go_run(go, ["vet", "./..."], glue, mod="readonly")
    proc = go_run(go, ["test", "-count=1", "./..."], glue, mod="readonly")
    assert "FAIL" not in proc.stdout
    go_run(go, ["mod", "tidy", "-diff"], glue, mod="readonly")
    gomod = (glue / "go.mod").read_text()
    assert re.search(rf"^module toolweave\.dev/runtime/libs/{lib}$", gomod, re.M)
    assert re.match(r"// toolweave:library \S+\n", gomod), "the first line names the library"


def test_gofmt_leaves_the_runtime_as_it_is(go):
    gofmt = Path(go).with_name("gofmt")
    proc = subprocess.run([str(gofmt), "-l", str(RUNTIME)], capture_output=True, text=True, check=True)
    assert proc.stdout == "", f"not gofmt'ed:\n{proc.stdout}"
