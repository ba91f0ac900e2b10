"""The ``callbox`` command: one subcommand per module, dispatched from a table.

Each subcommand module defines ``HELP`` (one line), ``add_arguments(parser)`` and
``run(args) -> int`` (the exit status). ``main`` turns what must never be a traceback into an exit
status: 2 for a usage error or an internal failure, 130 for Ctrl-C, 141 for a closed pipe.
"""

from __future__ import annotations

import argparse
import importlib
import os
import sys
import traceback
from collections.abc import Sequence
from types import ModuleType
from typing import Any

from callbox.cli.parser import CommandParser

COMMANDS: dict[str, str] = {
    "lint": "callbox.cli.lint",
    "call": "callbox.cli.call",
    "sms": "callbox.cli.sms",
    "serve": "callbox.cli.serve",
    "routes": "callbox.cli.routes",
}

DEBUG_VARIABLE = "CALLBOX_DEBUG"
"""Set to 1 to see the traceback of an internal failure instead of its one-line summary."""

EXIT_USAGE = 2
EXIT_INTERNAL = 2
EXIT_INTERRUPTED = 130  # 128 + SIGINT, as a shell reports a command stopped by Ctrl-C
EXIT_BROKEN_PIPE = 141  # 128 + SIGPIPE, as a shell reports `yes | head`


class _VersionAction(argparse.Action):
    """``--version``: the installed version, looked up only when asked for."""

    def __init__(self, option_strings: Sequence[str], dest: str, **kwargs: Any) -> None:
        super().__init__(
            option_strings,
            dest,
            nargs=0,
            default=argparse.SUPPRESS,
            help="show program's version number and exit",
        )

    def __call__(self, parser: argparse.ArgumentParser, *args: Any, **kwargs: Any) -> None:
        import callbox

        print(f"callbox {callbox.__version__}")
        parser.exit()


def _load(name: str) -> ModuleType:
    return importlib.import_module(COMMANDS[name])


def build_parser(only: str | None = None) -> CommandParser:
    """The argument parser; with ``only``, just that subcommand's module is imported."""
    parser = CommandParser(
        prog="callbox",
        description="Lint, simulate and serve call flows written in TwiML.",
    )
    parser.add_argument("--version", action=_VersionAction)
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name in COMMANDS if only is None else [only]:
        module = _load(name)
        sub = subparsers.add_parser(name, help=module.HELP, description=module.HELP)
        module.add_arguments(sub)
    return parser


def _dispatch(arguments: list[str]) -> int:
    chosen = next((arg for arg in arguments if not arg.startswith("-")), None)
    parser = build_parser(chosen if chosen in COMMANDS else None)
    args, extras = parser.parse_known_args(arguments)
    if extras:
        parser.subcommand_parser(args.command).reject_unrecognized(extras)
    if args.command is None:
        parser.print_help(sys.stderr)
        return EXIT_USAGE
    status: int = _load(args.command).run(args)
    sys.stdout.flush()  # a closed pipe shows here, inside the handlers below
    return status


def _detach_stdout() -> None:
    """Point standard output at /dev/null so that the flush at exit cannot fail again."""
    devnull = os.open(os.devnull, os.O_WRONLY)
    try:
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):  # pragma: no cover - stdout replaced by something fd-less
        pass
    finally:
        os.close(devnull)


def main(argv: Sequence[str] | None = None) -> int:
    arguments = list(sys.argv[1:] if argv is None else argv)
    try:
        return _dispatch(arguments)
    except BrokenPipeError:  # `callbox lint flows/ | head -1`: the reader has what it wanted
        _detach_stdout()
        return EXIT_BROKEN_PIPE
    except KeyboardInterrupt:
        print("callbox: interrupted", file=sys.stderr)
        return EXIT_INTERRUPTED
    except Exception as exc:  # a bug in callbox: one line, and never 1 (1 means findings)
        if os.environ.get(DEBUG_VARIABLE):
            traceback.print_exc()
        summary = str(exc).splitlines()[0] if str(exc) else ""
        print(
            f"callbox: internal error: {type(exc).__name__}"
            f"{': ' + summary if summary else ''} (a bug in callbox; {DEBUG_VARIABLE}=1 shows the "
            "traceback)",
            file=sys.stderr,
        )
        return EXIT_INTERNAL


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
