"""Vendored modules: `toolweave go build` on a module with a vendor/ directory.

The user's dependencies come from their vendor/ (patched code included), the woven code's
requirements (our runtime, OpenTelemetry) from toolweave's side, and no file of the tree is
written. Default vendoring (go >= 1.14 with vendor/), `-mod=vendor` and GOFLAGS=-mod=vendor;
packages woven code needs that vendor/ lacks; a vendored module our requirements raise.
The third-party modules are ones the OpenTelemetry build puts in the module cache anyway
(go-humanize is tiny and unrelated to it; x/text is one of its dependencies).
"""

from __future__ import annotations

import pytest

import buildmodes

from e2e_support import otel_env, tree_hashes, write_module
from toolweave.otlp.spantree import find

HUMANIZE = {
    "go.mod": """
        module example.com/vend

        go 1.22

        require github.com/dustin/go-humanize v1.0.1
    """,
    "go.sum": """
        github.com/dustin/go-humanize v1.0.1 h1:GzkhY7T5VNhEkwH0PVJgjz+fX1rhBrR7pRT3mDkpeCY=
        github.com/dustin/go-humanize v1.0.1/go.mod h1:Mu1zIs6XwVuF/gI1OepvI0qD18qycQx+mFykh5fBlto=
    """,
    "main.go": """
        package main

        import (
        	"context"
        	"fmt"

        	"github.com/dustin/go-humanize"
        )

        //weave:span
        func size(ctx context.Context, n uint64) string { return humanize.Bytes(n) }

        func main() { fmt.Println(size(context.Background(), 82854982)) }
    """,
}

# x/text: the user imports width (vendored: width, transform); woven code reaches x/net/idna,
# which needs x/text packages vendor/ does not have.
TEXT = {
    "go.mod": """
        module example.com/text

        go 1.26.0

        require golang.org/x/text {version}
    """,
    "main.go": """
        package main

        import (
        	"context"
        	"fmt"

        	"golang.org/x/text/width"
        )

        //weave:span
        func widen(ctx context.Context, s string) string { return width.Widen.String(s) }

        func main() { fmt.Println(widen(context.Background(), "abc")) }
    """,
}
TEXT_SUMS = {
    "v0.42.0": "golang.org/x/text v0.42.0 h1:JbOZXgfeCPU9gacVtYliJqOhD+zhrEqK4LfdpmlUZqI=\n"
               "golang.org/x/text v0.42.0/go.mod h1:ojzP1Z+2QtioaF8DTtO8K5q7JWVVYwZKenzujK0Zd0E=\n",
    "v0.41.0": "golang.org/x/text v0.41.0 h1:vz/seA0lnX87Othu2f/0L24RcgrXD9/YFTSuGjj3rH8=\n"
               "golang.org/x/text v0.41.0/go.mod h1:jvf1O8ajNzZqhSrQBPbutR/EB83Cc0CFrezNQIwbb5M=\n",
}

VERBOSE = {"TOOLWEAVE_VERBOSE": "1"}
REPLAYED = "replaying its go command"


def vendored(runner, root, files, patch_file, old, new):
    """Write the module, `go mod download` what it requires (from the module proxy, unless the
    module cache has it: a fresh machine's cache has only what earlier builds put there), `go
    mod vendor` it offline, and patch one vendored file; plain go must build it."""
    module = write_module(root, files)
    runner.go("mod", "download", cwd=module).check()
    runner.go("mod", "vendor", cwd=module, env={"GOPROXY": "off"}).check()
    path = module / "vendor" / patch_file
    text = path.read_text()
    assert old in text
    path.write_text(text.replace(old, new))
    runner.go("build", "-o", str(root.parent / "plain"), ".", cwd=module).check()
    return module


@pytest.fixture
def humanize_module(tmp_path, runner):
    return vendored(runner, tmp_path / "vend", HUMANIZE, "github.com/dustin/go-humanize/bytes.go",
                    "return humanateBytes(s, 1000, sizes)", 'return "PATCHED " + humanateBytes(s, 1000, sizes)')


