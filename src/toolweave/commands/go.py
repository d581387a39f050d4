"""`toolweave go <verb> [go flags] [packages]`: the front end."""

from __future__ import annotations

import os
import sys

from .. import env

# The go verbs toolweave wraps (not from driver.goargs: a replay must not import it).
VERBS = ("build", "install", "run", "test", "vet")
USAGE = "usage: toolweave go build|install|run|test|vet [go flags] [packages]"


def run(argv: list[str]) -> int:
    if not argv or argv[0] not in VERBS:
        print(f"toolweave: {USAGE}", file=sys.stderr)
        return 1
    log = (lambda msg: print(f"toolweave: {msg}", file=sys.stderr)) if env.verbose() else None
    from ..driver import replay

    key = replay.key(argv, os.getcwd(), dict(os.environ))
    record = replay.load(key)
    if record is not None:
        changed = replay.changed_files(record)
        if changed == []:                # nothing changed: no planning, no weaving
            if log:
                log(f"nothing changed since the last build: replaying its go command "
                    f"({len(record['stats']) + len(record['dirs'])} paths checked)")
            return replay.run(record)
        if changed:                      # only some bodies changed: re-weave just those
            from ..driver import patch

            try:
                patched = patch.rebuild(key, record, changed, log)
            except Exception as err:     # an optimisation only: the full build decides
                patched = None
                if log:
                    log(f"re-weaving the edited files failed ({type(err).__name__}: {err}); planning the build")
            if patched is not None:
                return patched
    from ..aspect import AspectError
    from ..driver.frontend import BuildError, run as frontend
    from ..driver.goenv import GoError

    try:
        return frontend(argv[0], argv[1:], key, log)
    except AspectError as err:
        print(f"toolweave: {err}", file=sys.stderr)
        return 2
    except (GoError, BuildError) as err:
        print(f"toolweave: {err}", file=sys.stderr)
        return 1
