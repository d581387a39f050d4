#!/usr/bin/env python3
"""Weave the world (not a CI test; its figures go in docs/reliability.md, "Weave the world").

Builds, through the front end (`toolweave go build`, the real command, in a child process),
with every built-in aspect file plus the catch-all aspect scripts/weave_world_catchall.yml
(every function body and literal, every go statement, every file, many call sites and
literals; see that file):

- std:     `go build std` — every package of GOROOT/src the host builds;
- cmd:     `go build cmd` — the Go toolchain's own commands (they are linked);
- modules: `go build ./...` of every module the tests build (tests/integrations/apps,
           tests/ecosystem/apps, tests/e2e/apps, examples), copied to a scratch directory
           with a toolweave.yml naming the catch-all (the checkout is never written); the
           front end weaves each module's packages and every dependency, std included.

std and cmd are built from a scratch module (weaveworld.example, no packages) whose
toolweave.yml names the catch-all, so the whole standard library is "dependencies" to the
front end, exactly as in a user's build.

Every woven package must compile. A file that cannot be woven (toolweave's warning, an error
under TOOLWEAVE_STRICT=1) and a compile error in a woven package are failures; each is listed
with its message. Not woven, by design (these are the rules of the front end, not of this
script): OpenTelemetry, the instrumentation libraries, gRPC and protobuf, and toolweave's
runtime module with its dependency closure (driver/plan.py, LIBRARIES.md rule 1).

Excluded by the catch-all (its `&std` gate), and why: the runtime and what it depends on,
i.e. `go list -deps runtime` (30 packages on Go 1.26), plus runtime/cgo and runtime/race/**.
The compiler treats 24 of them (runtime, internal/runtime/**, internal/abi, bytealg,
byteorder, chacha8rand, coverage/rtcov, cpu, goarch, godebugs, goexperiment, goos,
profilerecord, strconv, stringslite: cmd/internal/objabi's runtimePkgs) as the runtime:
implicit allocation is disallowed (a variable escaping to the heap, as a closure's captured
variable may, is a compile error) and the runtime pragmas apply (//go:nosplit, whose call
chains the linker bounds, //go:nowritebarrier(rec), //go:systemstack); their code runs before
the heap and the scheduler exist. The other runtime dependencies (internal/asan, msan, race,
math/bits, internal/trace/tracev2, internal/runtime/pprof/label, unsafe) are linked into the
runtime and called from it, and runtime/cgo and runtime/race are its cgo and race glue: they
are excluded as part of the runtime, not because a weave of them was seen to fail. The
built-in aspects do not weave any of them either (gls.yml, opt-in, weaves package runtime).
Everything else in GOROOT, including runtime/debug, runtime/pprof,
runtime/trace, runtime/metrics, syscall, os, reflect, sync and the crypto/internal/fips140
module, gets the catch-all. The script checks that the catch-all's list covers
`go list -deps runtime`, runtime/cgo and runtime/race on the toolchain it runs with
(runtime/race's own imports, sync and sync/atomic, are woven).

    bash scripts/weave-world [--only std,cmd,modules] [--mode build|test|dropin] [--json FILE] [--keep-caches]

--mode (default build) is how each target is built:
- build:  `toolweave go build` (above);
- test:   `toolweave go test -count=1 -run '^$'`: _test.go files woven too, internal and
          external test packages, every test binary linked and started (its init and TestMain
          run, no test); std stands for the packages of --std-tests (STD_TESTS), cmd is
          skipped (its tests, like all of std's, are hours here);
- dropin: the drop-in driver as a user sets it up: `toolweave env --format json` in the
          target's directory, then plain `go build` with the GOFLAGS it printed (the launcher
          as -toolexec, the generated -modfile); figures from the launcher's and the
          driver's TOOLWEAVE_TIMINGS records (files and edits are not counted there) and
          `toolweave: warning:` lines (a file that could not be woven).

Private caches: GOCACHE=/tmp/ww-gocache, TOOLWEAVE_CACHE_DIR=/tmp/ww-twcache (both start
empty, so every package is woven and compiled, and are removed at the end unless
--keep-caches); scratch copies under /tmp/ww-work. Prints a summary and writes it as JSON.
"""

