"""The toolweave command line: parse arguments, delegate, return an exit code.

Exit codes: 0 success, 2 a bad aspect file, 1 any other error.
"""

from __future__ import annotations

import sys

EXIT_OK, EXIT_ERROR, EXIT_ASPECT = 0, 1, 2


def _parser():
    """The parser of every command but `go`, `diff` and `list` (argparse is imported only
    here: `toolweave go` is on every build's path and must start fast)."""
    import argparse

    class Parser(argparse.ArgumentParser):
        def error(self, message):
            self.print_usage(sys.stderr)
            print(f"toolweave: {message}", file=sys.stderr)
            raise SystemExit(EXIT_ERROR)

    parser = Parser(prog="toolweave", description="Compile-time OpenTelemetry instrumentation for Go.")
    parser.add_argument("--version", action="store_true", help="print the version and exit")
    sub = parser.add_subparsers(dest="command", parser_class=Parser)
    weave = sub.add_parser("weave", help="weave single Go files with aspect files (for aspect authors and tests)")
    weave.add_argument("--aspects", action="append", required=True, metavar="FILE.yml", help="an aspect file (repeatable)")
    weave.add_argument("--package-path", default="", metavar="IMPORT/PATH", help="import path of the files' package")
    out = weave.add_mutually_exclusive_group()
    out.add_argument("--diff", action="store_true", help="print unified diffs instead of files")
    out.add_argument("-o", dest="output", metavar="DIR", help="write woven files into DIR")
    weave.add_argument("files", nargs="+", metavar="FILE.go")
    sub.add_parser("go", help="go build|install|run|test|vet … with weaving (all go flags pass through)")
    sub.add_parser("diff", help="print every change a build would weave, as unified diffs")
    sub.add_parser("list", help="print the active aspects and the packages and files they touch")
    from .otlp.live import DESCRIPTION, add_arguments
    add_arguments(sub.add_parser("receive", help="see your telemetry: receive OTLP on 127.0.0.1:4318 and print it",
                                 description=DESCRIPTION))
    sub.add_parser("toolexec", help="the drop-in driver: go build -toolexec 'toolweave toolexec' …")
    env = sub.add_parser("env", help="print the GOFLAGS that make a plain go command build with toolweave")
    env.add_argument("--format", choices=["sh", "dotenv", "json"], default="sh",
                     help="sh: export lines for eval; dotenv: KEY=value lines (CI); json")
    pin = sub.add_parser("pin", help="write the requirements of the drop-in driver into go.mod (committable)")
    pin.add_argument("--dry-run", action="store_true", help="print the diff; write nothing")
    cache = sub.add_parser("cache", help="manage toolweave's cache")
    cache.add_argument("action", choices=["clean", "dir"])
    return parser


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["go"]:
        # Everything after the verb belongs to the go command: no argparse in between.
        from .commands.go import run
        return run(argv[1:])
    if argv[:1] == ["toolexec"]:
        # On the path of every tool call of a drop-in build: nothing else is imported.
        from .commands.toolexec import run
        return run(argv[1:])
    if argv[:1] in (["diff"], ["list"]):
        from .commands.inspect import run
        return run(argv[0], argv[1:])
    args = _parser().parse_args(argv)
    if args.version:
        from . import __version__
        print(f"toolweave {__version__}")
        return EXIT_OK
    if args.command == "weave":
        from .commands.weave import run
        return run(args)
    if args.command == "receive":
        from .otlp.live import run
        return run(args)
    if args.command == "env":
        from .commands.env import run
        return run(args)
    if args.command == "pin":
        from .commands.pin import run
        return run(args)
    if args.command == "cache":
        from .commands.cache import run
        return run(args)
    _parser().print_help(sys.stderr)
    return EXIT_ERROR


if __name__ == "__main__":
    sys.exit(main())
