"""Entry point of the ``riskscreen`` command."""

from __future__ import annotations

import argparse
import contextlib
import importlib
import os
import sys
from collections.abc import Sequence
from typing import NoReturn

from .._version import __version__
from ..collection import fewer_collections

__all__ = ["COMMANDS", "build_parser", "main"]

#: Every command, in the order of ``riskscreen --help``; each is the module of that name here.
COMMANDS = (
    "screen",
    "rules",
    "explain",
    "test",
    "lint",
    "schema",
    "diff",
    "backtest",
    "track",
    "cases",
    "db",
    "report",
    "categories",
)


def _named_command(argv: Sequence[str]) -> str | None:
    """The command the arguments name, when one does (its module is then the only one imported)."""
    for argument in argv:
        if argument == "--":
            return None
        if argument in COMMANDS:
            return argument
    return None


def build_parser(only: Sequence[str] | None = None) -> argparse.ArgumentParser:
    """The argument parser with every subcommand (or only those named in ``only``).

    Each command's module is imported when its parser is added, so that a command pays
    for its own imports only (a store command's database layer, the screener, ...).
    """
    from .common import add_language_option

    parser = argparse.ArgumentParser(
        prog="riskscreen",
        description="Screen grid-governance field reports for risk with YAML rule packs.",
    )
    parser.add_argument("--version", action="version", version=f"riskscreen {__version__}")
    add_language_option(parser, dest="lang_global")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    for name in COMMANDS if only is None else [c for c in COMMANDS if c in only]:
        importlib.import_module(f".{name}", __package__).add_parser(commands)
    # every command also takes --lang, where people write it: after the command's name
    for command in commands.choices.values():
        add_language_option(command)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit code (2 for usage errors, as argparse does)."""
    arguments = list(sys.argv[1:] if argv is None else argv)
    command = _named_command(arguments)
    if command is None and "--version" in arguments:
        print(f"riskscreen {__version__}")  # what argparse's version action prints, without the imports
        return 0
    from ..i18n import text
    from .common import EXIT_USAGE, apply_language, no_builtin_without_rules

    # with a command named, only its module is imported; otherwise (help, a typo) all are
    parser = build_parser(None if command is None else (command,))
    args = parser.parse_args(arguments)
    apply_language(args)
    usage = no_builtin_without_rules(args)
    if usage is not None:
        print(text("cli.usage_error", command=args.command, message=usage), file=sys.stderr)
        return EXIT_USAGE
    try:
        # the youngest generation collected less often while the command runs (see
        # riskscreen.collection); the caller's setting is back afterwards
        with fewer_collections():
            code: int = args.handler(args)
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        # the reader went away (e.g. `| head`); nothing more to say
        sys.stderr.close()
        return 0
    return code


#: Commands after which the program ends without tearing the interpreter down (see :func:`run`).
_ENDS_AT_ONCE = frozenset({"screen"})


def run() -> NoReturn:
    """The ``riskscreen`` program (and ``python -m riskscreen``): :func:`main`, then exit.

    After ``riskscreen screen`` the process ends at once, its output flushed: tearing the
    interpreter down frees every object one by one, about a twentieth of a second after
    20,000 records, and ``screen`` holds nothing that needs closing (no database, its sort's
    temporary files are anonymous, its workers have stopped). Every other command exits
    the usual way. :func:`main`, which tests and programs call, returns as it always did.
    """
    code = main()
    if _named_command(sys.argv[1:]) not in _ENDS_AT_ONCE:
        sys.exit(code)
    for stream in (sys.stdout, sys.stderr):
        # the reader went away, or the stream is closed: nothing more can be said
        with contextlib.suppress(BrokenPipeError, ValueError):
            stream.flush()
    import logging  # loaded already whenever anything logged

    logging.shutdown()
    os._exit(code)


if __name__ == "__main__":
    run()