from __future__ import annotations

import argparse
import fnmatch
import json
import os
import re
import shutil
import subprocess
import sys
import time

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
CATCH_ALL = os.path.join(REPO, "scripts", "weave_world_catchall.yml")
MODULE_ROOTS = ("tests/integrations", "tests/ecosystem", "tests/e2e/apps", "examples")
WORK = "/tmp/ww-work"
GOCACHE = "/tmp/ww-gocache"
TWCACHE = "/tmp/ww-twcache"
# --mode test's std: these packages' tests (internal and external test packages, test
# binaries linked and started); `go test std` would take hours on 2 cores.
STD_TESTS = ("net/http encoding/json strings sync fmt context errors database/sql/... log/slog/... net/... "
             "encoding/... bytes bufio io/... os/... time text/template/... html/template")


# --------------------------------------------------------------------------- the child
# One build, in a child process: `toolweave go build …` exactly as the CLI runs it, with
# counters hooked into the weaver (the figures the CLI does not print) and the plan kept.

def child(out: str, argv: list[str]) -> int:
    sys.path.insert(0, os.path.join(REPO, "src"))
    from toolweave import weave
    from toolweave.aspect import weaver
    from toolweave.commands import go as gocmd
    from toolweave.driver import frontend

    counts = {"matches": 0, "edits": 0, "files_parsed": 0}
    match, finish, plan = weave._match, weaver.FileWeaver.finish, frontend.plan
    kept = {}

    def counting_match(fctx, aspects):
        found = match(fctx, aspects)
        counts["files_parsed"] += 1
        counts["matches"] += sum(len(hits) for _, hits in found)
        return found

    def counting_finish(self):
        data = finish(self)
        counts["edits"] += len(self.edits.edits)
        return data

    def keeping_plan(*args, **kwargs):
        planned = plan(*args, **kwargs)
        kept["planned"] = planned
        return planned

    weave._match, weaver.FileWeaver.finish, frontend.plan = counting_match, counting_finish, keeping_plan
    code = gocmd.run(argv)
    summary = {"exit": code, **counts}
    planned = kept.get("planned")
    if planned is not None:
        result, packages = planned.result, planned.packages
        by_file = {f: p.path for p in packages for f in p.go_files}
        woven = [w for w in result.woven if not w.generated]
        summary.update(
            packages=len({p.path for p in packages}),
            standard=len({p.path for p in packages if p.standard}),
            woven_packages=sorted({by_file.get(w.path, w.path) for w in woven}),
            woven_files=len(woven),
            generated_files=len(result.woven) - len(woven),
            go_files=len({f for p in packages for f in p.go_files}),
            weave_failures=list(result.failures),
            imports_added=sorted(result.imports),
        )
    with open(out, "w") as f:
        json.dump(summary, f)
    return code


# --------------------------------------------------------------------------- the parent

def go(*args, cwd=None, env=None) -> str:
    return subprocess.run(["go", *args], cwd=cwd, env=env, check=True, capture_output=True, text=True).stdout


def check_exclusions(env) -> list[str]:
    """The catch-all's runtime exclusions must cover the runtime's dependencies on this
    toolchain: the packages not covered (empty when all are)."""
    text = open(CATCH_ALL).read()
    gate = text.split("&std", 1)[1].split("- function-body", 1)[0]
    globs = re.findall(r'package-filter: "([^"]+)"', gate)
    deps = go("list", "-deps", "runtime", env=env).split() + ["runtime/cgo", "runtime/race"]

    def covered(path):
        return any(fnmatch.fnmatchcase(path, g.replace("**", "*")) if "**" in g else path == g for g in globs)

    return [p for p in deps if not covered(p)]


def scratch_module(go_version: str) -> str:
    d = os.path.join(WORK, "scratch")
    os.makedirs(d, exist_ok=True)
    with open(os.path.join(d, "go.mod"), "w") as f:
        f.write(f"module weaveworld.example\n\ngo {go_version}\n")
    write_config(d, replace=True)
    return d


