"""Build timings (`toolweave go build --timings[=FILE]`, `TOOLWEAVE_TIMINGS=FILE`): one record
per tool run of the go command and per phase of toolweave, a table at the end of the build.

Contract, for every writer (the front end's shell shim, its own phases, and any other driver
such as a `-toolexec` one):

- **File.** JSON lines: one object per line, UTF-8, each line (newline included) shorter than
  4096 bytes and written with a single `write()` on a descriptor opened `O_APPEND`, so any
  number of processes may append to the same file concurrently and no line is ever split or
  interleaved (`append()` does exactly that). Readers skip lines that do not parse (a process
  killed mid-write) and objects of an unknown `v`.
- **Common fields.** `v` (format, 1), `kind` (`tool`, `phase` or `build`), `build` (an opaque
  string shared by the records of one build: the front end uses `tw-<pid>-<start ns>`; a
  driver run by the go command alone may use `go-<go command's pid>`), `start_ns` (wall clock,
  nanoseconds since the epoch) and `wall_ns` (duration).
- **`tool`**: one run of a tool by the go command (never the `-V=full` identity probes).
  `tool` is the tool's file name without `.exe` (`compile`, `asm`, `link`, `cgo`, `cover`,
  `vet`, …), `pkg` the package it ran for (TOOLEXEC_IMPORTPATH as go sets it, e.g.
  `p [p.test]`; "" when unset), `exit` its exit status, `woven` whether toolweave wove a file
  of that package (true/false; null: not known), `self_ns` the part of `wall_ns` spent in
  toolweave itself (0 for the front end, which weaves before the go command starts; a
  -toolexec driver counts its own work there, including any wait for a CPU on a busy
  machine), `res_ns` the clock's resolution (1, or 1e9 where `date` has no `%N`: busybox,
  macOS). A -toolexec driver may add `self_cpu_ns`: the CPU time its process used before the
  tool started (what toolweave's share costs the machine, waits excluded) and `driver`
  (`launcher` or `python`).
- **`phase`**: a phase of toolweave itself, `phase` its name (`replay check`, `planning`,
  `weaving`, `module setup`, `patch`, `go command`).
- **`build`**: written last by the front end: `verb`, `path` (`full`, `replay` or `patch`:
  which way the build went), `exit`, and `start_ns`/`wall_ns` of the whole command (after
  Python's start-up).

`--timings=FILE` replaces FILE with this build's records; `TOOLWEAVE_TIMINGS=FILE` appends to
it (many builds, many writers: the table summarises this build's `build` only). Plain
`--timings` writes `timings/<build>.jsonl` under the cache (the newest KEEP kept). The table
(`render`) goes to stderr after the go command: the slowest packages, per tool run count,
woven count, total and max, toolweave's phases; `python -m toolweave.driver.timings FILE
[BUILD]` prints it for any file.

Tool runs are timed by the progress shim (progress.py, which gets `shim_block` from here): it
no longer `exec`s the tool but runs it between two `date +%s%N`, appends a record with one
`printf >>` and exits with the tool's status. This module imports only the standard library
(and goargs, for the flag).
"""

from __future__ import annotations

import json
import os
import shlex
import sys
import time
from dataclasses import dataclass, field

FORMAT = 1
MAX_LINE = 4096
KEEP = 20                       # files kept under the cache's timings/
FLAG = "timings"
TOP = 10
PHASES = ("replay check", "planning", "weaving", "module setup", "patch", "go command")


# ---------------------------------------------------------------------------------------
# The command line


