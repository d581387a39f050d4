"""Orchestrion (github.com/DataDog/orchestrion, DataDog's compile-time instrumentation of Go) as
a peer in the build benchmarks: the pinned versions, and how a copy of an app is made ready
for it (a library of bench/buildbench.py; not a test).

Orchestrion needs its pins in the user's module: `orchestrion pin` writes `orchestrion.tool.go`
(a `//go:build tools` file importing Orchestrion and the integrations to enable) and adds the
requirements to go.mod and go.sum. Here `orchestrion pin` cannot run: it imports
`github.com/DataDog/dd-trace-go/orchestrion/all/v2`, which the Go module proxy refuses (403).
So `pin()` does by hand what it does with a narrower import list: writes the tool file
(`package tools`, as `orchestrion pin` writes it), `go get`s the pinned modules and runs
`go mod tidy`, always in a copy of the app (never in bench/apps). `install()` then builds the
orchestrion binary into a private GOBIN with `go install` from within that copy, so the
binary's version is the pinned one (Orchestrion refuses to run when go.mod names another).

How builds run: `orchestrion go build …`, the way Orchestrion's getting-started guide
recommends for v1.x ("Option 1 (Recommended)"; `go build -toolexec 'orchestrion toolexec'`
and GOFLAGS are its options 2 and 3). `orchestrion go` checks the pin once and runs the go
command with `-toolexec '<orchestrion> toolexec'`.

Integrations (import paths in the tool file), chosen for what bench/apps/multi uses:
  github.com/DataDog/dd-trace-go/v2/ddtrace/tracer      tracer start/stop around main, //dd:span,
                                                        goroutine-local storage (weaves runtime)
  github.com/DataDog/dd-trace-go/contrib/net/http/v2    HTTP server and client
  github.com/DataDog/dd-trace-go/contrib/log/slog/v2    slog handlers
Not available (the proxy refuses every version, checked with `go list -m -versions` and `go get`
on 2026-12-03): github.com/DataDog/dd-trace-go/contrib/database/sql/v2, so the Orchestrion
build has no database/sql spans; and orchestrion/all/v2 (every integration). multi's
`//weave:span` means nothing to Orchestrion (its directive is `//dd:span`), and the app's
source is not changed for it: the Orchestrion binary has no `work.compute` span either.
"""

from __future__ import annotations

import os
import subprocess

VERSION = "v1.15.0"                 # github.com/DataDog/orchestrion
DD_TRACE_GO = "v2.12.0"             # what Orchestrion v1.15.0 requires; the contribs at the same tag
HOW = "orchestrion go build"        # the documented (recommended) way for v1.x
MODULE = "github.com/DataDog/orchestrion"

# import path in the tool file -> module@version to go get
_DD = "github.com/DataDog/dd-trace-go"
INTEGRATIONS = {
    f"{_DD}/v2/ddtrace/tracer": f"{_DD}/v2@{DD_TRACE_GO}",
    f"{_DD}/contrib/net/http/v2": f"{_DD}/contrib/net/http/v2@{DD_TRACE_GO}",
    f"{_DD}/contrib/log/slog/v2": f"{_DD}/contrib/log/slog/v2@{DD_TRACE_GO}",
}
UNAVAILABLE = {   # wanted, but the Go module proxy refuses them (checked 2026-12-03)
    f"{_DD}/contrib/database/sql/v2": "refused by the Go module proxy (403, no version listed)",
    f"{_DD}/orchestrion/all/v2": "refused by the Go module proxy (403); `orchestrion pin` needs it",
}

TOOL_FILE = "orchestrion.tool.go"


def tool_file_text() -> str:
    """The tool file `orchestrion pin` would write, with our import list."""
    imports = "\n".join(f'\t_ "{p}" // integration' for p in sorted(INTEGRATIONS))
    return ("// This file was created by `orchestrion pin`, and is used to ensure the\n"
            "// `go.mod` file contains the necessary entries to ensure repeatable builds when\n"
            "// using `orchestrion`. It is also used to set up which integrations are enabled.\n"
            "// (Written by bench/orchestrion.py: `orchestrion pin` cannot reach all/v2 here.)\n"
            "\n"
            "//go:build tools\n"
            "\n"
            "package tools\n"
            "\n"
            "import (\n"
            f'\t_ "{MODULE}"\n'
            "\n"
            f"{imports}\n"
            ")\n")


def _go(args: list[str], cwd: str, env: dict | None = None) -> str:
    proc = subprocess.run(["go", *args], cwd=cwd, env=env, capture_output=True, text=True)
    if proc.returncode:
        raise RuntimeError(f"go {' '.join(args)} failed in {cwd} ({proc.returncode}):\n{proc.stderr[-3000:]}")
    return proc.stdout


def pin(moddir: str) -> None:
    """Pin Orchestrion in the module at `moddir` (a copy): tool file, go get, go mod tidy."""
    with open(os.path.join(moddir, TOOL_FILE), "w") as f:
        f.write(tool_file_text())
    _go(["get", f"{MODULE}@{VERSION}", *sorted(set(INTEGRATIONS.values()))], moddir)
    _go(["mod", "tidy"], moddir)


def install(moddir: str, gobin: str) -> str:
    """Build the pinned orchestrion binary into `gobin` (from within the pinned copy, so go.mod
    decides the version); returns its path. Reuses a binary already there at that version."""
    binary = os.path.join(gobin, "orchestrion")
    if not os.path.exists(binary) or version(binary) != VERSION:
        os.makedirs(gobin, exist_ok=True)
        _go(["install", MODULE], moddir, env={**os.environ, "GOBIN": gobin})
    got = version(binary)
    if got != VERSION:
        raise RuntimeError(f"{binary} is orchestrion {got}, not the pinned {VERSION}")
    return binary


def version(binary: str) -> str:
    """`orchestrion version` prints `orchestrion v1.15.0`."""
    out = subprocess.run([binary, "version"], capture_output=True, text=True).stdout.split()
    return out[-1] if out else "?"


def info() -> dict:
    """What the results file records about the peer."""
    return {"module": MODULE, "version": VERSION, "dd_trace_go": DD_TRACE_GO, "how": HOW,
            "integrations": sorted(INTEGRATIONS), "unavailable": dict(UNAVAILABLE)}