def text_module(runner, tmp_path, version):
    files = {**TEXT, "go.mod": TEXT["go.mod"].replace("{version}", version), "go.sum": TEXT_SUMS[version]}
    return vendored(runner, tmp_path / "text", files, "golang.org/x/text/width/width.go",
                    "\treturn s\n}", '\treturn "PATCHED " + s\n}')


# A user who uses OpenTelemetry and vendors it: vendor/ holds go.opentelemetry.io/otel and the
# modules nested in its directory (otel/trace, otel/metric…), at the versions our runtime needs.
OTEL = {
    "go.mod": """
        module example.com/otelapp

        go 1.26.0

        require (
        	go.opentelemetry.io/otel v1.47.0
        	go.opentelemetry.io/otel/trace v1.47.0
        )
    """,
    "main.go": """
        package main

        import (
        	"context"
        	"fmt"

        	"go.opentelemetry.io/otel"
        	"go.opentelemetry.io/otel/trace"
        )

        //weave:span
        func work(ctx context.Context) string {
        	return fmt.Sprint(trace.SpanFromContext(ctx).SpanContext().IsValid(), " ", otel.Version())
        }

        func main() { fmt.Println(work(context.Background())) }
    """,
}


def build(runner, module, *flags, env=None):
    binary = module.parent / f"{module.name}.bin"
    res = runner.toolweave("go", "build", *flags, "-o", str(binary), ".", cwd=module, env={**VERBOSE, **(env or {})})
    return binary, res.check()


@pytest.mark.parametrize("flags,env", [((), {}), (("-mod=vendor",), {}), ((), {"GOFLAGS": "-mod=vendor"})],
                         ids=["default", "mod-vendor", "goflags"])
def test_vendored_code_is_what_runs_and_spans_arrive(runner, humanize_module, receiver, flags, env):
    before = tree_hashes(humanize_module)
    binary, _ = build(runner, humanize_module, *flags, env=env)
    res = runner.run([str(binary)], cwd=humanize_module, env=otel_env(receiver)).check()
    assert res.stdout == "PATCHED 83 MB\n"           # the vendored (patched) go-humanize
    receiver.wait_for(lambda r: any(s.name == "size" for s in r.spans()))
    assert find(receiver.spans(), "size").is_root
    assert tree_hashes(humanize_module) == before     # vendor/ and modules.txt included


def test_a_vendored_rebuild_replays_and_a_vendored_edit_shows(runner, humanize_module):
    build(runner, humanize_module)
    before = tree_hashes(humanize_module)
    binary, again = build(runner, humanize_module)
    assert REPLAYED in again.stderr
    quiet = {"OTEL_SDK_DISABLED": "true"}
    assert runner.run([str(binary)], cwd=humanize_module, env=quiet).check().stdout == "PATCHED 83 MB\n"
    path = humanize_module / "vendor/github.com/dustin/go-humanize/bytes.go"
    path.write_text(path.read_text().replace('"PATCHED "', '"PATCHED AGAIN "'))
    binary, _ = build(runner, humanize_module)
    assert runner.run([str(binary)], cwd=humanize_module, env=quiet).check().stdout == "PATCHED AGAIN 83 MB\n"
    after = tree_hashes(humanize_module)
    assert {k for k in before if before[k] != after[k]} == {"vendor/github.com/dustin/go-humanize/bytes.go"}


def test_packages_woven_code_needs_that_vendor_lacks_are_added(runner, tmp_path, receiver):
    module = text_module(runner, tmp_path, "v0.42.0")
    before = tree_hashes(module)
    binary, _ = build(runner, module)
    res = runner.run([str(binary)], cwd=module, env=otel_env(receiver)).check()
    assert res.stdout == "PATCHED ａｂｃ\n"             # vendor/'s width, while x/net/idna gets
    receiver.wait_for(lambda r: any(s.name == "widen" for s in r.spans()))   # x/text/unicode/norm…
    assert tree_hashes(module) == before
    assert not (module / "vendor/golang.org/x/text/unicode").exists()