def write_config(module_dir: str, replace: bool = False) -> None:
    path = os.path.join(module_dir, "toolweave.yml")
    if os.path.exists(path) and not replace:
        raise SystemExit(f"{path}: the module has its own toolweave.yml; merge the catch-all into it by hand")
    with open(path, "w") as f:
        f.write(f"# written by scripts/weave_world.py\naspects:\n  - {CATCH_ALL}\n")


def modules() -> list[str]:
    """Every go.mod the tests build, as directories relative to the repository."""
    found = []
    for root in MODULE_ROOTS:
        for base, dirs, files in os.walk(os.path.join(REPO, root)):
            dirs[:] = sorted(d for d in dirs if d not in ("vendor", "testdata", ".git"))
            if "go.mod" in files:
                found.append(os.path.relpath(base, REPO))
    return sorted(found)


def copy_module(rel: str) -> str:
    """A copy of the module (its whole directory, nested modules and vendor/ included, so
    relative `replace`s still resolve) with the catch-all's toolweave.yml."""
    dest = os.path.join(WORK, "modules", rel.replace("/", "__"))
    shutil.rmtree(dest, ignore_errors=True)
    shutil.copytree(os.path.join(REPO, rel), dest, symlinks=True)
    write_config(dest)
    return dest


# "# pkg" then its errors, as go build prints them
PKG_HEADER = re.compile(r"^# (\S+)")


def go_errors(stderr: str) -> dict[str, list[str]]:
    errors, current = {}, None
    for line in stderr.splitlines():
        m = PKG_HEADER.match(line)
        if m:
            current = m.group(1)
            errors.setdefault(current, [])
        elif current is not None and line and not line.startswith("toolweave:"):
            if len(errors[current]) < 12:
                errors[current].append(line)
        else:
            current = None
    return errors


def tool_records(timings: str) -> list[dict]:
    """The `tool` records of a timings file (driver/timings.py's format), none if it is missing."""
    out = []
    try:
        lines = open(timings).read().splitlines()
    except FileNotFoundError:
        return out
    for line in lines:
        try:
            rec = json.loads(line)
        except ValueError:
            continue
        if isinstance(rec, dict) and rec.get("kind") == "tool":
            out.append(rec)
    return out


def compiles(timings: str) -> dict:
    """Compile runs from the build's timings records: how many, how many of woven
    packages, and failed ones."""
    out = {"compiles": 0, "woven_compiles": 0, "failed_compiles": [], "links": 0}
    for rec in tool_records(timings):
        if rec.get("tool") == "link":
            out["links"] += 1
        if rec.get("tool") != "compile":
            continue
        out["compiles"] += 1
        out["woven_compiles"] += bool(rec.get("woven"))
        if rec.get("exit"):
            out["failed_compiles"].append(rec.get("pkg", ""))
    return out


def build(name: str, cwd: str, args: list[str], env: dict, mode: str = "build") -> dict:
    """One target built as `mode` says (see the module's docstring); its summary."""
    if mode == "dropin":
        return dropin_build(name, cwd, args, env)
    if mode == "test":
        args = ["-count=1", "-run", "^$", *args]
    return front_end_build(name, cwd, mode, args, env)


def files_of(name: str, mode: str) -> tuple[str, str, str]:
    """The summary, timings and stderr files of one build (removed if left by an earlier run)."""
    tag = re.sub(r"[^A-Za-z0-9_.-]", "_", name) + ("" if mode == "build" else f".{mode}")
    out = tuple(os.path.join(WORK, f"{tag}.{ext}") for ext in ("json", "timings.jsonl", "stderr"))
    for f in out[:2]:
        if os.path.exists(f):
            os.remove(f)
    return out


