"""``riskscreen report``: the weekly report (周报表) from the history store."""

from __future__ import annotations

import argparse
import sys
from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from ..report.formats import FORMATS, Format
from ..report.periods import Period, PeriodError, date_range, parse_date, parse_week, week_of
from ..store.messages import say
from .common import EXIT_OK, EXIT_USAGE, stderr_console
from .dbopts import add_db_options, handles_store_errors, now_from, open_tracker, store_url

__all__ = ["add_parser", "missing_store", "rule_titles", "run"]


def _week(text: str) -> Period:
    try:
        return parse_week(text)
    except PeriodError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def _day(text: str) -> date:
    try:
        return parse_date(text)
    except PeriodError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def add_parser(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Register ``report``."""
    parser = commands.add_parser(
        "report",
        help="the weekly report (周报表) from the history store: html, xlsx, md or json",
        description="The report of an ISO week (default: the last full week before --now) or a date "
        "range, from the cases in the history store: per district, village and category the new cases, "
        "repeat reports merged, cases reopened, rectified or closed, still in progress and overdue, by "
        "priority; totals and the change from the period before; an 8-week trend; the top rules and "
        "rule precision. HTML is one self-contained page (inline SVG charts) that prints on A4.",
    )
    period = parser.add_argument_group("period")
    period.add_argument(
        "--week", type=_week, metavar="YYYY-Www", help="an ISO week in local time, e.g. 2026-W48"
    )
    period.add_argument("--from", dest="first", type=_day, metavar="DATE", help="first day, e.g. 2026-11-01")
    period.add_argument(
        "--to", dest="last", type=_day, metavar="DATE", help="last day (default: the day of --now)"
    )
    parser.add_argument(
        "--format",
        choices=tuple(FORMATS),
        default=None,
        help="output format (default: from the --output suffix, else md)",
    )
    parser.add_argument(
        "--output",
        "-o",
        metavar="FILE",
        help="write the report here (default: standard output; xlsx needs it)",
    )
    parser.add_argument(
        "--title", default="风险隐患周报表", help="the report's heading (default: %(default)s)"
    )
    parser.add_argument(
        "--local-timezone",
        metavar="ZONE",
        default="Asia/Shanghai",
        help="the zone in which weeks and days begin (default: %(default)s)",
    )
    add_db_options(parser)
    parser.set_defaults(handler=run)


def _period(args: argparse.Namespace, now: datetime, zone: ZoneInfo) -> Period:
    if args.week is not None:
        if args.first is not None or args.last is not None:
            raise PeriodError(say("report.week_and_range"))
        week: Period = args.week
        return week
    if args.first is None:
        if args.last is not None:
            raise PeriodError(say("report.to_needs_from"))
        return week_of(now, zone).previous()
    return date_range(args.first, args.last or now.astimezone(zone).date())


def _format(args: argparse.Namespace) -> Format | None:
    if args.format is not None:
        chosen: Format = args.format
        return chosen
    if args.output is None:
        return "md"
    suffix = Path(args.output).suffix.lower()
    for name, known in FORMATS.items():
        if suffix == known:
            return name  # type: ignore[return-value]
    return None


def missing_store(args: argparse.Namespace) -> str | None:
    """Why a command that only reads the store cannot: its SQLite file does not exist.

    Opening a missing SQLite file would create an empty store and report nothing, which
    reads like a quiet week; a typo in the path deserves an error instead.
    """
    url = store_url(args)
    if not url.startswith("sqlite:///") or url.removeprefix("sqlite:///") in ("", ":memory:"):
        return None
    path = Path(url.removeprefix("sqlite:///").split("?", 1)[0])
    if path.exists():
        return None
    return say("report.no_store", path=path, url=url)


def rule_titles() -> dict[str, str]:
    """Titles of the shipped rules and plugin checks; empty when they cannot be loaded."""
    from ..errors import RiskscreenError
    from ..screener import Screener

    try:
        screener = Screener()
    except RiskscreenError:
        return {}
    titles = {rule.id: rule.title for rule in screener.ruleset.rules}
    titles.update({check.id: check.title for _, check in screener.checks})
    return titles


@handles_store_errors
def run(args: argparse.Namespace) -> int:
    """Compute and write the report; returns the exit code."""
    from ..report import weekly
    from ..report.formats import render, render_bytes

    try:
        zone = ZoneInfo(args.local_timezone)
    except (KeyError, ValueError):
        print(say("report.bad_timezone", zone=args.local_timezone), file=sys.stderr)
        return EXIT_USAGE
    now = now_from(args)
    try:
        period = _period(args, now, zone)
    except PeriodError as exc:
        print(say("report.error_line", message=exc), file=sys.stderr)
        return EXIT_USAGE
    form = _format(args)
    if form is None:
        unknown = say("report.unknown_format", output=args.output, formats=", ".join(FORMATS))
        print(say("report.error_line", message=unknown), file=sys.stderr)
        return EXIT_USAGE
    if form == "xlsx" and args.output is None:
        print(say("report.error_line", message=say("report.xlsx_needs_output")), file=sys.stderr)
        return EXIT_USAGE
    missing = missing_store(args)
    if missing:
        print(missing, file=sys.stderr)
        return EXIT_USAGE
    with open_tracker(args) as tracker:
        cases = tracker.cases(now=now)
        _, end = period.bounds(zone)
        reports = list(tracker.reports(until=end))
    report = weekly(
        cases, period, timezone_name=args.local_timezone, now=now, reports=reports, titles=rule_titles()
    )
    if args.output is None:
        sys.stdout.write(render_bytes(report, form, title=args.title).decode("utf-8"))
    else:
        try:
            render(report, form, args.output, title=args.title)
        except OSError as exc:
            cannot = say("report.cannot_write", output=args.output, reason=exc.strerror or exc)
            print(say("report.error_line", message=cannot), file=sys.stderr)
            return EXIT_USAGE
        totals = report.totals
        key = "report.written_empty" if report.empty else "report.written"
        written = say(
            key,
            output=args.output,
            period=report.period,
            new=totals.new,
            resolved=totals.resolved,
            in_progress=totals.in_progress,
        )
        stderr_console().print(written, markup=False)
    return EXIT_OK
