"""`toolweave toolexec TOOL ARGS…`: the drop-in driver (driver/toolexec.py)."""

from __future__ import annotations


def run(argv: list[str]) -> int:
    from ..driver.toolexec import run as toolexec

    return toolexec(argv)
