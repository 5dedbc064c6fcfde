"""Options and helpers shared by the commands."""

from __future__ import annotations

import argparse
import os
import sys
from typing import TYPE_CHECKING, Any

from pydantic import ValidationError

from ..errors import RuleLoadError
from ..i18n import LANGUAGES, set_language, text
from ..screener import Screener
from ..settings import Settings
from .notices import print_summarised

if TYPE_CHECKING:
    from rich.console import Console

__all__ = [
    "EXIT_ERRORS",
    "EXIT_OK",
    "EXIT_USAGE",
    "add_language_option",
    "add_rule_options",
    "apply_language",
    "build_screener",
    "no_builtin_without_rules",
    "stderr_console",
    "stdout_console",
]

EXIT_OK = 0
EXIT_ERRORS = 1
EXIT_USAGE = 2


def stdout_console(**options: Any) -> Console:
    """A console writing to standard output that stops quietly when its reader goes away.

    rich ends the program with exit code 1 when standard output's reader goes away (``|
    head``); every other output of riskscreen's commands stops with code 0 then, without a
    word (:func:`riskscreen.cli.main.main` catches the :class:`BrokenPipeError` this raises).
    """
    from rich.console import Console

    class _Stdout(Console):
        def on_broken_pipe(self) -> None:
            self.quiet = True
            # whatever is still buffered goes nowhere, rather than failing again at exit
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, sys.stdout.fileno())
            raise BrokenPipeError

    return _Stdout(**options)


def stderr_console() -> Console:
    """A console for messages and progress, kept off standard output."""
    from rich.console import Console  # imported when a command needs it: rich takes a while

    return Console(stderr=True, highlight=False)


def add_rule_options(parser: argparse.ArgumentParser) -> None:
    """``--rules``, ``--no-builtin`` and the timezone options every rule-using command takes."""
    group = parser.add_argument_group("rule set")
    group.add_argument(
        "--rules",
        action="append",
        default=[],
        metavar="PATH",
        help="add a rule pack file or folder (repeatable)",
    )
    group.add_argument(
        "--no-builtin",
        action="store_true",
        help="use only the packs given with --rules (no shipped packs, no plugins); needs --rules",
    )
    # checked by main(): screening with no rule at all is a mistake, never a silent empty result
    parser.set_defaults(rules_needed_without_builtin=True)
    group.add_argument(
        "--disable-plugin",
        action="append",
        default=[],
        metavar="NAME",
        help="do not load the plugin NAME (repeatable; also RISKSCREEN_DISABLE_PLUGINS=a,b)",
    )
    group.add_argument(
        "--timezone",
        metavar="ZONE",
        default=None,
        help="read times without an offset in this zone (e.g. Asia/Shanghai); default: reject them",
    )
    group.add_argument(
        "--local-timezone",
        metavar="ZONE",
        default="Asia/Shanghai",
        help="zone of local dates and hours, and of times in the output (default: %(default)s)",
    )


def add_language_option(parser: argparse.ArgumentParser, dest: str = "lang") -> None:
    """``--lang zh|en``: the language of messages (default ``$RISKSCREEN_LANG``, else Chinese)."""
    parser.add_argument(
        "--lang",
        dest=dest,
        choices=LANGUAGES,
        default=None,
        help="language of messages: zh (default) or en; also RISKSCREEN_LANG",
    )


def apply_language(args: argparse.Namespace) -> None:
    """Use the language the options name (a command's own --lang wins over the global one)."""
    chosen = getattr(args, "lang", None) or getattr(args, "lang_global", None)
    if chosen is not None:
        set_language(chosen)


def no_builtin_without_rules(args: argparse.Namespace) -> str | None:
    """The usage error of ``--no-builtin`` given without ``--rules`` (None when the options are fine)."""
    if getattr(args, "rules_needed_without_builtin", False) and args.no_builtin and not args.rules:
        return text("cli.no_builtin")
    return None


def build_screener(args: argparse.Namespace) -> Screener | None:
    """The screener the options describe, or ``None`` after printing why it could not load."""
    try:
        settings = Settings(
            default_timezone=args.timezone,
            local_timezone=args.local_timezone,
            strict=getattr(args, "strict", False),  # only commands that offer --strict set it
        )
        return Screener(
            args.rules, builtin=not args.no_builtin, settings=settings, disable_plugins=args.disable_plugin
        )
    except RuleLoadError as exc:
        shown = (str(problem) for problem in exc.problems)
        print_summarised(shown, what="cli.what.problems", where="cli.where.lint")
        print(text("cli.not_loaded", count=len(exc.problems)), file=sys.stderr)
    except ValidationError as exc:
        for error in exc.errors():
            where = ".".join(str(p) for p in error["loc"])
            print(f"riskscreen: {where}: {error['msg'].removeprefix('Value error, ')}", file=sys.stderr)
    return None
