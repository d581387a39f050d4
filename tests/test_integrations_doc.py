"""docs/integrations.md is generated from the built-in aspect files and must be current."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_the_support_matrix_is_up_to_date():
    proc = subprocess.run([sys.executable, str(ROOT / "scripts" / "integrations_doc.py"), "--check"],
                          capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr


def test_every_library_integration_names_its_module_and_tested_versions():
    sys.path.insert(0, str(ROOT / "scripts"))
    from integrations_doc import integrations

    named = {name: meta["library"] for name, meta in integrations() if "library" in meta}
    assert {"grpc", "nethttp", "databasesql", "slog"} <= set(named)
    assert named["grpc"]["module"] == "google.golang.org/grpc"
    def key(version: str) -> tuple:
        return tuple(int(n) for n in re.findall(r"\d+", version.split("-")[0]))

    for lib in named.values():
        assert key(lib["versions"]["min"]) <= key(lib["versions"]["max"]), lib
