"""Package gates as data: which packages a join point may match in, decided from a compile's
facts alone (import path, imports, package name, place in the main module, test main).

The drop-in driver's launcher (data/launcher, Go) reads them from a plan in the cache, so a
compile of a package no aspect can match never starts Python. A gate is None (unknown: may
match), True, False, or a list: ["path", p] (the import path is p), ["imports", p],
["name", n], ["glob", glob] (on the import path), ["root", glob or None] (in the main
module, the path relative to its root matching), ["testmain", bool], ["all", [gates]],
["any", [gates]], ["not", gate], ["may", gate] (False stays False, anything else is unknown:
a call join point's package only may match). Globs are the package filter's own (glob_regex
says what they mean); the launcher matches them by hand, without a regular-expression engine.
Evaluation is three-valued like `JoinPoint.package_may_match`, whose answers a gate must
never contradict (tests/test_packagegate.py checks every built-in aspect). Standard library
only.
"""

from __future__ import annotations

import functools
import re

UNKNOWN = None


@functools.lru_cache(maxsize=None)
def glob_regex(pattern: str) -> re.Pattern:
    """A package glob as a regular expression: `*` any run of characters but `/`, `**` any
    characters, `**/` any number of leading segments (none included), `?` one character but
    `/`, `[set]` / `[!set]` one character in (not in) the set, with ranges `a-z`; anything else
    stands for itself. ValueError for a glob that says nothing clear (an unclosed or empty set,
    a reversed range)."""
    out, i = [], 0
    while i < len(pattern):
        c = pattern[i]
        if pattern.startswith("**/", i):
            out.append("(?:.*/)?")
            i += 3
            continue
        if pattern.startswith("**", i):
            out.append(".*")
            i += 2
            continue
        if c == "*":
            out.append("[^/]*")
        elif c == "?":
            out.append("[^/]")
        elif c == "[":
            end = pattern.find("]", i + 1)
            if end < 0:
                raise ValueError(f"bad glob {pattern!r}: unclosed '['")
            body = pattern[i + 1:end]
            negated = body[:1] in ("!", "^")
            if not body[negated:]:
                raise ValueError(f"bad glob {pattern!r}: empty set '[{body}]'")
            out.append("[" + "^" * negated + "".join(_set_char(ch) for ch in body[negated:]) + "]")
            i = end
        else:
            out.append(re.escape(c))
        i += 1
    try:
        return re.compile("^" + "".join(out) + "$")
    except re.error as err:   # a reversed range, [z-a]
        raise ValueError(f"bad glob {pattern!r}: {err.msg}") from None


def _set_char(ch: str) -> str:
    """One character of a glob's set in a regular expression's set: `-` keeps its range
    meaning, anything else is literal."""
    return ch if ch == "-" else re.escape(ch)


def all_of(*gates):
    return ["all", list(gates)]


def any_of(*gates):
    return ["any", list(gates)]


def negate(gate):
    return ["not", gate]


def may(gate):
    return ["may", gate]


def evaluate(gate, facts) -> bool | None:
    """True, False or None (unknown) for a package with these PackageFacts."""
    if gate is None or isinstance(gate, bool):
        return gate
    op, arg = gate
    if op == "path":
        return facts.import_path == arg
    if op == "imports":
        return arg in (facts.imports or ())
    if op == "name":
        return facts.name == arg
    if op == "testmain":
        return facts.test_main == arg
    if op == "glob":
        return bool(glob_regex(arg).match(facts.import_path))
    if op == "root":
        return bool(facts.module_rel) and (arg is None or bool(glob_regex(arg).match(facts.module_rel)))
    if op == "may":
        return False if evaluate(arg, facts) is False else None
    if op == "not":
        answer = evaluate(arg, facts)
        return None if answer is None else not answer
    answers = [evaluate(g, facts) for g in arg]
    if op == "all":
        return False if False in answers else None if None in answers else True
    return True if True in answers else None if None in answers else False
