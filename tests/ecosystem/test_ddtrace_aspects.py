"""Aspect files written for Orchestrion load and weave as written: every `orchestrion.yml`
that DataDog's dd-trace-go v2 ships in the modules the Go module proxy serves here (pinned
below; the others, e.g. contrib/database/sql/v2 and orchestrion/all/v2, are refused with 403),
and a representative set of their aspects woven into a small program that then compiles and
runs against the real dd-trace-go modules.

The program's files are woven by the engine (weave_file, with the package facts a build
gives a main-module package and the type checker behind it); the aspects that target the
standard library or dd-trace-go's own packages do not match it and are left out of the
expected set.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import textwrap
from pathlib import Path

import pytest

from toolweave.aspect import load_aspects
from toolweave.aspect.facts import PackageFacts
from toolweave.aspect.typefacts import interfaces_asked
from toolweave.driver.cache import Cache
from toolweave.driver.typecheck import PackageTypes, listed_exports
from toolweave.weave import Rewritten, weave_file

GO = shutil.which("go")
VERSION = "v2.12.0"
MODULES = ("github.com/DataDog/dd-trace-go/v2", "github.com/DataDog/dd-trace-go/contrib/net/http/v2",
           "github.com/DataDog/dd-trace-go/contrib/google.golang.org/grpc/v2",
           "github.com/DataDog/dd-trace-go/contrib/log/slog/v2")
#: (module, orchestrion.yml relative path) of every file those modules ship
SHIPPED = {
    (MODULES[0], "contrib/os/orchestrion.yml"), (MODULES[0], "crashtracker/orchestrion.yml"),
    (MODULES[0], "ddtrace/tracer/orchestrion.yml"), (MODULES[0], "instrumentation/errortrace/orchestrion.yml"),
    (MODULES[0], "internal/civisibility/integrations/gotesting/orchestrion.yml"),
    (MODULES[0], "profiler/orchestrion.yml"), (MODULES[1], "orchestrion.yml"), (MODULES[2], "orchestrion.yml"),
    (MODULES[3], "orchestrion.yml"),
}

pytestmark = pytest.mark.skipif(GO is None, reason="no go command on PATH")

PROGRAM = {
    "go.mod": f"""
        module example.com/ddapp

        go 1.26.0

        require (
        	{MODULES[0]} {VERSION}
        	{MODULES[1]} {VERSION}
        	{MODULES[2]} {VERSION}
        )
    """,
    "main.go": """
        package main

        import (
        	"context"
        	"fmt"
        	"net"
        	"net/http"
        	"os"

        	"google.golang.org/grpc"
        	"google.golang.org/grpc/credentials/insecure"
        )

        func main() {
        	srv := grpc.NewServer()
        	lis, err := net.Listen("tcp", "127.0.0.1:0")
        	if err != nil {
        		fmt.Println("listen:", err)
        		os.Exit(1)
        	}
        	go srv.Serve(lis)
        	defer srv.Stop()
        	conn, err := grpc.NewClient(lis.Addr().String(), grpc.WithTransportCredentials(insecure.NewCredentials()))
        	if err == nil {
        		conn.Close()
        	}
        	value, err := lookup(context.Background(), "key")
        	fmt.Println(value, err)
        	if len(os.Args) > 1 {
        		req, _ := http.NewRequest("GET", os.Args[1], nil)
        		_, _ = fetch(req, os.Args[1])
        	}
        }
    """,
    "work.go": """
        package main

        import (
        	"context"
        	"errors"
        	"net/http"
        )

        //dd:span operation:lookup kind:internal
        func lookup(ctx context.Context, key string) (string, error) {
        	if key == "" {
        		return "", errors.New("empty key")
        	}
        	return "value-" + key, nil
        }

        // The request's context is passed on to the traced client call.
        func fetch(req *http.Request, url string) (*http.Response, error) {
        	return http.Get(url)
        }
    """,
}

#: aspect ids the program must get, per file
EXPECTED = {
    "main.go": {"func main()", "Client", "Server"},
    "work.go": {"//dd:span", "Get|Head|Post|PostForm", "Error Tracking"},
}


def _go(*args, cwd, timeout=900) -> str:
    env = {**os.environ, "GOFLAGS": "-mod=mod", "GOTOOLCHAIN": "local"}
    proc = subprocess.run([GO, *args], cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout)
    assert proc.returncode == 0, f"go {' '.join(args)} failed:\n{proc.stderr[-4000:]}"
    return proc.stdout


@pytest.fixture(scope="module")
def shipped(tmp_path_factory) -> dict[tuple[str, str], Path]:
    """{(module, relative path): file} of every orchestrion.yml of the pinned modules, from
    the module cache (relative `extends` resolve there)."""
    scratch = tmp_path_factory.mktemp("dd-download")
    (scratch / "go.mod").write_text("module scratch\n\ngo 1.26.0\n")
    out = _go("mod", "download", "-json", *(f"{m}@{VERSION}" for m in MODULES), cwd=scratch)
    files = {}
    decoder, i = json.JSONDecoder(), 0
    while i < len(out.strip()):
        info, i = decoder.raw_decode(out, i)
        while i < len(out) and out[i].isspace():
            i += 1
        root = Path(info["Dir"])
        for path in root.rglob("orchestrion.yml"):
            rel = path.relative_to(root).as_posix()
            if not rel.startswith(".github/"):
                files[(info["Path"], rel)] = path
    return files


def test_every_shipped_aspect_file_loads(shipped):
    assert set(shipped) == SHIPPED
    for (module, rel), path in sorted(shipped.items()):
        aspects = load_aspects([path], require_meta=True)
        assert len(aspects) > 0, f"{module}/{rel}: no aspects"
    everything = load_aspects(sorted(shipped.values()))
    assert len(everything) >= 38            # with the files they extend (client, server, GLS)


def test_a_program_woven_with_them_compiles_and_runs(shipped, tmp_path):
    module = tmp_path / "ddapp"
    for rel, text in PROGRAM.items():
        (module / rel).parent.mkdir(parents=True, exist_ok=True)
        (module / rel).write_text(textwrap.dedent(text).lstrip("\n"))
    _go("mod", "tidy", cwd=module)
    aspects = load_aspects(sorted(shipped.values()))
    facts = PackageFacts(import_path="example.com/ddapp", name="main", main_module="example.com/ddapp",
                         module_rel=".", go_version="1.26.0")
    files = [str(module / "main.go"), str(module / "work.go")]
    types = PackageTypes(Cache(str(tmp_path / "tw-cache")), GO, facts.import_path, "go1.26", files,
                         lambda needed: (listed_exports(GO, ["-mod=mod"], str(module), None, {
                             "context", "errors", "fmt", "net", "net/http", "os", "google.golang.org/grpc",
                             "google.golang.org/grpc/credentials/insecure", *needed}), {}),
                         interfaces_asked(aspects.aspects))
    for name in ("main.go", "work.go"):
        path = module / name
        result = weave_file(str(path), path.read_bytes(), aspects, facts, types.for_file(str(path)))
        assert isinstance(result, Rewritten), f"{name}: {result}"
        assert EXPECTED[name] <= set(result.applied), f"{name}: applied {result.applied}"
        path.write_bytes(result.data)
    woven = (module / "work.go").read_text()
    assert "__ddtrace_client.Get(" in woven and "req.Context()" in woven    # .AST.Fun.Name, ArgumentOfType
    assert "errortrace.Wrap(" in woven or "__tw_errortrace.Wrap(" in woven
    _go("mod", "tidy", cwd=module)              # the woven code's imports, at the pinned versions
    _go("build", "-o", str(module / "app"), ".", cwd=module)
    proc = subprocess.run([str(module / "app")], cwd=module, capture_output=True, text=True, timeout=120,
                          env={**os.environ, "DD_TRACE_STARTUP_LOGS": "false", "DD_AGENT_HOST": "127.0.0.1",
                               "DD_TRACE_AGENT_PORT": "9", "DD_INSTRUMENTATION_TELEMETRY_ENABLED": "false"})
    assert proc.returncode == 0, proc.stderr[-3000:]
    assert "value-key <nil>" in proc.stdout
