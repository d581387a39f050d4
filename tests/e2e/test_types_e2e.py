"""Type-aware join points through every driver: facts from Go's type checker (the typefacts
helper) over the package's files and its imports' export data; a woven file follows the
other files it depends on; a build whose aspects ask nothing never builds the helper."""

from __future__ import annotations

from pathlib import Path

from e2e_support import write_module
from test_frontend import SPANS

ASPECTS = """
    aspects:
      - id: count-writes
        join-point:
          all-of:
            - package-filter: {root: true}
            - method-call:
                receiver: strings.Builder
                name: WriteString
        advice:
          - wrap-expression: 'counted({{ . }})'
      - id: readers
        join-point:
          all-of:
            - package-filter: {root: true}
            - function-body:
                function:
                  - argument-implements: io.Reader
        advice:
          - prepend-statements:
              template: 'println("reader arg:", {{ printf "%q" (.Function.ArgumentThatImplements "io.Reader") }})'
"""

TYPED = {
    "go.mod": "module example.com/typed\n\ngo 1.22\n",
    "toolweave.yml": "integrations:\n  disabled: ['*']\naspects: [typed.yml]\n",
    "typed.yml": ASPECTS,
    # The receiver is a field of a type declared in another file: only the type checker knows.
    "main.go": """
        package main

        import "fmt"

        var calls int

        func counted(n int, err error) (int, error) { calls++; return n, err }

        func main() {
        	d := newDoc()
        	d.body.WriteString("hello ")
        	d.body.WriteString("world")
        	consume(&source{text: d.body.String()})
        	fmt.Println(d.body.String(), calls)
        }
    """,
    "doc.go": """
        package main

        import "strings"

        type doc struct{ body *strings.Builder }

        func newDoc() doc { return doc{body: &strings.Builder{}} }
    """,
    "source.go": """
        package main

        import "io"

        type source struct{ text string }

        func (s *source) Read(p []byte) (int, error) { n := copy(p, s.text); s.text = s.text[n:]; if n == 0 { return 0, io.EOF }; return n, nil }

        // *source implements io.Reader: the parameter is spelled as neither.
        func consume(s *source) { _, _ = io.ReadAll(s) }
    """,
}


def _build_and_run(runner, mode: str, module: Path) -> str:
    runner.build(mode, "build", "-o", str(module / "app"), ".", cwd=module).check()
    run = runner.run([str(module / "app")], cwd=module, env={"OTEL_SDK_DISABLED": "true"}).check()
    return run.stdout + run.stderr


def test_type_aware_join_points_in_every_mode(runner, mode, tmp_path):
    module = write_module(tmp_path / "typed", TYPED)
    out = _build_and_run(runner, mode, module)
    assert "hello world 2" in out                       # both WriteString calls counted
    assert 'reader arg: s' in out                       # *source implements io.Reader


def test_a_typed_weave_follows_the_files_it_depends_on(runner, mode, tmp_path):
    """main.go's weave depends on doc.go: when the field's type changes, main.go is woven
    again (its bytes did not change) and no longer counts the writes."""
    module = write_module(tmp_path / "follow", TYPED)
    assert "hello world 2" in _build_and_run(runner, mode, module)
    (module / "doc.go").write_text((module / "doc.go").read_text().replace("strings.Builder", "bytes.Buffer")
                                   .replace('import "strings"', 'import "bytes"'))
    assert "hello world 0" in _build_and_run(runner, mode, module)


def test_aspects_that_ask_nothing_never_build_the_type_checker(runner, tmp_path, base_env):
    cache = tmp_path / "cache"
    module = write_module(tmp_path / "spans", SPANS)
    runner.build("frontend", "build", "-o", str(module / "app"), ".", cwd=module,
                 env={"TOOLWEAVE_CACHE_DIR": str(cache)}).check()
    assert (cache / "woven").is_dir()                     # it did weave, in this cache
    assert not list(cache.rglob("typefacts*"))


def test_a_body_edit_that_asks_the_type_checker_rebuilds_correctly(runner, tmp_path):
    """A rebuild in which only a body changed is a patch (replay), which does not run the
    type checker: the re-weave asks, so the build plans anew, and the new call is woven."""
    module = write_module(tmp_path / "patch", TYPED)
    assert "hello world 2" in _build_and_run(runner, "frontend", module)
    main = module / "main.go"
    main.write_text(main.read_text().replace('d.body.WriteString("world")',
                                             'd.body.WriteString("world")\n\td.body.WriteString("!")'))
    assert "hello world! 3" in _build_and_run(runner, "frontend", module)
