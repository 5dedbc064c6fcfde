"""A backtest as Markdown (a table per week or month) and CSV (one row per period)."""

from __future__ import annotations

import csv
import io

from .models import BacktestResult, PeriodCounts
from .outcome import STATES

__all__ = ["backtest_csv", "backtest_markdown"]

#: Rules shown as columns in the Markdown table; the rest are in JSON and CSV.
MARKDOWN_RULES = 12


def _row(period: PeriodCounts, rules: list[str]) -> list[str]:
    return [
        period.period,
        str(period.records),
        str(period.alerts),
        *(str(period.by_priority.get(s, 0)) for s in STATES),
        str(period.undecided),
        *(str(period.rules.get(r, 0)) for r in rules),
    ]


def _header(rules: list[str]) -> list[str]:
    return ["period", "records", "alerts", *STATES, "undecided", *rules]


def backtest_markdown(result: BacktestResult) -> str:
    """Priority distribution and the most frequent rules per period, then the totals."""
    rules = result.rule_ids[:MARKDOWN_RULES]
    header = _header(rules)
    lines = [
        f"### riskscreen backtest by {result.by}: {result.label}",
        "",
        f"{result.records} archived records from {len(result.archive.files)} files "
        f"({result.archive.invalid} unreadable); {len(result.rule_ids)} rules fired.",
        "",
        "| " + " | ".join(header) + " |",
        "|---|" + "---:|" * (len(header) - 1),
    ]
    for period in [*result.periods, result.total]:
        cells = _row(period, rules)
        if period is result.total:
            cells = [f"**{c}**" for c in cells]
        lines.append("| " + " | ".join(cells) + " |")
    if len(result.rule_ids) > MARKDOWN_RULES:
        lines += ["", f"{len(result.rule_ids) - MARKDOWN_RULES} more rules in `--format csv` or `json`."]
    return "\n".join(lines) + "\n"


def backtest_csv(result: BacktestResult) -> str:
    """One row per period and a ``total`` row; a column per state and per rule that fired."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(_header(result.rule_ids))
    for period in [*result.periods, result.total]:
        writer.writerow(_row(period, result.rule_ids))
    return buffer.getvalue()
