"""``riskscreen backtest``: a rule set's counts over archived reports, per week or month."""

from __future__ import annotations

import argparse

from .common import EXIT_OK, add_rule_options
from .historyopts import add_archive_argument, add_run_options, run_over_archives, write_output

__all__ = ["add_parser", "run"]


def add_parser(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Register ``backtest``."""
    parser = commands.add_parser(
        "backtest",
        help="per-rule counts and priorities of archived reports over time",
        description="Screen archived reports with the rule set and count, per ISO week or calendar "
        "month of reported_at (local time), the records, alerts by priority, undecided records and "
        "how often each rule fired. Exit code: 0, or 2 on a usage or load error.",
    )
    add_archive_argument(parser)
    parser.add_argument(
        "--by", choices=("week", "month"), default="week", help="period (default: %(default)s)"
    )
    parser.add_argument(
        "--format", choices=("md", "json", "csv"), default="md", help="report format (default: %(default)s)"
    )
    add_run_options(parser)
    add_rule_options(parser)
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    """Run the backtest and write the report; returns the exit code."""
    # imported here: other commands (and --help) do not load the diffing machinery
    from ..diffing import backtest
    from ..diffing.render_backtest import backtest_csv, backtest_markdown

    result = run_over_archives(args, backtest, by=args.by)
    if isinstance(result, int):
        return result
    if args.format == "json":
        text = result.model_dump_json(indent=2) + "\n"
    elif args.format == "csv":
        text = backtest_csv(result)
    else:
        text = backtest_markdown(result)
    write_output(text, args.output)
    return EXIT_OK
