"""``riskscreen track``: ingest reports into the history store and merge them into cases."""

from __future__ import annotations

import argparse
import dataclasses
import json
import sys

from ..i18n import text
from ..readers import FORMATS, read_files
from ..store.messages import say
from ..store.options import TrackerOptions
from .common import EXIT_ERRORS, EXIT_OK, EXIT_USAGE, add_rule_options, build_screener
from .dbopts import add_db_options, handles_store_errors, now_from, open_tracker
from .notices import error_lines, print_summarised

__all__ = ["add_parser", "run"]


def add_parser(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Register ``track``."""
    parser = commands.add_parser(
        "track",
        help="ingest reports into the history store: screened, merged, reopened, new",
        description="Screen reports with history from the store and merge them into cases (same site "
        "and category). Ingesting a report again changes nothing. Exit code: 0 when every record "
        "was screened, 1 when some records were errors (kept in the store, unscreened), 2 on a "
        "usage, rule-load or database error.",
    )
    parser.add_argument(
        "files", nargs="+", metavar="FILE", help="report files (JSON, JSONL, CSV); - reads stdin"
    )
    parser.add_argument(
        "--format", choices=("table", "json"), default="table", help="output format (default: %(default)s)"
    )
    parser.add_argument(
        "--input-format", choices=FORMATS, default=None, help="input format (default: guessed)"
    )
    parser.add_argument("--encoding", default="utf-8-sig", help="text encoding of the input (default: UTF-8)")
    parser.add_argument("--by", default=None, help="who the case log names (default: riskscreen)")
    defaults = TrackerOptions()
    merging = parser.add_argument_group("case merging")
    merging.add_argument(
        "--site-radius-m",
        type=float,
        default=defaults.site_radius_m,
        metavar="M",
        help="reports within M metres (by lat/lon) are one site (default: %(default)s)",
    )
    merging.add_argument(
        "--repeat-lift-after",
        type=int,
        default=defaults.repeat_lift_after,
        metavar="N",
        help="lift a case one band at its N-th report within 30 days (default: %(default)s)",
    )
    merging.add_argument(
        "--reopen-days",
        type=float,
        default=defaults.reopen_days,
        metavar="DAYS",
        help="a report within DAYS of a case's closing reopens it (default: %(default)s)",
    )
    add_db_options(parser)
    add_rule_options(parser)
    parser.set_defaults(handler=run)


@handles_store_errors
def run(args: argparse.Namespace) -> int:
    """Ingest the files; returns the exit code."""
    if args.files.count("-") > 1:
        print(text("cli.stdin_twice"), file=sys.stderr)
        return EXIT_USAGE
    for path in args.files:
        if path == "-":
            continue
        try:
            with open(path, "rb"):
                pass
        except OSError as exc:
            print(text("cli.cannot_read", path=path, reason=exc.strerror), file=sys.stderr)
            return EXIT_USAGE
    try:
        options = TrackerOptions(
            site_radius_m=args.site_radius_m,
            repeat_lift_after=args.repeat_lift_after,
            reopen_days=args.reopen_days,
        )
    except ValueError as exc:
        print(f"riskscreen track: {exc}", file=sys.stderr)
        return EXIT_USAGE
    screener = build_screener(args)
    if screener is None:
        return EXIT_USAGE
    with open_tracker(args, screener, options) as tracker:
        summary = tracker.ingest(
            read_files(args.files, args.input_format, args.encoding),
            now=now_from(args),
            by=args.by or "riskscreen",
        )
    # which records were kept unscreened, and why, so that they can be corrected and sent again
    print_summarised(error_lines(summary.error_records), what="cli.what.errors", where="cli.where.unscreened")
    counts = dataclasses.asdict(summary)
    if args.format == "json":
        counts["error_records"] = [error.model_dump(mode="json") for error in summary.error_records]
        json.dump(counts, sys.stdout, ensure_ascii=False, indent=2)
        print()
    else:
        print(say("track.counts", **counts))
        print(say("track.details", **counts))
    return EXIT_ERRORS if summary.errors else EXIT_OK
