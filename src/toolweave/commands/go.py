"""`toolweave go <verb> [go flags] [packages]`: the front end."""

from __future__ import annotations

import os
import sys

from ..aspect import AspectError
from ..build.goargs import VERBS

USAGE = "usage: toolweave go build|install|run|test|vet [go flags] [packages]"


def run(argv: list[str]) -> int:
    if not argv or argv[0] not in VERBS:
        print(f"toolweave: {USAGE}", file=sys.stderr)
        return 1
    from ..build.frontend import BuildError, run as frontend
    from ..build.goenv import GoError

    verbose = os.environ.get("TOOLWEAVE_VERBOSE", "") not in ("", "0")
    log = (lambda msg: print(f"toolweave: {msg}", file=sys.stderr)) if verbose else None
    try:
        return frontend(argv[0], argv[1:], log)
    except AspectError as err:
        print(f"toolweave: {err}", file=sys.stderr)
        return 2
    except (GoError, BuildError) as err:
        print(f"toolweave: {err}", file=sys.stderr)
        return 1
