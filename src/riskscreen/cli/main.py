"""Entry point of the ``riskscreen`` command."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from .._version import __version__
from ..i18n import text
from . import backtest, cases, categories, db, diff, explain, lint, report, rules, schema, screen, test, track
from .common import EXIT_USAGE, add_language_option, apply_language, no_builtin_without_rules

__all__ = ["build_parser", "main"]


def build_parser() -> argparse.ArgumentParser:
    """The argument parser with every subcommand."""
    parser = argparse.ArgumentParser(
        prog="riskscreen",
        description="Screen grid-governance field reports for risk with YAML rule packs.",
    )
    parser.add_argument("--version", action="version", version=f"riskscreen {__version__}")
    add_language_option(parser, dest="lang_global")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    screen.add_parser(commands)
    rules.add_parser(commands)
    explain.add_parser(commands)
    test.add_parser(commands)
    lint.add_parser(commands)
    schema.add_parser(commands)
    diff.add_parser(commands)
    backtest.add_parser(commands)
    track.add_parser(commands)
    cases.add_parser(commands)
    db.add_parser(commands)
    report.add_parser(commands)
    categories.add_parser(commands)
    # every command also takes --lang, where people write it: after the command's name
    for command in commands.choices.values():
        add_language_option(command)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit code (2 for usage errors, as argparse does)."""
    parser = build_parser()
    args = parser.parse_args(argv)
    apply_language(args)
    usage = no_builtin_without_rules(args)
    if usage is not None:
        print(text("cli.usage_error", command=args.command, message=usage), file=sys.stderr)
        return EXIT_USAGE
    try:
        code: int = args.handler(args)
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        # the reader went away (e.g. `| head`); nothing more to say
        sys.stderr.close()
        return 0
    return code


if __name__ == "__main__":
    sys.exit(main())
