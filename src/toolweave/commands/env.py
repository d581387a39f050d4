"""`toolweave env [--format sh|dotenv|json]`: the GOFLAGS (and GOWORK) a plain go command
needs to build this module with the drop-in driver."""

from __future__ import annotations

import os
import sys


def run(args) -> int:
    from ..aspect import AspectError
    from ..driver.envsetup import render, setup
    from ..driver.goenv import GoError

    try:
        print(render(setup(os.getcwd()), args.format))
    except AspectError as err:
        print(f"toolweave: {err}", file=sys.stderr)
        return 2
    except GoError as err:
        print(f"toolweave: {err}", file=sys.stderr)
        return 1
    return 0
