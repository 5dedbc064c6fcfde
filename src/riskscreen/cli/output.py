"""Writing alerts: JSON, JSONL and CSV for programs (the table for people is in :mod:`.table`)."""

from __future__ import annotations

import csv
import json
from collections.abc import Mapping, Sequence
from typing import Any, TextIO

from ..models import Alert, BatchWarning, ErrorRecord, Insufficient, Summary, UndecidedRecord
from ..results import alert_data_of

__all__ = [
    "CSV_COLUMNS",
    "alert_data_row",
    "alert_row",
    "summary_line",
    "undecided_row",
    "write_csv",
    "write_json",
    "write_jsonl",
]

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
    "could_be",
    "undecided",
    "missing",
    "warnings",
)


def write_json(
    out: TextIO,
    alerts: Sequence[Alert],
    errors: Sequence[ErrorRecord],
    summary: Summary,
    warnings: Sequence[BatchWarning] = (),
    undecided: Sequence[UndecidedRecord] = (),
) -> None:
    """The documented object: ``{"alerts": [...], "undecided": [...], "errors": [...], "summary": {...}}``.

    ``undecided`` lists the no-alert records that missing evidence could make alerts
    (alerts carry ``could_be`` and ``warnings`` themselves). A ``warnings`` list (every
    record's unknown attributes, duplicate ids) is added when there is something to warn about.
    """
    document: dict[str, object] = {
        "alerts": [a.model_dump(mode="json") for a in alerts],
        "undecided": [u.model_dump(mode="json") for u in undecided],
        "errors": [e.model_dump(mode="json") for e in errors],
        "summary": summary.model_dump(),
    }
    if warnings:
        document["warnings"] = [w.model_dump(mode="json") for w in warnings]
    json.dump(document, out, ensure_ascii=False, indent=2)
    out.write("\n")


def write_jsonl(out: TextIO, alerts: Sequence[Alert], undecided: Sequence[UndecidedRecord] = ()) -> None:
    """One alert object per line, then one line per undecided no-alert record (no ``priority``)."""
    for alert in alerts:
        out.write(alert.model_dump_json())
        out.write("\n")
    for entry in undecided:
        out.write(entry.model_dump_json())
        out.write("\n")


def _missing(insufficient: Sequence[Insufficient]) -> str:
    return "; ".join(dict.fromkeys(path for entry in insufficient for path in entry.missing))


def alert_row(a: Alert) -> list[str]:
    """The CSV row of one alert (see :data:`CSV_COLUMNS`)."""
    return alert_data_row(alert_data_of(a))


def alert_data_row(a: Mapping[str, Any]) -> list[str]:
    """:func:`alert_row` of an alert's data (its fields, findings as dicts of theirs)."""
    findings = a["findings"]
    return [
        a["observation_id"],
        a["priority"],
        a["band"],
        a["color"],
        f"{a['score']:.1f}",
        a["escalate_to"],
        a["respond_by"].isoformat(),
        a["category"],
        a["location"].district or "",
        a["location"].village or "",
        "; ".join(f["rule_id"] for f in findings),
        "; ".join(f["title"] for f in findings),
        "; ".join(f["message"] for f in findings),
        a["could_be"] or "",
        "true" if a["undecided"] else "false",
        _missing(a["insufficient"]) if a["undecided"] else "",
        "; ".join(a["warnings"]),
    ]


def undecided_row(entry: UndecidedRecord) -> list[str]:
    """The CSV row of one undecided no-alert record: no priority, band or score."""
    blank = [""] * (len(CSV_COLUMNS) - 5)
    row = [entry.observation_id, *blank, entry.could_be, "true", _missing(entry.insufficient)]
    return [*row, "; ".join(entry.warnings)]


def write_csv(out: TextIO, alerts: Sequence[Alert], undecided: Sequence[UndecidedRecord] = ()) -> None:
    """One row per alert, then one per undecided no-alert record (empty priority).

    Rule ids, titles, messages, missing fields and warnings are joined with ``; ``.
    """
    writer = csv.writer(out)
    writer.writerow(CSV_COLUMNS)
    for a in alerts:
        writer.writerow(alert_row(a))
    for entry in undecided:
        writer.writerow(undecided_row(entry))


def summary_line(summary: Summary, *, chinese: bool = False) -> str:
    """One line of counts; ``alerts + no alert + errors`` always equals ``records``.

    Alerts are broken down by priority; undecided results (alert or not) are counted apart.
    """
    levels = [f"{p} {n}" for p, n in summary.by_priority.items() if n]
    if chinese:
        split = f"（{'，'.join(levels)}）" if levels else ""
        return (
            f"共 {summary.records} 条记录：预警 {summary.alerts}{split}，无预警 {summary.no_alert}，"
            f"错误 {summary.errors}；待补充证据 {summary.undecided}"
        )
    split = f" ({', '.join(levels)})" if levels else ""
    return (
        f"{summary.records} records: {summary.alerts} alerts{split}, {summary.no_alert} no alert, "
        f"{summary.errors} errors; {summary.undecided} undecided"
    )