def test_a_vendored_module_our_requirements_raise_is_named(runner, tmp_path):
    module = text_module(runner, tmp_path, "v0.41.0")
    before = tree_hashes(module)
    res = runner.toolweave("go", "build", "-o", str(tmp_path / "app"), ".", cwd=module)
    assert res.returncode == 1
    assert "vendor/modules.txt has golang.org/x/text v0.41.0 but the instrumentation needs v0.42.0" in res.stderr
    binary, lenient = build(runner, module, env={"TOOLWEAVE_STRICT": "0"})
    assert "warning: vendor/modules.txt has golang.org/x/text v0.41.0" in lenient.stderr
    # x/text comes from the module cache at v0.42.0: the patched vendored copy is not used
    assert runner.run([str(binary)], cwd=module, env={"OTEL_SDK_DISABLED": "true"}).check().stdout == "ａｂｃ\n"
    assert tree_hashes(module) == before


def test_a_vendored_opentelemetry_is_the_one_woven_code_uses(runner, tmp_path, receiver):
    module = write_module(tmp_path / "otelapp", OTEL)
    # go.sum from the module cache (the runtime's build put these modules there); GONOSUMDB, not
    # GOSUMDB=off, which the go command refuses when GOTOOLCHAIN names a toolchain to run
    runner.go("mod", "tidy", cwd=module, env={"GOPROXY": "off", "GONOSUMDB": "*", "GOFLAGS": "-mod=mod"}).check()
    module = vendored(runner, module, {}, "go.opentelemetry.io/otel/version.go",
                      'return "1.47.0"', 'return "1.47.0-patched"')
    before = tree_hashes(module)
    binary, _ = build(runner, module)
    res = runner.run([str(binary)], cwd=module, env=otel_env(receiver)).check()
    assert res.stdout == "true 1.47.0-patched\n"      # in a span, with vendor/'s otel
    receiver.wait_for(lambda r: any(s.name == "work" for s in r.spans()))
    assert tree_hashes(module) == before


def test_a_vendored_workspace_builds_from_its_vendor_directory(runner, tmp_path, receiver):
    # `go work vendor`: vendor/ beside go.work, its modules.txt says `## workspace`
    app = {f"app/{k}": v for k, v in HUMANIZE.items()}
    app["app/main.go"] = app["app/main.go"].replace('"github.com/dustin/go-humanize"',
                                                    '"example.com/lib"\n\t"github.com/dustin/go-humanize"')
    app["app/main.go"] = app["app/main.go"].replace("humanize.Bytes(n) }", "humanize.Bytes(n) + lib.Mark }")
    files = {**app, "go.work": "go 1.22\n\nuse (\n\t./app\n\t./lib\n)\n",
             "lib/go.mod": "module example.com/lib\n\ngo 1.22\n", "lib/lib.go": 'package lib\n\nconst Mark = "!"\n'}
    root = write_module(tmp_path / "ws", files)
    runner.go("work", "vendor", cwd=root, env={"GOPROXY": "off"}).check()
    bytes_go = root / "vendor/github.com/dustin/go-humanize/bytes.go"
    bytes_go.write_text(bytes_go.read_text().replace("return humanateBytes(s, 1000, sizes)",
                                                     'return "PATCHED " + humanateBytes(s, 1000, sizes)'))
    before = tree_hashes(root)
    binary, _ = build(runner, root / "app")
    res = runner.run([str(binary)], cwd=root, env=otel_env(receiver)).check()
    assert res.stdout == "PATCHED 83 MB!\n"
    receiver.wait_for(lambda r: any(s.name == "size" for s in r.spans()))
    binary.unlink()
    assert tree_hashes(root) == before


@pytest.mark.parametrize("dropin", buildmodes.DROP_IN)
def test_the_drop_in_driver_builds_a_vendored_module_from_its_vendor_directory(runner, humanize_module, receiver,
                                                                                dropin):
    before = tree_hashes(humanize_module)
    binary = humanize_module.parent / "dropin.bin"
    runner.build(dropin, "build", "-o", str(binary), ".", cwd=humanize_module).check()
    res = runner.run([str(binary)], cwd=humanize_module, env=otel_env(receiver)).check()
    assert res.stdout == "PATCHED 83 MB\n"           # the vendored (patched) go-humanize
    receiver.wait_for(lambda r: any(s.name == "size" for s in r.spans()))
    assert tree_hashes(humanize_module) == before
