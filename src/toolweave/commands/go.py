"""`toolweave go <verb> [go flags] [packages]`: the front end."""

from __future__ import annotations

import os
import sys
import time

from .. import env

# The go verbs toolweave wraps (not from driver.goargs: a replay must not import it).
VERBS = ("build", "install", "run", "test", "vet")
USAGE = "usage: toolweave go build|install|run|test|vet [go flags] [packages]"


def run(argv: list[str]) -> int:
    if not argv or argv[0] not in VERBS:
        print(f"toolweave: {USAGE}", file=sys.stderr)
        return 1
    verb, args, timings = argv[0], argv[1:], None
    if os.environ.get(env.TIMINGS) or any("timings" in a for a in args):
        from ..driver.timings import Session     # --timings[=FILE]: ours, never go's

        try:
            args, timings = Session.start(verb, args, os.environ)
        except ValueError as err:
            print(f"toolweave: {err}", file=sys.stderr)
            return 2
    code, how = 1, "full"
    try:
        code, how = _run(verb, args, timings)
    except KeyboardInterrupt as err:     # SIGINT, or SIGTERM (driver.cache.catch_signals)
        print("toolweave: interrupted", file=sys.stderr)
        code = 128 + getattr(err, "signum", 2)
    finally:
        if timings is not None:
            timings.finish(code, how)
    return code


def _run(verb: str, args: list[str], timings) -> tuple[int, str]:
    """(go's exit code, which way the build went: full, replay or patch)."""
    log = (lambda msg: print(f"toolweave: {msg}", file=sys.stderr)) if env.verbose() else None
    from ..driver import replay

    started = time.monotonic()
    key = replay.key([verb, *args], os.getcwd(), dict(os.environ))
    record = replay.load(key)
    changed = replay.changed_files(record) if record is not None else None
    if timings is not None:
        timings.phase("replay check", started)
    if record is None or changed:        # a replay execs go (which gets the signals itself)
        from ..driver.cache import catch_signals

        catch_signals()
    if record is not None:
        if changed == []:                # nothing changed: no planning, no weaving
            if log:
                log(f"nothing changed since the last build: replaying its go command "
                    f"({len(record['stats']) + len(record['dirs'])} paths checked)")
            return replay.run(record, timings), "replay"
        if changed:                      # only some bodies changed: re-weave just those
            from ..driver import patch

            try:
                patched = patch.rebuild(key, record, changed, log, timings)
            except Exception as err:     # an optimisation only: the full build decides
                patched = None
                if log:
                    log(f"re-weaving the edited files failed ({type(err).__name__}: {err}); planning the build")
            if patched is not None:
                return patched, "patch"
    from ..aspect import AspectError
    from ..driver.frontend import BuildError, run as frontend
    from ..driver.goenv import GoError

    try:
        return frontend(verb, args, key, log, timings), "full"
    except AspectError as err:
        print(f"toolweave: {err}", file=sys.stderr)
        return 2, "full"
    except (GoError, BuildError) as err:
        print(f"toolweave: {err}", file=sys.stderr)
        return 1, "full"
