"""`toolweave go …` end to end on small modules: real go builds, real OTLP payloads.

The spec of the front end: directive spans arrive with the right tree, the user's tree is
never written, the user's code keeps its meaning, the cache makes a second build a no-op,
errors are located, and the usual go flags work.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import textwrap

import pytest

from buildmodes import full_matrix_only
from e2e_support import otel_env, tree_hashes, write_module, write_workspace
from toolweave.otlp.spantree import find, parent

SPANS = {
    "go.mod": """
        module example.com/spans

        go 1.22
    """,
    "main.go": """
        package main

        import (
        	"context"
        	"errors"
        	"fmt"
        	"os"
        )

        //weave:span team:core
        func work(ctx context.Context, n int) (int, error) {
        	if n > 2 {
        		return 0, errors.New("too big")
        	}
        	return step(ctx, n), nil
        }

        //weave:span span.name:step-one
        func step(ctx context.Context, n int) int { return n * 2 }

        func main() {
        	ctx := context.Background()
        	fmt.Println(work(ctx, 1))
        	fmt.Println(work(ctx, 5))
        	if len(os.Args) > 1 && os.Args[1] == "exit" {
        		os.Exit(3)
        	}
        }
    """,
}


@pytest.fixture
def spans_module(tmp_path):
    return write_module(tmp_path / "spans", SPANS)


def build(runner, module, *flags, out="app", mode="frontend"):
    binary = module / out
    runner.build(mode, "build", *flags, "-o", str(binary), ".", cwd=module).check()
    return binary


def test_directive_spans_arrive_as_a_tree(runner, spans_module, receiver, mode):
    binary = build(runner, spans_module, mode=mode)
    res = runner.run([str(binary)], cwd=spans_module, env=otel_env(receiver)).check()
    assert res.stdout.splitlines() == ["2 <nil>", "0 too big"]
    receiver.wait_for(lambda r: len(r.spans()) >= 3)
    spans = receiver.spans()
    step = find(spans, "step-one")
    ok_work = parent(spans, step)
    assert ok_work.name == "work" and ok_work.attributes["team"] == "core"
    assert ok_work.status_code != "ERROR" and ok_work.is_root
    failed = [s for s in spans if s.name == "work" and s.status_code == "ERROR"]
    assert len(failed) == 1 and "too big" in failed[0].status_message
    assert {s.resource["service.name"] for s in spans} == {"app"}


def test_os_exit_path_loses_nothing(runner, spans_module, receiver, mode):
    binary = build(runner, spans_module, mode=mode)
    res = runner.run([str(binary), "exit"], cwd=spans_module, env=otel_env(receiver))
    assert res.returncode == 3
    receiver.wait_for(lambda r: len([s for s in r.spans() if s.name == "work"]) == 2)


def test_otel_sdk_disabled_is_a_no_op(runner, spans_module, receiver, mode):
    binary = build(runner, spans_module, mode=mode)
    runner.run([str(binary)], cwd=spans_module, env=otel_env(receiver, OTEL_SDK_DISABLED="true")).check()
    assert receiver.spans() == [] and sum(receiver.request_counts().values()) == 0


def test_the_users_tree_is_never_written(runner, spans_module, mode):
    before = tree_hashes(spans_module)
    runner.build(mode, "build", "-o", os.devnull, "./...", cwd=spans_module).check()
    runner.build(mode, "vet", "./...", cwd=spans_module).check()
    assert tree_hashes(spans_module) == before


LOOPVAR = {
    "go.mod": """
        module example.com/loopvar

        go 1.21
    """,
    "main.go": """
        package main

        import "fmt"

        //weave:span
        func show(fs []func()) {
        	for _, f := range fs {
        		f()
        	}
        	fmt.Println()
        }

        func main() {
        	var fs []func()
        	for i := 0; i < 3; i++ {
        		fs = append(fs, func() { fmt.Print(i) })
        	}
        	show(fs)
        }
    """,
}


def test_code_keeps_its_language_version(runner, tmp_path, mode):
    module = write_module(tmp_path / "loopvar", LOOPVAR)
    plain = runner.go("run", ".", cwd=module).check()
    woven = runner.build(mode, "run", ".", cwd=module, env={"OTEL_SDK_DISABLED": "true"}).check()
    assert plain.stdout == "333\n"          # go 1.21: one loop variable shared by the closures
    assert woven.stdout == plain.stdout
    assert (module / "go.mod").read_text().count("go 1.21") == 1


UNSAFE = {
    "go.mod": "module example.com/unsafeimport\n\ngo 1.22\n",
    "main.go": """
        package main

        import "fmt"

        func size() int { return 8 }

        func main() { fmt.Println(size()) }
    """,
    "toolweave.yml": "aspects: [sizes.yml]\n",
    "sizes.yml": """
        aspects:
          - id: sizes
            join-point:
              all-of:
                - package-filter: {root: true}
                - function-body: {function: [{name: size}]}
            advice:
              - prepend-statements:
                  template: fmt.Print(unsafe.Sizeof(int32(0)), " ")
                  imports: {unsafe: unsafe, fmt: fmt}
    """,
}


def test_an_advice_may_import_unsafe(runner, tmp_path, mode):
    """unsafe has no archive (the compiler provides it): an import of it that woven code adds
    needs no importcfg line (the drop-in driver asked for one and failed every such compile;
    found by scripts/weave-world --mode dropin)."""
    module = write_module(tmp_path / "unsafeimport", UNSAFE)
    res = runner.build(mode, "run", ".", cwd=module, env={"OTEL_SDK_DISABLED": "true"}).check()
    assert res.stdout == "4 8\n"


NESTED_IMPORTS = {
    "go.mod": "module example.com/nested\n\ngo 1.22\n",
    "main.go": """
        package main

        import "fmt"

        func work() string { return "main" }

        func main() { fmt.Println(work()) }
    """,
    "leaf/leaf.go": """
        package leaf

        var name = "leaf"

        func Name() string { return name }
    """,
    "toolweave.yml": "aspects: [chain.yml]\n",
    "chain.yml": """
        aspects:
          - id: main-calls-leaf
            join-point:
              all-of:
                - package-filter: {root: true}
                - function-body: {function: [{name: work}]}
            advice:
              - prepend-statements:
                  template: fmt.Print(leaf.Name(), " ")
                  imports: {fmt: fmt, leaf: example.com/nested/leaf}
          - id: leaf-uses-strconv
            join-point:
              all-of:
                - package-filter: example.com/nested/leaf
                - function-body: {function: [{name: Name}]}
            advice:
              - prepend-statements:
                  template: name = "leaf" + strconv.Itoa(2)
                  imports: {strconv: strconv}
    """,
}


def test_woven_code_may_add_imports_to_a_package_only_woven_code_imports(runner, tmp_path, mode):
    """main's woven code imports leaf, which the build did not plan; leaf's own woven code
    imports strconv, which leaf does not import. The drop-in driver builds leaf in a nested
    go list, whose compile of leaf needs a nested list of its own (it refused to, and a
    user's aspect over a library's glue dependencies failed: pgx's multitracer, found by
    scripts/weave-world --mode dropin). The modes differ in one thing, documented: the
    drop-in driver weaves every compile, so leaf too; the front end weaves the packages it
    planned (`go list` of the user's build), and leaf is not one of them."""
    module = write_module(tmp_path / "nested", NESTED_IMPORTS)
    res = runner.build(mode, "run", ".", cwd=module, env={"OTEL_SDK_DISABLED": "true"}).check()
    assert res.stdout == ("leaf main\n" if mode == "frontend" else "leaf2 main\n")


def _compiled(go_x_output: str) -> list[str]:
    """Import paths the go command compiled, from `-x` output (`compile … -p path …`)."""
    return [m.group(1) for line in go_x_output.splitlines() if "/compile " in line
            for m in [re.search(r" -p (\S+)", line)] if m]


def test_second_build_weaves_and_compiles_nothing(runner, spans_module):
    build(runner, spans_module)
    again = runner.toolweave("go", "build", "-x", "-o", str(spans_module / "app"), ".", cwd=spans_module,
                             env={"TOOLWEAVE_VERBOSE": "1"}).check()
    assert "(0 woven now, 1 from cache)" in again.stderr
    assert _compiled(again.stderr) == []


def test_changing_an_aspect_rebuilds_only_what_it_touches(runner, tmp_path):
    files = dict(SPANS)
    files["util/util.go"] = """
        package util

        func Double(n int) int { return n * 2 }
    """
    files["main.go"] = files["main.go"].replace('"os"\n', '"os"\n\n        	"example.com/spans/util"\n').replace(
        "return n * 2", "return util.Double(n)")
    files["toolweave.yml"] = "aspects: [extra.yml]\n"
    extra = """
        aspects:
          - id: hello
            join-point:
              all-of:
                - package-filter: {root: true}
                - function-body: {function: [{name: step}]}
            advice:
              - prepend-statements:
                  template: fmt.Print("GREETING")
                  imports: {fmt: fmt}
    """
    files["extra.yml"] = extra.replace("GREETING", "a")
    module = write_module(tmp_path / "aspectchange", files)
    build(runner, module)
    (module / "extra.yml").write_text(textwrap.dedent(extra.replace("GREETING", "b")).lstrip())
    rebuilt = runner.toolweave("go", "build", "-x", "-o", str(module / "app"), ".", cwd=module).check()
    assert _compiled(rebuilt.stderr) == ["main"]


def test_changing_the_runtime_rebuilds_it_and_its_users(runner, spans_module, tmp_path):
    from toolweave.driver import runtime

    build(runner, spans_module)
    source = tmp_path / "runtime"
    shutil.copytree(runtime.SHIPPED, source)
    span_go = source / "span" / "span.go"
    span_go.write_text(span_go.read_text() + "\n// a change\n")
    rebuilt = runner.toolweave("go", "build", "-x", "-o", str(spans_module / "app"), ".", cwd=spans_module,
                               env={"TOOLWEAVE_RUNTIME_SOURCE": str(source)}).check()
    compiled = _compiled(rebuilt.stderr)
    assert "toolweave.dev/runtime/span" in compiled and "main" in compiled
    assert not any(p.startswith("go.opentelemetry.io/") for p in compiled)


def test_panic_reports_the_original_line(runner, tmp_path, mode):
    files = dict(SPANS)
    files["main.go"] = files["main.go"].replace("return n * 2", "var xs []int\n        \treturn xs[n]")
    module = write_module(tmp_path / "panics", files)
    binary = build(runner, module, mode=mode)
    res = runner.run([str(binary)], cwd=module, env={"OTEL_SDK_DISABLED": "true"})
    assert res.returncode == 2
    line = next(i for i, l in enumerate((module / "main.go").read_text().splitlines(), 1) if "return xs[n]" in l)
    assert f"{module / 'main.go'}:{line}" in res.stderr


def test_a_compile_error_is_reported_at_the_original_position(runner, tmp_path, mode):
    files = dict(SPANS)
    files["main.go"] = files["main.go"].replace("return n * 2", 'var s string = n\n        \treturn n')
    module = write_module(tmp_path / "broken", files)
    res = runner.build(mode, "build", ".", cwd=module)
    assert res.returncode == 1
    line = next(i for i, l in enumerate((module / "main.go").read_text().splitlines(), 1) if "var s string" in l)
    assert re.search(rf"main\.go:{line}:\d+: cannot use n", res.stderr), res.stderr


def test_a_broken_aspect_file_gets_a_located_error(runner, spans_module):
    (spans_module / "toolweave.yml").write_text("aspects: [bad.yml]\n")
    (spans_module / "bad.yml").write_text("aspects:\n  - id: x\n    join-point: {function-cal: fmt.Println}\n"
                                          "    advice: [{add-blank-import: fmt}]\n")
    res = runner.toolweave("go", "build", ".", cwd=spans_module)
    assert res.returncode == 2
    assert res.stderr.strip().splitlines() == [
        f'toolweave: {spans_module / "bad.yml"}:3: aspect "x": '
        'unknown join point kind "function-cal" (did you mean "function-call"?)']


def test_no_go_on_path_is_one_line(runner, spans_module):
    res = runner.run([sys.executable, "-m", "toolweave.cli", "go", "build", "."], cwd=spans_module,
                     env={"PATH": os.path.dirname(sys.executable)})
    assert res.returncode == 1
    assert res.stderr.count("\n") == 1 and "go command was not found" in res.stderr


@pytest.mark.parametrize("flags", [["-race"], ["-tags", "extra"], ["-trimpath"], ["-cover"]],
                         ids=["race", "tags", "trimpath", "cover"])
def test_go_flags_pass_through(runner, spans_module, receiver, flags, mode):
    if flags == ["-race"] and mode != "frontend":
        full_matrix_only("-race under the drop-in driver (a cold race build of every package)")
    (spans_module / "extra.go").write_text("//go:build extra\n\npackage main\n\nfunc init() { println(\"extra\") }\n")
    binary = build(runner, spans_module, *flags, mode=mode)
    res = runner.run([str(binary)], cwd=spans_module, env=otel_env(receiver, GOCOVERDIR=str(spans_module))).check()
    assert ("extra" in res.stderr) == ("extra" in flags)
    receiver.wait_for(lambda r: any(s.name == "step-one" for s in r.spans()))


def test_go_run_passes_program_arguments(runner, spans_module, receiver, mode):
    res = runner.build(mode, "run", ".", "exit", cwd=spans_module, env=otel_env(receiver))
    assert res.returncode == 1 and "exit status 3" in res.stderr
    receiver.wait_for(lambda r: len([s for s in r.spans() if s.name == "work"]) == 2)


CALC = {
    "go.mod": """
        module example.com/calc

        go 1.22
    """,
    "calc.go": """
        package calc

        import "context"

        //weave:span kind:math
        func Add(ctx context.Context, a, b int) int { return a + b }
    """,
    "calc_test.go": """
        package calc

        import (
        	"context"
        	"testing"
        )

        //weave:span
        func helper(ctx context.Context) int { return Add(ctx, 1, 2) }

        func TestAdd(t *testing.T) {
        	if helper(context.Background()) != 3 {
        		t.Fatal("bad sum")
        	}
        }
    """,
}


@pytest.mark.parametrize("own_testmain", [False, True], ids=["generated-testmain", "user-testmain"])
def test_go_test_exports_spans_when_asked(runner, tmp_path, receiver, own_testmain, mode):
    files = dict(CALC)
    if own_testmain:
        files["main_test.go"] = """
            package calc

            import (
            	"os"
            	"testing"
            )

            func TestMain(m *testing.M) {
            	os.Exit(m.Run())
            }
        """
    module = write_module(tmp_path / "calc", files)
    before = tree_hashes(module)
    res = runner.build(mode, "test", "-count=1", "-v", ".", cwd=module,
                           env=otel_env(receiver, TOOLWEAVE_TEST_BOOTSTRAP="1")).check()
    assert "--- PASS: TestAdd" in res.stdout
    receiver.wait_for(lambda r: len(r.spans()) >= 2)
    add = find(receiver.spans(), "Add")
    assert parent(receiver.spans(), add).name == "helper" and add.attributes["kind"] == "math"
    assert tree_hashes(module) == before


HTTP_TEST = {
    "go.mod": "module example.com/web\n\ngo 1.22\n",
    "web.go": """
        package web

        import "net/http"

        func Mux() *http.ServeMux {
        	mux := http.NewServeMux()
        	mux.HandleFunc("GET /hello/{name}", func(w http.ResponseWriter, r *http.Request) {
        		w.Write([]byte("hi " + r.PathValue("name")))
        	})
        	return mux
        }
    """,
    "web_test.go": """
        package web

        import (
        	"io"
        	"net/http"
        	"net/http/httptest"
        	"testing"
        )

        func TestHello(t *testing.T) {
        	srv := httptest.NewServer(Mux())
        	defer srv.Close()
        	res, err := http.Get(srv.URL + "/hello/gopher")
        	if err != nil {
        		t.Fatal(err)
        	}
        	body, _ := io.ReadAll(res.Body)
        	res.Body.Close()
        	if string(body) != "hi gopher" {
        		t.Fatalf("got %q", body)
        	}
        }
    """,
}


def test_a_test_binary_links_what_woven_net_http_needs(runner, tmp_path, receiver, mode):
    """The hooks woven into net/http are set by a package only the main package links: a
    test binary's main (go's generated _testmain.go) gets it too, in every driver."""
    module = write_module(tmp_path / "web", HTTP_TEST)
    res = runner.build(mode, "test", "-count=1", "-v", ".", cwd=module,
                       env=otel_env(receiver, TOOLWEAVE_TEST_BOOTSTRAP="1")).check()
    assert "--- PASS: TestHello" in res.stdout
    receiver.wait_for(lambda r: any(s.name == "GET /hello/{name}" for s in r.spans()))
    server = find(receiver.spans(), "GET /hello/{name}")
    assert server.kind == "SERVER" and parent(receiver.spans(), server).kind == "CLIENT"


def test_go_test_without_asking_starts_no_sdk(runner, tmp_path, receiver, mode):
    module = write_module(tmp_path / "calc", CALC)
    runner.build(mode, "test", "-count=1", ".", cwd=module, env=otel_env(receiver)).check()
    assert sum(receiver.request_counts().values()) == 0


def test_diff_and_list_show_every_injection(runner, spans_module):
    diff = runner.toolweave("diff", ".", cwd=spans_module).check().stdout
    assert diff.startswith("--- a/main.go\n+++ b/main.go\n")
    assert "+__tw_shutdown := __tw_bootstrap.Start()" in diff and "twspan.Start(ctx" in diff
    listing = runner.toolweave("list", ".", cwd=spans_module).check().stdout
    assert "weave-span" in listing and "bootstrap" in listing
    assert re.search(r"main\.go: .*weave-span", listing)


def test_cgo_files_are_woven(runner, tmp_path, receiver, mode):
    module = write_module(tmp_path / "cgo", {
        "go.mod": "module example.com/cgo\n\ngo 1.22\n",
        "main.go": """
            package main

            /*
            static int twice(int x) { return 2 * x; }
            */
            import "C"

            import (
            	"context"
            	"fmt"
            )

            //weave:span
            func compute(ctx context.Context, n int) int {
            	return int(C.twice(C.int(n)))
            }

            func main() {
            	fmt.Println(compute(context.Background(), 21))
            }
        """,
    })
    binary = build(runner, module, mode=mode)
    assert runner.run([str(binary)], cwd=module, env=otel_env(receiver)).check().stdout == "42\n"
    receiver.wait_for(lambda r: any(s.name == "compute" for s in r.spans()))


def test_go_workspace(runner, tmp_path, receiver, mode):
    root = write_workspace(tmp_path / "work", """
        package main

        import (
        	"context"
        	"fmt"

        	"example.com/lib"
        )

        //weave:span
        func run(ctx context.Context) { fmt.Println(lib.Greet(ctx, "gopher")) }

        func main() { run(context.Background()) }
    """)
    before = tree_hashes(root)
    binary = build(runner, root / "app")
    assert runner.run([str(binary)], cwd=root, env=otel_env(receiver)).check().stdout == "hello gopher\n"
    receiver.wait_for(lambda r: len(r.spans()) == 2)
    assert parent(receiver.spans(), find(receiver.spans(), "Greet")).name == "run"
    binary.unlink()
    assert tree_hashes(root) == before      # go.work, go.mod files and sources untouched


def test_two_concurrent_builds_share_a_cold_cache(runner, spans_module, tmp_path):
    env = {"TOOLWEAVE_CACHE_DIR": str(tmp_path / "fresh-cache")}
    procs = [subprocess.Popen([sys.executable, "-m", "toolweave.cli", "go", "build", "-o", str(tmp_path / f"app{i}"), "."],
                              cwd=spans_module, env={**runner.env, **env}, stderr=subprocess.PIPE, text=True)
             for i in range(2)]
    for p in procs:
        _, err = p.communicate(timeout=600)
        assert p.returncode == 0, err
    outputs = {runner.run([str(tmp_path / f"app{i}")], cwd=tmp_path, env={"OTEL_SDK_DISABLED": "true"}).check().stdout
               for i in range(2)}
    assert outputs == {"2 <nil>\n0 too big\n"}
    cleaned = runner.toolweave("cache", "clean", cwd=spans_module, env=env).check()
    assert cleaned.stdout.startswith("removed ") and not (tmp_path / "fresh-cache").exists()
    assert 'eval "$(toolweave env)" again' in cleaned.stdout    # its launcher and module file are gone
