"""`toolweave weave`: weave single files and print them, their diffs, or write them to a dir."""

from __future__ import annotations

import difflib
import os
import sys

from .. import env
from ..aspect import AspectError, load_aspects
from ..aspect.facts import PackageFacts
from ..weave import Failed, Rewritten, weave_file


def run(args) -> int:
    try:
        aspects = load_aspects(args.aspects)
    except AspectError as err:
        print(f"toolweave: {err}", file=sys.stderr)
        return 2
    if len(args.files) > 1 and not (args.diff or args.output):
        print("toolweave: several input files need --diff or -o DIR", file=sys.stderr)
        return 1
    if args.output:
        names = [os.path.basename(p) for p in args.files]
        clash = next((n for n in names if names.count(n) > 1 and
                      len({os.path.realpath(f) for f in args.files if os.path.basename(f) == n}) > 1), None)
        if clash:
            print(f"toolweave: -o {args.output}: several inputs are named {clash}", file=sys.stderr)
            return 1
    package = PackageFacts(import_path=args.package_path)
    types = loose_types(args.files, args.package_path, aspects)
    status = 0
    for path in args.files:
        try:
            with open(path, "rb") as f:
                data = f.read()
        except OSError as err:
            print(f"toolweave: {path}: {err.strerror}", file=sys.stderr)
            return 1
        result = weave_file(path, data, aspects, package, types.for_file(path) if types else None)
        if isinstance(result, Failed):
            print(f"toolweave: {result.reason}", file=sys.stderr)
            if env.strict():
                status = 1
        woven = result.data if isinstance(result, Rewritten) else data
        try:
            _emit(args, path, data, woven)
        except OSError as err:
            where = args.output or "standard output"
            print(f"toolweave: cannot write {where}: {err.strerror}", file=sys.stderr)
            try:
                os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
            except OSError:
                pass
            return 1
    return status


def loose_types(files: list[str], import_path: str, aspects):
    """Type facts for files given on the command line, checked as one package against the
    export data `go list -export` gives for their imports (from the current directory);
    None without a go command."""
    import shutil

    from ..aspect.typefacts import interfaces_asked
    from ..driver.cache import Cache
    from ..driver.typecheck import PackageTypes, listed_exports
    from ..engine import ImportTable, parse_go

    go = shutil.which("go")
    if go is None:
        return None

    def environment(needed: set):
        imports = set(needed)
        for path in files:
            try:
                with open(path, "rb") as f:
                    imports.update(s.path for s in ImportTable.of(parse_go(f.read()).root_node).specs)
            except OSError:
                pass
        imports.discard("C")
        return listed_exports(go, [], os.getcwd(), dict(os.environ), imports), {}

    return PackageTypes(Cache(), go, import_path or "main", "", files, environment, interfaces_asked(aspects.aspects))


def _emit(args, path: str, before: bytes, after: bytes) -> None:
    if args.diff:
        if before != after:
            lines = difflib.unified_diff(before.decode(errors="surrogateescape").splitlines(True),
                                         after.decode(errors="surrogateescape").splitlines(True),
                                         f"a/{path}", f"b/{path}")
            sys.stdout.buffer.write("".join(lines).encode("utf-8", "surrogateescape"))
            sys.stdout.flush()
    elif args.output:
        os.makedirs(args.output, exist_ok=True)
        with open(os.path.join(args.output, os.path.basename(path)), "wb") as f:
            f.write(after)
    else:
        sys.stdout.buffer.write(after)
        sys.stdout.flush()