def split_args(verb: str, args: list[str]) -> tuple[list[str], str | None]:
    """`args` (after the verb) without `--timings[=FILE]` / `-timings[=FILE]` among the build
    flags before the packages, and its value: None (absent), "" (plain) or FILE (the last
    one given). Never a go flag, so every occurrence there is removed; one after the
    packages of build/install/vet (where go takes it for a package) is a ValueError (run and
    test pass what follows the packages to the program)."""
    from .goargs import TEST_VALUE_FLAGS, VALUE_FLAGS

    out, value, i = [], None, 0
    while i < len(args):
        arg = args[i]
        if arg == "--" or not arg.startswith("-") or arg == "-":
            break                               # the packages (or program/test args) start
        name, eq, given = arg.lstrip("-").partition("=")
        if name == FLAG:
            value = given if eq else ""
            i += 1
            continue
        out.append(arg)
        takes_value = ("-" + name in VALUE_FLAGS or
                       (verb == "test" and "-" + name in TEST_VALUE_FLAGS and
                        "-" + name not in ("-short", "-failfast", "-benchmem", "-json", "-fullpath")))
        if takes_value and not eq and i + 1 < len(args):
            out.append(args[i + 1])
            i += 1
        i += 1
    after = args[i:args.index("--", i)] if "--" in args[i:] else args[i:]
    if verb in ("build", "install", "vet") and any(a.startswith("-") and a.lstrip("-").partition("=")[0] == FLAG
                                                   for a in after):
        raise ValueError(f"--{FLAG} goes before the packages (with the go flags): toolweave go {verb} --{FLAG} …")
    return out + args[i:], value


# ---------------------------------------------------------------------------------------
# Records


def now_ns() -> int:
    return time.time_ns()


