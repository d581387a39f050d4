"""toolweave.yml: what each key gives, and located errors for what it cannot mean."""

from __future__ import annotations

import os

import pytest

from toolweave.aspect.errors import AspectError
from toolweave.config import OPTIONAL_DIR, load_config

QUERY_TEXT = [
    ("", "sanitized", None),
    ("database:\n  query-text: sanitized\n", "sanitized", None),
    ("database:\n  query-text: raw\n", "raw", "db-query-text-raw.yml"),
    ("database:\n  query-text: off\n", "off", "db-query-text-off.yml"),          # YAML 1.1: false
    ("database:\n  query-text: 'off'\n", "off", "db-query-text-off.yml"),
    ("database: {}\n", "sanitized", None),
]


@pytest.mark.parametrize("text, mode, optional", QUERY_TEXT)
def test_database_query_text(tmp_path, text, mode, optional, monkeypatch):
    monkeypatch.delenv("TOOLWEAVE_DISABLED_INTEGRATIONS", raising=False)
    if text:
        (tmp_path / "toolweave.yml").write_text(text)
    config = load_config(str(tmp_path))
    assert config.query_text == mode
    extra = [p for p in config.aspect_files() if p.startswith(OPTIONAL_DIR)]
    assert extra == ([os.path.join(OPTIONAL_DIR, optional)] if optional else [])
    assert all(os.path.isfile(p) for p in config.aspect_files())


BAD = [
    ("database:\n  query-text: everything\n", 2, "must be sanitized, raw or off"),
    ("database:\n  statements: off\n", 1, "database must be a mapping with query-text"),
    ("database: off\n", 1, "database must be a mapping"),
    ("integrations: {}\ndatabse: {}\n", 2, "unknown key 'databse'"),
]


@pytest.mark.parametrize("text, line, message", BAD)
def test_what_it_cannot_mean_is_a_located_error(tmp_path, text, line, message):
    (tmp_path / "toolweave.yml").write_text(text)
    with pytest.raises(AspectError) as err:
        load_config(str(tmp_path))
    assert message in str(err.value) and f"toolweave.yml:{line}" in str(err.value), str(err.value)


def test_gls_is_opt_in_by_file_or_environment(tmp_path, monkeypatch):
    from toolweave.config import OPTIONAL_DIR, load_config

    gls = os.path.join(OPTIONAL_DIR, "gls.yml")
    monkeypatch.delenv("TOOLWEAVE_GLS", raising=False)
    assert gls not in load_config(str(tmp_path)).aspect_files()
    (tmp_path / "toolweave.yml").write_text("gls: true\n")
    assert gls in load_config(str(tmp_path)).aspect_files()
    monkeypatch.setenv("TOOLWEAVE_GLS", "0")             # the environment wins for one build
    assert gls not in load_config(str(tmp_path)).aspect_files()
    (tmp_path / "toolweave.yml").write_text("integrations: {}\n")
    monkeypatch.setenv("TOOLWEAVE_GLS", "1")
    assert gls in load_config(str(tmp_path)).aspect_files()


@pytest.mark.parametrize("text, env, on, inherit", [
    ("gls: true\n", None, True, False),
    ("gls: {inherit: true}\n", None, True, True),
    ("gls:\n  inherit: false\n", None, True, False),
    ("gls: {}\n", None, True, False),
    ("gls: false\n", "inherit", True, True),       # the environment wins
    ("gls: {inherit: true}\n", "1", True, False),
    ("gls: {inherit: true}\n", "0", False, False),
    ("", "inherit", True, True),
])
def test_gls_inheritance_by_go_statements_is_opt_in_too(tmp_path, monkeypatch, text, env, on, inherit):
    from toolweave.config import OPTIONAL_DIR, load_config

    monkeypatch.delenv("TOOLWEAVE_GLS", raising=False)
    if env is not None:
        monkeypatch.setenv("TOOLWEAVE_GLS", env)
    if text:
        (tmp_path / "toolweave.yml").write_text(text)
    files = load_config(str(tmp_path)).aspect_files()
    assert (os.path.join(OPTIONAL_DIR, "gls.yml") in files) == on
    assert (os.path.join(OPTIONAL_DIR, "gls-inherit.yml") in files) == inherit


def test_gls_inherit_by_the_go_statements_of_listed_packages_too(tmp_path, monkeypatch):
    """inherit: [globs]: the main module's go statements and those of the packages the globs
    match, through an aspect file generated under the cache root (named by its content)."""
    from toolweave.aspect import load_aspects
    from toolweave.aspect.facts import PackageFacts
    from toolweave.config import OPTIONAL_DIR, load_config
    from toolweave.packagegate import evaluate

    monkeypatch.delenv("TOOLWEAVE_GLS", raising=False)
    monkeypatch.setenv("TOOLWEAVE_CACHE_DIR", str(tmp_path / "cache"))
    (tmp_path / "toolweave.yml").write_text("gls:\n  inherit: [golang.org/x/sync/errgroup, 'example.com/fw/**']\n")
    files = load_config(str(tmp_path)).aspect_files()
    assert os.path.join(OPTIONAL_DIR, "gls-inherit.yml") in files
    [generated] = [f for f in files if f.startswith(str(tmp_path / "cache" / "generated"))]
    assert load_config(str(tmp_path)).aspect_files() == files        # the same file, not another
    [aspect] = load_aspects([generated]).aspects
    gate = aspect.join_point.package_gate()
    for path, want in [("golang.org/x/sync/errgroup", True), ("example.com/fw/db", True),
                       ("golang.org/x/sync/semaphore", False), ("example.com/other", False)]:
        may = evaluate(gate, PackageFacts(import_path=path, name="p")) is not False
        assert may == want, path
    monkeypatch.setenv("TOOLWEAVE_GLS", "1")                         # on without inheritance
    assert not any("inherit" in f for f in load_config(str(tmp_path)).aspect_files())