def front_end_build(name: str, cwd: str, verb: str, args: list[str], env: dict) -> dict:
    summary_file, timings_file, log_file = files_of(name, verb)
    argv = [verb, f"--timings={timings_file}", *args]
    print(f"weave-world: {name}: toolweave go {' '.join(argv)}  (in {cwd})", file=sys.stderr, flush=True)
    started = time.monotonic()
    proc = subprocess.run([sys.executable, os.path.abspath(__file__), "--child", summary_file, "--", *argv],
                          cwd=cwd, env=env, capture_output=True, text=True)
    wall = time.monotonic() - started
    with open(log_file, "w") as f:
        f.write(proc.stderr)
    try:
        with open(summary_file) as f:
            summary = json.load(f)
    except (OSError, ValueError):
        summary = {"exit": proc.returncode, "crash": proc.stderr[-3000:]}
    summary.update(name=name, command=f"toolweave go {' '.join(argv)}", cwd=cwd, seconds=round(wall, 1),
                   child_exit=proc.returncode, stderr_log=log_file)
    summary.update(compiles(timings_file))
    return judged(name, summary, proc)


def dropin_build(name: str, cwd: str, args: list[str], env: dict) -> dict:
    """`go build` with the GOFLAGS `toolweave env` prints for cwd (the drop-in driver)."""
    summary_file, timings_file, log_file = files_of(name, "dropin")
    tw = os.path.join(os.path.dirname(sys.executable), "toolweave")
    started = time.monotonic()
    setup = subprocess.run([tw, "env", "--format", "json"], cwd=cwd, env=env, capture_output=True, text=True)
    if setup.returncode:
        summary = {"exit": setup.returncode, "crash": setup.stderr[-3000:]}
        summary.update(name=name, command="toolweave env", cwd=cwd, compiles=0, woven_compiles=0)
        return judged(name, summary, setup)
    variables = json.loads(setup.stdout)
    flags = variables.pop("GOFLAGS", env.get("GOFLAGS", ""))   # it keeps the GOFLAGS it was given
    run_env = {**env, **variables, "GOFLAGS": flags, "TOOLWEAVE_TIMINGS": timings_file}
    cmd = ["go", "build", *args]
    print(f"weave-world: {name}: GOFLAGS='{flags}' {' '.join(cmd)}  (in {cwd})", file=sys.stderr, flush=True)
    proc = subprocess.run(cmd, cwd=cwd, env=run_env, capture_output=True, text=True)
    wall = time.monotonic() - started
    with open(log_file, "w") as f:
        f.write(proc.stderr)
    woven = sorted({r.get("pkg", "") for r in tool_records(timings_file) if r.get("tool") == "compile" and r.get("woven")})
    summary = {"exit": proc.returncode, "woven_packages": woven,
               "weave_failures": [line.removeprefix("toolweave: warning: ") for line in proc.stderr.splitlines()
                                  if line.startswith("toolweave: warning: ")]}
    summary.update(name=name, command=f"GOFLAGS='{flags}' {' '.join(cmd)}", cwd=cwd, seconds=round(wall, 1),
                   child_exit=proc.returncode, stderr_log=log_file)
    summary.update(compiles(timings_file))
    with open(summary_file, "w") as f:
        json.dump(summary, f)
    return judged(name, summary, proc)


