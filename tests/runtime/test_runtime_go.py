"""The Go runtime module's own tests, with the real go command."""

from __future__ import annotations

import re

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
