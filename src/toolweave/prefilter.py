"""Prefilters as data: which bytes a Go file must contain for a join point to match in it.

A prefilter is True (any file may match), False (none), ["has", text] (the file contains text),
["all", [prefilters]] or ["any", [prefilters]]; text is the needle's bytes decoded as
latin-1, so a prefilter is plain JSON. Join points build theirs from these helpers and
aspect matching tests files with `may_match`; a build record keeps the prefilter of each
package's candidate aspects, so an edited file can be tested without loading the aspects
(driver/patch.py). Standard library only.
"""

from __future__ import annotations

ANY = True


def has(needle: bytes) -> list:
    return ["has", needle.decode("latin-1")]


def all_of(*parts) -> list | bool:
    """Every part; True parts drop out, and no part left means True."""
    parts = [p for p in parts if p is not True]
    return True if not parts else parts[0] if len(parts) == 1 else ["all", parts]


def any_of(*parts) -> list | bool:
    """At least one part; a True part makes it True, and no part left means False."""
    if any(p is True for p in parts):
        return True
    parts = [p for p in parts if p is not False]
    return False if not parts else parts[0] if len(parts) == 1 else ["any", parts]


def may_match(prefilter, data: bytes) -> bool:
    """Whether a file with bytes `data` passes `prefilter`."""
    if prefilter is True or prefilter is False:
        return prefilter
    op, arg = prefilter
    if op == "has":
        return arg.encode("latin-1") in data
    if op == "all":
        return all(may_match(p, data) for p in arg)
    return any(may_match(p, data) for p in arg)
