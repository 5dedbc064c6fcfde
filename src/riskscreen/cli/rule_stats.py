"""``riskscreen rules --stats``: rule precision from the dispositions in the history store."""

from __future__ import annotations

import argparse
import json
import sys

from rich import box
from rich.cells import cell_len
from rich.table import Table
from rich.text import Text

from ..screener import Screener
from ..store.errors import StoreError
from ..store.messages import say
from .common import EXIT_OK, EXIT_USAGE, stdout_console
from .dbopts import add_db_options, now_from, open_tracker
from .report import missing_store

__all__ = ["add_stats_options", "run_stats"]


def add_stats_options(parser: argparse.ArgumentParser) -> None:
    """``--stats`` and the store options it reads."""
    parser.add_argument(
        "--stats",
        action="store_true",
        help="per rule from the history store (--db): alerts, cases, dispositions, confirmed, false "
        "alarms and precision = confirmed / (confirmed + false alarms) with a 95%% Wilson interval",
    )
    add_db_options(parser)


def _percent(value: float | None, digits: int = 1) -> str:
    return "—" if value is None else f"{value * 100:.{digits}f}%"


def run_stats(args: argparse.Namespace, screener: Screener) -> int:
    """Print the precision of every rule with a case; returns the exit code."""
    from ..report import rule_precision

    missing = missing_store(args)
    if missing:
        print(missing, file=sys.stderr)
        return EXIT_USAGE
    try:
        with open_tracker(args) as tracker:
            cases = tracker.cases(now=now_from(args))
            reports = list(tracker.reports())
    except StoreError as exc:
        print(say("error_line", message=exc), file=sys.stderr)
        return EXIT_USAGE
    titles = {rule.id: rule.title for rule in screener.ruleset.rules}
    titles.update({check.id: check.title for _, check in screener.checks})
    rows = rule_precision(cases, reports=reports, titles=titles)
    if args.format == "json":
        document = {
            "confidence": 0.95,
            "cases": len(cases),
            "rules": [r.model_dump(mode="json") for r in rows],
        }
        json.dump(document, sys.stdout, ensure_ascii=False, indent=2)
        sys.stdout.write("\n")
        return EXIT_OK
    console = stdout_console(highlight=False)
    # no vertical rules: at 80 columns their width is what the titles need
    plural = "" if len(cases) == 1 else "s"
    table = Table(
        title=say("stats.title", cases=len(cases), s=plural),
        pad_edge=False,
        box=box.SIMPLE_HEAD,
        padding=(0, 1, 0, 0),
    )
    cells = [
        [
            row.rule_id,
            "—" if row.alerts is None else str(row.alerts),
            str(row.cases),
            str(row.dispositions),
            str(row.confirmed),
            str(row.false_alarm),
            str(row.duplicate),
            _percent(row.precision),
            "—" if row.low is None else f"{_percent(row.low, 0)}–{_percent(row.high, 0)}",
            row.title or "",
        ]
        for row in rows
    ]
    # short headers that fit 80 columns; the line under the table spells them out
    rule, *counts, title = say("stats.columns").split("|")
    table.add_column(rule, no_wrap=True, min_width=8)
    for number, column in enumerate(counts, start=1):
        # a count or a percentage is never cut: only the title gives way to a narrow terminal
        widest = max([cell_len(column), *(cell_len(line[number]) for line in cells)])
        table.add_column(column, justify="right", no_wrap=True, min_width=widest)
    # a title is shortened with … rather than folded one character per line
    table.add_column(title, no_wrap=True, overflow="ellipsis", min_width=8, max_width=24)
    for line in cells:
        table.add_row(*(Text(cell) for cell in line))  # titles as written, never as rich markup
    if not rows:
        console.print(say("stats.nothing"))
        return EXIT_OK
    console.print(table)
    console.print(say("stats.legend"))
    return EXIT_OK
