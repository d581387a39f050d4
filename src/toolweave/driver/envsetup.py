"""`toolweave env`: what a plain go command needs to build with the drop-in driver.

Woven code imports our runtime module and OpenTelemetry, which the user's go.mod does not
require. The front end generates a module file for each build; a plain `go build` reads
GOFLAGS instead, so this prints `-toolexec=<toolweave> toolexec` and `-modfile=<generated>`
(the user's go.mod plus those requirements, in the cache: the user's files are not written),
or, in a workspace, a generated GOWORK. A sidecar `source.json` beside the generated file
records what it was made from, so a compile can tell when go.mod changed since.
"""

from __future__ import annotations

import json
import os
import shutil
import sys
from dataclasses import dataclass

from .cache import Cache, digest, write_atomic
from .goenv import go_env, split_goflags
from .modfile import Roots, prepare
from .vendor import overlay_json, vendor_mode

SOURCE = "source.json"


@dataclass(frozen=True)
class DropInEnv:
    goflags: str                  # the full GOFLAGS value to export (the user's own kept)
    extra: dict                   # other variables (GOWORK in a workspace)

    def variables(self) -> dict:
        return {"GOFLAGS": self.goflags, **self.extra}


def toolexec_command() -> list[str]:
    """How the go command should run the drop-in driver: the installed `toolweave` script
    beside this interpreter, else the interpreter with `-m toolweave.cli`."""
    script = os.path.join(os.path.dirname(sys.executable), "toolweave")
    if os.path.isfile(script) and os.access(script, os.X_OK):
        return [script, "toolexec"]
    found = shutil.which("toolweave")
    return [found, "toolexec"] if found else [sys.executable, "-m", "toolweave.cli", "toolexec"]


def _driver(cache: Cache, env: dict) -> list[str]:
    """The launcher (driver/launcher.py), unless TOOLWEAVE_LAUNCHER=0 or it cannot be built;
    then the Python driver, which does the same work more slowly."""
    from .. import env as tw_env
    from .launcher import LauncherError, launcher

    command = toolexec_command()
    if not tw_env.launcher():
        return command
    try:
        return [launcher(cache, command, env)]
    except (LauncherError, OSError) as err:
        print(f"toolweave: warning: the launcher could not be built, so every tool call starts Python: {err}",
              file=sys.stderr)
        return command


def setup(cwd: str) -> DropInEnv:
    """Generate (or reuse) the module file for the module at `cwd`; the environment to use."""
    from ..aspect import load_aspects
    from ..config import load_config

    base_env = dict(os.environ)
    env = go_env(cwd, base_env)
    cache = Cache()
    config = load_config(os.path.dirname(env.gomod) if env.in_module else None)
    aspects = load_aspects(config.aspect_files("test"), valid_marks=os.path.join(cache.root, "schema-valid"))
    imports = _imports(env, aspects)
    user_flags = [f for f in split_goflags(env.goflags) if not f.startswith(("-toolexec=", "-modfile="))]
    toolexec = "-toolexec=" + " ".join(_driver(cache, base_env))
    ours = [_quote(toolexec)]
    extra = {}
    if imports:
        # The generated file is planned without the drop-in driver (its go list compiles nothing).
        plan_env = {**base_env, "GOFLAGS": " ".join(user_flags)}
        vendored = vendor_mode(None, env.goflags, env, None, cwd)
        setup_ = prepare(env, cache, imports, {}, cwd, None, plan_env, Roots((), ("./...",), True), vendor=vendored)
        for conflict in setup_.conflicts:
            print(f"toolweave: warning: {conflict.message()}", file=sys.stderr)
        if setup_.flag:
            ours.append(setup_.flag)
            _record_source(setup_.flag.split("=", 1)[1], env.gomod)
        if setup_.mod:
            # A vendored module (vendor.py): its vendor/ directories become modules through an
            # overlay, and -mod=readonly replaces -mod=vendor (the user's -overlay is kept in it).
            user_overlay = next((f.split("=", 1)[1] for f in user_flags if f.startswith("-overlay=")), None)
            user_flags = [f for f in user_flags if not f.startswith(("-mod=", "-overlay="))]
            ours += [setup_.mod, "-overlay=" + overlay_json(cache, user_overlay, cwd, setup_.overlay)]
        extra.update(setup_.env)
    return DropInEnv(" ".join([*user_flags, *ours]), extra)


def _imports(env, aspects) -> set[str]:
    """What woven code may import in this module's (or workspace's) builds (runtime.needed_by)."""
    from .modfile import _work_uses, required_modules
    from .runtime import needed_by

    gomods = [env.gomod] if env.in_module else []
    if env.in_workspace:
        with open(env.gowork, encoding="utf-8") as f:
            uses = _work_uses(f.read(), os.path.dirname(env.gowork))
        gomods += [os.path.join(u, "go.mod") for u in uses]
    return needed_by(aspects.packages(), required_modules(gomods))


def _record_source(modfile: str, gomod: str) -> None:
    write_atomic(os.path.join(os.path.dirname(modfile), SOURCE),
                 json.dumps({"gomod": gomod, "digest": source_digest(gomod)}).encode())


def source_digest(gomod: str) -> str:
    parts = []
    for path in (gomod, gomod[:-4] + ".sum"):
        try:
            with open(path, "rb") as f:
                parts.append(f.read())
        except FileNotFoundError:
            parts.append(b"")
    return digest(*parts)


def stale(modfile: str) -> str | None:
    """The go.mod a generated module file was made from, if it changed since; else None
    (also for module files we did not generate)."""
    try:
        with open(os.path.join(os.path.dirname(modfile), SOURCE), "rb") as f:
            source = json.loads(f.read())
    except (OSError, ValueError):
        return None
    return source["gomod"] if source_digest(source["gomod"]) != source["digest"] else None


def _quote(flag: str) -> str:
    """One GOFLAGS entry: the go command splits GOFLAGS on spaces but honours quotes."""
    return f'"{flag}"' if " " in flag else flag


def render(env_: DropInEnv, fmt: str) -> str:
    """The variables for a shell (`export K='v'`), a dotenv file / CI (`K=v`) or JSON."""
    variables = env_.variables()
    if fmt == "json":
        return json.dumps(variables, indent=2)
    if fmt == "dotenv":
        return "\n".join(f"{k}={v}" for k, v in variables.items())
    return "\n".join(f"export {k}='{v}'" for k, v in variables.items())