def judged(name: str, summary: dict, proc: subprocess.CompletedProcess) -> dict:
    """summary with its compile errors and verdict, printed."""
    errs = go_errors(proc.stderr)
    summary["compile_errors"] = errs
    wall = summary.get("seconds", 0)
    woven = set(summary.get("woven_packages", []))
    summary["woven_package_errors"] = sorted(p for p in errs if p in woven or p.split(" ")[0] in woven)
    ok = proc.returncode == 0 and not summary.get("weave_failures") and not errs
    summary["ok"] = ok
    print(f"weave-world: {name}: {'ok' if ok else 'FAILED'} in {wall:.0f} s: "
          f"{len(woven)} of {summary.get('packages', '?')} packages woven, {summary.get('woven_files', '?')} files, "
          f"{summary.get('edits', '?')} edits, {summary['compiles']} compiles "
          f"({summary['woven_compiles']} woven), {len(summary.get('weave_failures', []))} weave failures, "
          f"{len(errs)} packages with compile errors", file=sys.stderr, flush=True)
    if not ok:
        for reason in summary.get("weave_failures", [])[:20]:
            print(f"  weave failure: {reason}", file=sys.stderr)
        for pkg, lines in list(errs.items())[:20]:
            print(f"  # {pkg}\n    " + "\n    ".join(lines), file=sys.stderr)
        if "crash" in summary:
            print(summary["crash"], file=sys.stderr)
        elif proc.returncode and not errs:
            print("  " + "\n  ".join(proc.stderr.splitlines()[-15:]), file=sys.stderr)
    return summary


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--only", default="std,cmd,modules", help="comma list of std, cmd, modules, or module dirs")
    ap.add_argument("--json", default=os.path.join(WORK, "summary.json"))
    ap.add_argument("--keep-caches", action="store_true", help="keep /tmp/ww-gocache and /tmp/ww-twcache")
    ap.add_argument("--strict", action="store_true", help="TOOLWEAVE_STRICT=1: a weave failure stops the build")
    ap.add_argument("--mode", choices=("build", "test", "dropin"), default="build",
                    help="toolweave go build (default), toolweave go test -run '^$', or the drop-in driver")
    ap.add_argument("--std-tests", default=STD_TESTS,
                    help="with --mode test: the standard packages whose tests std stands for (all of std: hours)")
    ns = ap.parse_args()
    only = [x for x in ns.only.split(",") if x]
    os.makedirs(WORK, exist_ok=True)
    env = {**os.environ, "GOCACHE": GOCACHE, "TOOLWEAVE_CACHE_DIR": TWCACHE, "TOOLWEAVE_PROGRESS": "0",
           "GOFLAGS": "-buildvcs=false", "GOWORK": "off"}
    env.pop("TOOLWEAVE_DISABLED_INTEGRATIONS", None)
    if ns.strict:
        env["TOOLWEAVE_STRICT"] = "1"
    missing = check_exclusions(env)
    if missing:
        print(f"weave-world: the catch-all's runtime exclusions miss {missing}: update {CATCH_ALL}", file=sys.stderr)
        return 2
    go_version = go("env", "GOVERSION", env=env).strip().removeprefix("go")
    started = time.monotonic()
    results = []
    scratch = scratch_module(go_version)
    for target in ("std", "cmd"):
        if target not in only:
            continue
        if ns.mode != "test":
            results.append(build(target, scratch, [target], env, ns.mode))
        elif target == "std":
            results.append(build("std tests", scratch, ns.std_tests.split(), env, ns.mode))
        else:
            print("weave-world: cmd: skipped (--mode test: its tests are hours here)", file=sys.stderr)
    wanted = modules() if "modules" in only else [m for m in only if m not in ("std", "cmd")]
    for rel in wanted:
        results.append(build(rel, copy_module(rel), ["./..."], env, ns.mode))
    total = {
        "mode": ns.mode,
        "seconds": round(time.monotonic() - started, 1),
        "go": go_version,
        "builds": len(results),
        "ok": all(r["ok"] for r in results),
        "woven_packages": sum(len(r.get("woven_packages", [])) for r in results),
        "woven_files": sum(r.get("woven_files", 0) for r in results),
        "edits": sum(r.get("edits", 0) for r in results),
        "matches": sum(r.get("matches", 0) for r in results),
        "compiles": sum(r.get("compiles", 0) for r in results),
        "woven_compiles": sum(r.get("woven_compiles", 0) for r in results),
        "weave_failures": sum(len(r.get("weave_failures", [])) for r in results),
        "packages_with_compile_errors": sum(len(r.get("compile_errors", {})) for r in results),
    }
    with open(ns.json, "w") as f:
        json.dump({"total": total, "builds": results}, f, indent=1)
    print(json.dumps(total, indent=1))
    print(f"weave-world: details in {ns.json}", file=sys.stderr)
    if not ns.keep_caches:
        for d in (GOCACHE, TWCACHE):
            shutil.rmtree(d, ignore_errors=True)
    return 0 if total["ok"] else 1


if __name__ == "__main__":
    if len(sys.argv) > 2 and sys.argv[1] == "--child":
        out, rest = sys.argv[2], sys.argv[3:]
        sys.exit(child(out, rest[1:] if rest[:1] == ["--"] else rest))
    sys.exit(main())
