"""``riskscreen lint``: every problem in rule packs and their cases, as ``path:line:col: CODE message``."""

from __future__ import annotations

import argparse
import sys

from .common import EXIT_OK, EXIT_USAGE
from .lint_precision import add_precision_options, precision_checks

__all__ = ["add_parser", "run"]


def add_parser(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Register ``lint``."""
    parser = commands.add_parser(
        "lint",
        help="check rule packs and their cases: path:line:col: CODE message",
        description="Check rule packs and their *.test.yaml cases and report every problem at once, each "
        "as 'path:line:col: CODE severity: message'. Errors (RS1xx-RS4xx, RS505) are what loading would "
        "refuse; warnings (RS5xx) flag rules without cases, regexes prone to backtracking, message "
        "fields observations lack and rules that can never fire. The packs load together with the "
        "shipped packs and plugins, as 'screen' loads them. Exit code: 0 without errors, 1 with errors "
        "(or warnings, with --strict), 2 on a usage error.",
    )
    parser.add_argument(
        "paths",
        nargs="*",
        metavar="PATH",
        help="pack files, case files or folders (default: the shipped packs)",
    )
    parser.add_argument(
        "--format",
        choices=("text", "json", "github"),
        default="text",
        help="text for people, json for tools, github for workflow annotations (default: %(default)s)",
    )
    parser.add_argument("--strict", action="store_true", help="exit 1 on warnings too")
    parser.add_argument(
        "--ignore",
        action="append",
        default=[],
        metavar="CODE",
        help="leave out problems with this code, e.g. RS501 (repeatable)",
    )
    parser.add_argument("--list-checks", action="store_true", help="list every problem code and exit")
    add_precision_options(parser)
    group = parser.add_argument_group("rule set")
    group.add_argument(
        "--no-builtin",
        action="store_true",
        help="load only the given packs (no shipped packs, no plugins)",
    )
    group.add_argument(
        "--disable-plugin",
        action="append",
        default=[],
        metavar="NAME",
        help="do not load the plugin NAME (repeatable)",
    )
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    """Lint and print the report; returns the exit code."""
    from ..lint import CODES, LintReport, lint, render_github, render_json, render_text

    if args.list_checks:
        for code in CODES.values():
            print(f"{code.code}  {code.severity:<7}  {code.description}")
        return EXIT_OK
    unknown = [c for c in args.ignore if c not in CODES]
    if unknown:
        print(f"riskscreen: unknown code {unknown[0]!r}; see riskscreen lint --list-checks", file=sys.stderr)
        return EXIT_USAGE
    checks = precision_checks(args)
    if checks is None:
        return EXIT_USAGE
    report = lint(args.paths, builtin=not args.no_builtin, disable_plugins=args.disable_plugin, checks=checks)
    if args.ignore:
        kept = tuple(p for p in report.problems if p.code not in args.ignore)
        report = LintReport(kept, report.files, report.skipped)
    render = {"text": render_text, "json": render_json, "github": render_github}[args.format]
    sys.stdout.write(render(report))
    return report.exit_code(strict=args.strict)