def append(path: str, record: dict) -> None:
    """Append one record as one line with one write (O_APPEND); a record too long for that
    has its `pkg` cut. Errors are ignored: timings never break a build."""
    line = _line(record)
    if len(line) >= MAX_LINE and isinstance(record.get("pkg"), str):
        line = _line({**record, "pkg": record["pkg"][:MAX_LINE // 2] + "…"})
    if len(line) >= MAX_LINE:
        return
    try:
        fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
        try:
            os.write(fd, line)
        finally:
            os.close(fd)
    except OSError:
        pass


def _line(record: dict) -> bytes:
    return (json.dumps(record, separators=(",", ":"), ensure_ascii=False) + "\n").encode()


def tool_record(build: str, tool: str, pkg: str, start_ns: int, wall_ns: int, exit: int,
                woven: bool | None, self_ns: int = 0, res_ns: int = 1) -> dict:
    """A `tool` record (for a -toolexec driver; the shim writes the same fields)."""
    return {"v": FORMAT, "kind": "tool", "build": build, "tool": tool, "pkg": pkg, "start_ns": start_ns,
            "wall_ns": wall_ns, "exit": exit, "woven": woven, "self_ns": self_ns, "res_ns": res_ns}


def read(path: str) -> list[dict]:
    """Every record of a timings file (unparsable lines and other formats skipped)."""
    out = []
    try:
        with open(path, "rb") as f:
            for raw in f:
                try:
                    rec = json.loads(raw)
                except ValueError:
                    continue
                if isinstance(rec, dict) and rec.get("v") == FORMAT:
                    out.append(rec)
    except OSError:
        pass
    return out


# ---------------------------------------------------------------------------------------
# Woven packages


def woven_map(packages, woven) -> dict[str, list[str]]:
    """{import path as TOOLEXEC_IMPORTPATH names it: its woven files} for every package of
    the plan with a woven file (GOROOT's too). A generated file (links, TestMain) belongs to
    the packages of its directory with its package name (test variants only for _test.go)."""
    paths = {wf.path for wf in woven}
    generated = {}
    for wf in woven:
        if wf.generated:
            generated.setdefault(os.path.dirname(wf.path), []).append((wf.path, _package_name(wf.data)))
    out: dict[str, list[str]] = {}
    for pkg in packages:
        files = [f for f in pkg.go_files if f in paths]
        for path, name in generated.get(pkg.dir, ()) if pkg.dir else ():
            if name == pkg.name and (pkg.for_test or not path.endswith("_test.go")):
                files.append(path)
        if files:
            out[pkg.import_path] = sorted(set(files))
    return out


def _package_name(data: bytes) -> str:
    for line in data.decode("utf-8", "replace").splitlines():
        if line.startswith("package "):
            return line.split()[1]
    return ""


def woven_from_record(record: dict) -> tuple[set[str], set[str]] | None:
    """(exact import paths, base import paths) woven in the build `record` (replay.py) as
    it stands, a patch included: a package stays woven while one of its woven files is
    unwatched (GOROOT, the module cache, generated) or still woven; a file a patch newly
    wove marks its package by base path (`p`, `p [p.test]`). None: not recorded."""
    info = record.get("timings")
    if not info or "woven" not in info:
        return None
    plan = record.get("patch") or {}
    now = plan.get("woven", {})
    watched = record.get("stats", {})
    exact, listed = set(), set()
    for pkg, files in info["woven"].items():
        listed.update(files)
        if any(f not in watched or f in now for f in files):
            exact.add(pkg)
    bases = set()
    for path in now:
        if path not in listed and path in plan.get("files", {}):
            facts = plan["facts"][plan["files"][path]]["facts"]
            bases.add(facts.get("import_path", ""))
    return exact, bases - {""}


# ---------------------------------------------------------------------------------------
# The shim


SHIM_BLOCK = r"""s=$(date +%s%N 2>/dev/null); r=1
case "$s" in ''|*[!0-9]*) s=$(date +%s)000000000; r=1000000000 ;; esac
{next}"$@"
x=$?
e=$(date +%s%N 2>/dev/null)
case "$e" in ''|*[!0-9]*) e=$(date +%s)000000000 ;; esac
t=${{1##*/}}; t=${{t%.exe}}; p=$TOOLEXEC_IMPORTPATH
case "$t$p" in *[\"\\]*) t='?'; p='?' ;; esac
[ ${{#p}} -le 2048 ] || p='?'
{woven}
{{ printf {format} {build} "$t" "$p" "$s" "$((e - s))" "$x" "$w" "$r" >> {file}; }} 2>/dev/null
exit $x
"""
# One printf, so one write() of the whole line (O_APPEND through `>>`).
SHIM_FORMAT = ('{"v":1,"kind":"tool","build":"%s","tool":"%s","pkg":"%s","start_ns":%s,"wall_ns":%s,"exit":%s,'
               '"woven":%s,"self_ns":0,"res_ns":%s}\\n')


# ---------------------------------------------------------------------------------------
# One build's recording (the front end)


@dataclass
class Session:
    """The timings of one `toolweave go` command: where its records go, its phases, the
    packages woven, and the table at the end."""

    verb: str
    path: str
    build: str = ""
    woven: set[str] | None = None      # exact import paths (None: not known)
    woven_bases: set[str] = field(default_factory=set)
    started_ns: int = 0
    _t0: float = 0.0

    @classmethod
    def start(cls, verb: str, args: list[str], environ: dict) -> tuple[list[str], "Session | None"]:
        """`args` without the flag, and a session if timings are wanted (flag, else
        TOOLWEAVE_TIMINGS). --timings=FILE starts FILE afresh, the variable appends."""
        from .. import env

        args, value = split_args(verb, args)
        started = now_ns()
        build = f"tw-{os.getpid()}-{started}"
        if value is None and not environ.get(env.TIMINGS):
            return args, None
        if value:
            path, fresh = os.path.abspath(value), True
        elif value == "":
            from .cache import cache_root

            folder = os.path.join(cache_root(), "timings")
            os.makedirs(folder, exist_ok=True)
            _prune(folder)
            path, fresh = os.path.join(folder, build + ".jsonl"), True
        else:
            path, fresh = os.path.abspath(environ[env.TIMINGS]), False
        if fresh:
            try:
                open(path, "wb").close()
            except OSError as err:
                print(f"toolweave: timings: cannot write {path}: {err.strerror}", file=sys.stderr)
        return args, cls(verb, path, build, started_ns=started, _t0=time.monotonic())

    def phase(self, name: str, start: float, end: float | None = None) -> None:
        """Record phase `name`, which began at time.monotonic() `start`."""
        end = time.monotonic() if end is None else end
        append(self.path, {"v": FORMAT, "kind": "phase", "build": self.build, "phase": name,
                           "start_ns": self.started_ns + int((start - self._t0) * 1e9),
                           "wall_ns": int((end - start) * 1e9)})

    def shim_block(self, next_words: str) -> str:
        """The shim's tail: run the tool (`next_words` chains a -toolexec), record it, exit
        with its status."""
        if self.woven is None:
            woven = "w=null"
        else:
            patterns = [shlex.quote(p) for p in sorted(self.woven)]
            patterns += [f"{shlex.quote(b)}|{shlex.quote(b + ' [')}*" for b in sorted(self.woven_bases)]
            woven = f"case \"$p\" in {'|'.join(patterns)}) w=true ;; *) w=false ;; esac" if patterns else "w=false"
        return SHIM_BLOCK.format(next=next_words, woven=woven, build=shlex.quote(self.build),
                                 file=shlex.quote(self.path), format=shlex.quote(SHIM_FORMAT))

    def finish(self, code: int, path: str) -> None:
        """Write the build record and print the table on stderr."""
        append(self.path, {"v": FORMAT, "kind": "build", "build": self.build, "verb": self.verb, "path": path,
                           "exit": code, "start_ns": self.started_ns,
                           "wall_ns": int((time.monotonic() - self._t0) * 1e9)})
        summary = summarise(read(self.path), self.build)
        text = render(summary, self.path)
        try:
            sys.stderr.write(text)
            sys.stderr.flush()
        except OSError:
            pass


def _prune(folder: str) -> None:
    """Keep the newest KEEP-1 files of the cache's timings folder (one more is coming)."""
    try:
        names = sorted((e.stat().st_mtime_ns, e.path) for e in os.scandir(folder) if e.name.endswith(".jsonl"))
    except OSError:
        return
    for _, path in names[:max(len(names) - (KEEP - 1), 0)]:
        try:
            os.unlink(path)
        except OSError:
            pass


# ---------------------------------------------------------------------------------------
# Summary and table


@dataclass
class ToolRow:
    tool: str
    runs: int = 0
    woven: int = 0
    failed: int = 0
    total_ns: int = 0
    max_ns: int = 0
    self_ns: int = 0


@dataclass
class PackageRow:
    pkg: str
    total_ns: int
    tools: tuple[str, ...]
    woven: bool | None


@dataclass
class Summary:
    build: str | None
    verb: str = ""
    path: str = ""                     # full / replay / patch ("" when no build record)
    exit: int | None = None
    wall_ns: int | None = None
    tools: list[ToolRow] = field(default_factory=list)        # most total time first
    packages: list[PackageRow] = field(default_factory=list)  # slowest first, at most TOP
    phases: list[tuple[str, int]] = field(default_factory=list)   # (name, wall_ns) in order
    coarse: bool = False               # some record timed to the second only


def summarise(records: list[dict], build: str | None = None, top: int = TOP) -> Summary:
    """The summary of the records of `build` (None: all of them)."""
    records = [r for r in records if build is None or r.get("build") == build]
    summary = Summary(build)
    tools: dict[str, ToolRow] = {}
    packages: dict[str, list] = {}
    phases: dict[str, int] = {}
    for r in records:
        kind = r.get("kind")
        if kind == "tool":
            wall = _int(r.get("wall_ns"))
            row = tools.setdefault(str(r.get("tool", "?")), ToolRow(str(r.get("tool", "?"))))
            row.runs += 1
            row.woven += r.get("woven") is True
            row.failed += _int(r.get("exit")) != 0
            row.total_ns += wall
            row.max_ns = max(row.max_ns, wall)
            row.self_ns += _int(r.get("self_ns"))
            summary.coarse |= _int(r.get("res_ns"), 1) > 1
            entry = packages.setdefault(str(r.get("pkg", "")), [0, [], None])
            entry[0] += wall
            if row.tool not in entry[1]:
                entry[1].append(row.tool)
            if r.get("woven") is not None:
                entry[2] = bool(entry[2]) or r["woven"] is True
        elif kind == "phase":
            name = str(r.get("phase", "?"))
            phases[name] = phases.get(name, 0) + _int(r.get("wall_ns"))
        elif kind == "build":
            summary.verb, summary.path = str(r.get("verb", "")), str(r.get("path", ""))
            summary.exit, summary.wall_ns = r.get("exit"), _int(r.get("wall_ns"))
    summary.tools = sorted(tools.values(), key=lambda t: (-t.total_ns, t.tool))
    ranked = sorted(packages.items(), key=lambda kv: (-kv[1][0], kv[0]))[:top]
    summary.packages = [PackageRow(pkg, total, tuple(used), woven) for pkg, (total, used, woven) in ranked]
    order = {name: i for i, name in enumerate(PHASES)}
    summary.phases = sorted(phases.items(), key=lambda kv: (order.get(kv[0], len(order)), kv[0]))
    return summary


def _int(value, default: int = 0) -> int:
    return value if isinstance(value, int) and not isinstance(value, bool) else default


def seconds(ns: int) -> str:
    s = ns / 1e9
    return f"{s:.2f} s" if s < 10 else f"{s:.1f} s"


def render(summary: Summary, path: str | None = None) -> str:
    """The table printed at the end of a build (lines start with `toolweave: ` or blanks)."""
    lines = []
    how = {"full": "planned and woven", "replay": "replayed: nothing changed",
           "patch": "patched: only file bodies changed"}.get(summary.path, summary.path)
    head = f"toolweave: timings of go {summary.verb}".rstrip()
    details = [d for d in (how, None if summary.exit is None else f"exit {summary.exit}",
                           None if summary.wall_ns is None else seconds(summary.wall_ns)) if d]
    lines.append(head + (f" ({', '.join(details)})" if details else ""))
    runs = sum(t.runs for t in summary.tools)
    if not runs and not any(name == "go command" for name, _ in summary.phases):
        lines.append("  the go command did not run")
    elif not runs:
        lines.append("  no tool ran: every package came from the go build cache")
    else:
        lines.append(f"  slowest packages (time of their tool runs; {runs} runs in all):")
        width = max(len(seconds(p.total_ns)) for p in summary.packages)
        for p in summary.packages:
            woven = {True: "  woven", False: "", None: ""}[p.woven]
            lines.append(f"    {seconds(p.total_ns):>{width}}  {p.pkg or '(no package)'}  [{'+'.join(p.tools)}]{woven}")
        own = any(t.self_ns for t in summary.tools)
        header = ["tool", "runs", "woven", "failed", "total", "max"] + (["toolweave"] if own else [])
        rows = [[t.tool, str(t.runs), str(t.woven), str(t.failed), seconds(t.total_ns), seconds(t.max_ns)]
                + ([seconds(t.self_ns)] if own else []) for t in summary.tools]
        lines += _table(header, rows)
        lines.append("  (go runs tools in parallel: their totals add up to more than the wall time)")
        if summary.coarse:
            lines.append("  (some tool runs were timed to the second: `date` here has no %N)")
    if summary.phases:
        lines.append("  toolweave:")
        lines += _table(["phase", "wall"], [[name, seconds(ns)] for name, ns in summary.phases])
    if path:
        lines.append(f"  records: {path}")
    return "\n".join(lines) + "\n"


def _table(header: list[str], rows: list[list[str]]) -> list[str]:
    widths = [max(len(r[i]) for r in [header, *rows]) for i in range(len(header))]
    out = []
    for r in [header, *rows]:
        cells = [r[0].ljust(widths[0])] + [c.rjust(w) for c, w in zip(r[1:], widths[1:])]
        out.append("    " + "  ".join(cells).rstrip())
    return out


# ---------------------------------------------------------------------------------------
# The replay and patch fast paths


def run_recorded(record: dict, session: Session) -> int:
    """Run a replay record's go command (replay.py, patch.py) with its tools timed."""
    from . import progress

    found = woven_from_record(record)
    session.woven, session.woven_bases = (None, set()) if found is None else found
    argv = record["argv"]
    goflags = (record.get("timings") or {}).get("goflags", "")
    return progress.run_go(progress.OFF, argv[1], argv, {**os.environ, **record["env"]}, goflags, session)


def main(argv: list[str]) -> int:
    """`python -m toolweave.driver.timings FILE [BUILD]`: the table of a timings file (its
    last build, or BUILD; `all` for every record)."""
    if not argv or len(argv) > 2:
        print("usage: python -m toolweave.driver.timings FILE [BUILD|all]", file=sys.stderr)
        return 2
    records = read(argv[0])
    if len(argv) == 2:
        build = None if argv[1] == "all" else argv[1]
    else:
        builds = [r.get("build") for r in records if r.get("kind") == "build"] or [r.get("build") for r in records]
        build = builds[-1] if builds else None
    sys.stdout.write(render(summarise(records, build), argv[0]))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