@pytest.mark.parametrize("text, message, line", [
    ("test-bootstrap: false\ngls: yes please\n", "gls must be true, false, or a mapping with inherit", 2),
    ("gls: {inherit: true, workers: 3}\n", "gls must be true, false, or a mapping with inherit", 1),
    ("gls:\n  inherit: always\n", "gls.inherit must be true, false, or a list of package globs", 2),
    ("gls:\n  inherit: []\n", "gls.inherit must be true, false, or a list of package globs", 2),
    ("gls: true\non: push\n", "a mapping key must be a string: 'on' reads as True here; quote it", 2),
    ("gls: [\n", "YAML syntax error", 2),
    ("gls:\n  inherit: [golang.org/x/sync/errgroup, 'a[b']\n", "gls.inherit: bad glob 'a[b'", 2),
])
def test_gls_must_be_a_boolean_or_the_inherit_mapping(tmp_path, text, message, line):
    from toolweave.aspect import AspectError
    from toolweave.config import load_config

    (tmp_path / "toolweave.yml").write_text(text)
    with pytest.raises(AspectError) as info:
        load_config(str(tmp_path))
    assert message in str(info.value) and f":{line}:" in str(info.value), str(info.value)


SECURITY = [
    # toolweave.yml, TOOLWEAVE_SECURITY, TOOLWEAVE_ERROR_CAPTURE -> optional files, mode, roots, capture
    ("", None, None, [], "off", (), False),
    ("security: {mode: report}\n", None, None, ["security-files.yml", "security-exec.yml"], "report", (), False),
    ("security: {}\n", None, None, ["security-files.yml", "security-exec.yml"], "report", (), False),
    ("security:\n  mode: enforce\n  roots: [data, /srv]\n  exec: false\n", None, None, ["security-files.yml"],
     "enforce", ("data", "/srv"), False),
    ("security:\n  mode: enforce\n  files: false\n", None, None, ["security-exec.yml"], "enforce", (), False),
    ("security:\n  mode: off\n", None, None, [], "off", (), False),                     # YAML 1.1: false
    ("security: {mode: enforce}\n", "off", None, [], "off", (), False),                 # the environment wins
    ("", "enforce", None, ["security-files.yml", "security-exec.yml"], "enforce", (), False),
    ("errors: {capture: true}\n", None, None, ["error-capture.yml"], "off", (), True),
    ("errors: {capture: true}\n", None, "0", [], "off", (), False),
    ("", None, "1", ["error-capture.yml"], "off", (), True),
]


@pytest.mark.parametrize("text, env, capture_env, optional, mode, roots, capture", SECURITY)
def test_security_and_error_capture_are_opt_in(tmp_path, monkeypatch, text, env, capture_env, optional, mode, roots,
                                               capture):
    for name, value in (("TOOLWEAVE_SECURITY", env), ("TOOLWEAVE_ERROR_CAPTURE", capture_env)):
        monkeypatch.delenv(name, raising=False) if value is None else monkeypatch.setenv(name, value)
    monkeypatch.setenv("TOOLWEAVE_CACHE_DIR", str(tmp_path / "cache"))
    if text:
        (tmp_path / "toolweave.yml").write_text(text)
    config = load_config(str(tmp_path))
    assert (config.security, config.security_roots, config.error_capture) == (mode, roots, capture)
    files = config.aspect_files()
    assert [os.path.basename(p) for p in files if p.startswith(OPTIONAL_DIR)] == optional
    generated = [p for p in files if p.startswith(str(tmp_path / "cache"))]
    assert len(generated) == (1 if mode != "off" else 0)
    if generated:   # the build's defaults, compiled into the main package
        args = ", ".join(f'"{x}"' for x in (mode, *roots))
        assert f"twguard.SetDefault({args})" in open(generated[0]).read()


@pytest.mark.parametrize("text, message, line", [
    ("security: strict\n", "security must be a mapping with mode", 1),
    ("security:\n  mode: paranoid\n", "security.mode must be report, enforce or off, not 'paranoid'", 2),
    ("security:\n  mode: report\n  roots: data\n", "security.roots must be a list of directories", 3),
    ("security:\n  roots: ['']\n", "security.roots must be a list of directories", 2),
    ("security:\n  roots: ['/srv/{{ .Function }}']\n", "security.roots must be a list of directories", 2),
    ("security:\n  exec: sometimes\n", "security.exec must be true or false", 2),
    ("security:\n  shell: true\n", "security must be a mapping with mode", 1),
    ("errors: true\n", "errors must be a mapping with capture", 1),
    ("gls: true\nerrors: {capture: yes please}\n", "errors must be a mapping with capture", 2),
])
def test_security_and_errors_sections_that_mean_nothing_are_located_errors(tmp_path, monkeypatch, text, message, line):
    monkeypatch.delenv("TOOLWEAVE_SECURITY", raising=False)
    (tmp_path / "toolweave.yml").write_text(text)
    with pytest.raises(AspectError) as info:
        load_config(str(tmp_path))
    assert message in str(info.value) and f":{line}:" in str(info.value), str(info.value)


def test_an_unknown_security_mode_in_the_environment_is_an_error(tmp_path, monkeypatch):
    monkeypatch.setenv("TOOLWEAVE_SECURITY", "paranoid")
    with pytest.raises(AspectError, match="TOOLWEAVE_SECURITY='paranoid': expected one of off, report, enforce"):
        load_config(str(tmp_path))
