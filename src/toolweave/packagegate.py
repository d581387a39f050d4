"""Package gates as data: which packages a join point may match in, decided from a compile's
facts alone (import path, imports, package name, place in the main module, test main).

The drop-in driver's launcher (data/launcher, Go) reads them from a plan in the cache, so a
compile of a package no aspect can match never starts Python. A gate is None (unknown: may
match), True, False, or a list: ["path", p] (the import path is p), ["imports", p],
["name", n], ["glob", regexp] (on the import path), ["root", regexp or None] (in the main
module, the path relative to its root matching), ["testmain", bool], ["all", [gates]],
["any", [gates]], ["not", gate], ["may", gate] (False stays False, anything else is unknown:
a call join point's package only may match). Regular expressions use the syntax Python and Go share.
Evaluation is three-valued like `JoinPoint.package_may_match`, whose answers a gate must
never contradict (tests/test_packagegate.py checks every built-in aspect). Standard library
only.
"""

from __future__ import annotations

import re

UNKNOWN = None


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
        return bool(re.match(arg, facts.import_path))
    if op == "root":
        return bool(facts.module_rel) and (arg is None or bool(re.match(arg, facts.module_rel)))
    if op == "may":
        return False if evaluate(arg, facts) is False else None
    if op == "not":
        answer = evaluate(arg, facts)
        return None if answer is None else not answer
    answers = [evaluate(g, facts) for g in arg]
    if op == "all":
        return False if False in answers else None if None in answers else True
    return True if True in answers else None if None in answers else False
