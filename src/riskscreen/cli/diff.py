"""``riskscreen diff``: what a rule change does to archived reports, base against head."""

from __future__ import annotations

import argparse

from ..diffing.failif import METRICS
from .common import EXIT_ERRORS, EXIT_OK, add_rule_options
from .historyopts import add_archive_argument, add_run_options, run_over_archives, write_output

__all__ = ["add_parser", "run"]


def add_parser(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Register ``diff``."""
    parser = commands.add_parser(
        "diff",
        help="what a rule change does to archived reports (base against head)",
        description="Screen archived reports with the base and the head rule sets in one pass and "
        "report per rule how often it fired on each side, the rules added, removed and changed, the "
        "priority transitions (P1-P4 and none) and the records newly undecided, with example ids. "
        "Exit code: 0, or 1 when a --fail-if condition holds, 2 on a usage or load error (naming the "
        "side and where).",
    )
    add_archive_argument(parser)
    parser.add_argument(
        "--base",
        required=True,
        metavar="GITREF|PATH",
        help="the rule set before the change: a folder or file of packs, else a git ref whose "
        "versions of the head's pack paths are read with git (the working tree is not touched)",
    )
    parser.add_argument(
        "--head",
        metavar="PATH",
        default=None,
        help="the rule set after the change (default: the --rules paths in the working tree)",
    )
    parser.add_argument(
        "--format", choices=("md", "json", "junit"), default="md", help="report format (default: %(default)s)"
    )
    add_run_options(parser)
    parser.add_argument("--junit", metavar="FILE", default=None, help="also write the JUnit report to FILE")
    parser.add_argument(
        "--fail-if",
        action="append",
        default=[],
        metavar="CONDITION",
        help="exit 1 (and fail a JUnit case) when CONDITION holds (repeatable): METRIC>N, METRIC>=N or "
        f"METRIC>N%% with METRIC one of {', '.join(METRICS)}; or rule_silenced",
    )
    add_rule_options(parser)
    # --head names packs too: diff checks for packs itself (exit 2 when neither is given)
    parser.set_defaults(handler=run, rules_needed_without_builtin=False)


def run(args: argparse.Namespace) -> int:
    """Run the diff and write the report; returns the exit code."""
    # imported here: other commands (and --help) do not load the diffing machinery
    from ..diffing import diff
    from ..diffing.render_diff import diff_junit, diff_markdown

    result = run_over_archives(args, diff, base=args.base, head=args.head, fail_if=args.fail_if)
    if isinstance(result, int):
        return result
    if args.format == "json":
        text = result.model_dump_json(indent=2) + "\n"
    elif args.format == "junit":
        text = diff_junit(result)
    else:
        text = diff_markdown(result)
    write_output(text, args.output)
    if args.junit:
        write_output(diff_junit(result), args.junit)
    return EXIT_ERRORS if result.failed else EXIT_OK
