"""Writing alerts: JSON, JSONL and CSV for programs, a table for people."""

from __future__ import annotations

import csv
import json
from collections.abc import Sequence
from typing import TextIO

from rich.console import Console
from rich.table import Table
from rich.text import Text

from ..models import Alert, BatchWarning, ErrorRecord, Summary

__all__ = ["CSV_COLUMNS", "write_csv", "write_json", "write_jsonl", "write_table"]

_STYLES = {
    "red": "bold white on red",
    "orange": "bold black on dark_orange",
    "yellow": "bold black on yellow",
    "blue": "bold white on blue",
}

CSV_COLUMNS = (
    "observation_id",
    "priority",
    "band",
    "color",
    "score",
    "escalate_to",
    "respond_by",
    "category",
    "district",
    "village",
    "rule_ids",
    "titles",
    "messages",
)


def write_json(
    out: TextIO,
    alerts: Sequence[Alert],
    errors: Sequence[ErrorRecord],
    summary: Summary,
    warnings: Sequence[BatchWarning] = (),
) -> None:
    """The documented object: ``{"alerts": [...], "errors": [...], "summary": {...}}``.

    A ``warnings`` list (duplicate ids) is added when there is something to warn about.
    """
    document: dict[str, object] = {
        "alerts": [a.model_dump(mode="json") for a in alerts],
        "errors": [e.model_dump(mode="json") for e in errors],
        "summary": summary.model_dump(),
    }
    if warnings:
        document["warnings"] = [w.model_dump(mode="json") for w in warnings]
    json.dump(document, out, ensure_ascii=False, indent=2)
    out.write("\n")


def write_jsonl(out: TextIO, alerts: Sequence[Alert]) -> None:
    """One alert object per line."""
    for alert in alerts:
        out.write(alert.model_dump_json())
        out.write("\n")


def write_csv(out: TextIO, alerts: Sequence[Alert]) -> None:
    """One row per alert; rule ids, titles and messages joined with ``; ``."""
    writer = csv.writer(out)
    writer.writerow(CSV_COLUMNS)
    for a in alerts:
        writer.writerow(
            [
                a.observation_id,
                a.priority,
                a.band,
                a.color,
                f"{a.score:.1f}",
                a.escalate_to,
                a.respond_by.isoformat(),
                a.category,
                a.location.district or "",
                a.location.village or "",
                "; ".join(f.rule_id for f in a.findings),
                "; ".join(f.title for f in a.findings),
                "; ".join(f.message for f in a.findings),
            ]
        )


def write_table(
    console: Console,
    alerts: Sequence[Alert],
    errors: Sequence[ErrorRecord],
    summary: Summary,
    warnings: Sequence[BatchWarning] = (),
) -> None:
    """A table that fits 80 columns: colour-coded priority, deadline, place and the main risk.

    The risk column shows the leading finding's title; the full messages are in the JSON output.
    """
    table = Table(title="风险预警 (prioritized alerts)", expand=False, show_lines=False, pad_edge=False)
    table.add_column("优先级", no_wrap=True)
    table.add_column("分数", justify="right", no_wrap=True)
    table.add_column("编号", overflow="fold", min_width=10)
    table.add_column("地点", overflow="fold", max_width=8)
    table.add_column("处置时限", no_wrap=True)
    table.add_column("风险", overflow="fold", ratio=1, min_width=16)
    for alert in alerts:
        priority = Text(f"{alert.priority} {alert.band}", style=_STYLES.get(alert.color, ""))
        main, *rest = alert.findings
        risk = Text(main.title)
        if rest:
            risk.append(f" 等{len(alert.findings)}项", style="dim")
        table.add_row(
            priority,
            f"{alert.score:.1f}",
            alert.observation_id,
            alert.location.village or alert.location.district or "-",
            alert.respond_by.strftime("%m-%d %H:%M"),
            risk,
        )
    console.print(table)
    if errors:
        problems = Table(title="无法筛查的记录 (records with errors)", pad_edge=False)
        problems.add_column("序号", justify="right", no_wrap=True)
        problems.add_column("编号", overflow="fold", min_width=10)
        problems.add_column("字段", overflow="fold", max_width=16)
        problems.add_column("原因", overflow="fold", ratio=1)
        for error in errors:
            problems.add_row(str(error.index), error.id or "-", error.field or "-", error.message)
        console.print(problems)
    for warning in warnings:
        console.print(f"注意: 第 {warning.index} 条 ({warning.id}): {warning.message}", markup=False)
    console.print(summary_line(summary, chinese=True))


def summary_line(summary: Summary, *, chinese: bool = False) -> str:
    """One line of counts; ``alerts + no alert + errors`` always equals ``records``."""
    if chinese:
        return (
            f"共 {summary.records} 条记录：预警 {summary.alerts}，无预警 {summary.no_alert}，"
            f"错误 {summary.errors}"
        )
    return (
        f"{summary.records} records: {summary.alerts} alerts, {summary.no_alert} no alert, "
        f"{summary.errors} errors"
    )
