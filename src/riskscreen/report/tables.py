"""The report's tables, built once and drawn by every format (HTML, xlsx, Markdown).

Building the tables in one place is what keeps the formats in agreement: each renderer
only lays out the same :class:`Table` objects.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Literal

from .labels import COUNT_COLUMNS, PRIORITY_COLUMNS
from .model import PRIORITY_KEYS, Counts, GroupCounts, WeeklyReport

__all__ = ["Cell", "Table", "report_tables"]

Cell = str | int | float | date | None
#: How a column's values are shown: counts, signed changes, fractions as percentages, dates.
Kind = Literal["text", "int", "change", "percent", "date"]


@dataclass(frozen=True)
class Table:
    """One table: an id (the JSON field it comes from), a Chinese title, columns and rows."""

    id: str
    title: str
    columns: list[str]
    kinds: list[Kind]
    rows: list[list[Cell]]
    #: a last row that sums the others (合计), kept apart so renderers can set it off
    total: list[Cell] | None = None
    note: str = ""
    extra: dict[str, str] = field(default_factory=dict)


def _count_cells(counts: Counts) -> list[Cell]:
    return [getattr(counts, name) for name in COUNT_COLUMNS] + [
        counts.by_priority.get(k, 0) for k in PRIORITY_KEYS
    ]


def _group_table(id_: str, title: str, first: list[str], groups: list[GroupCounts], totals: Counts) -> Table:
    village = id_ == "by_village"
    rows: list[list[Cell]] = []
    for group in groups:
        names: list[Cell] = [group.district or "", group.label] if village else [group.label]
        rows.append(names + _count_cells(group))
    blank: list[Cell] = [""] if village else []
    columns = (
        first
        + list(COUNT_COLUMNS.values())
        + [f"新增{name.split()[0]}" for name in PRIORITY_COLUMNS.values()]
    )
    text: list[Kind] = ["text"]
    count: list[Kind] = ["int"]
    kinds = text * len(first) + count * (len(COUNT_COLUMNS) + len(PRIORITY_KEYS))
    return Table(id_, title, columns, kinds, rows, total=[*blank, "合计", *_count_cells(totals)])


def _totals_table(report: WeeklyReport) -> Table:
    rows: list[list[Cell]] = []
    for name, label in COUNT_COLUMNS.items():
        rows.append(
            [
                label,
                getattr(report.totals, name),
                getattr(report.previous, name),
                getattr(report.change, name),
            ]
        )
    for key, label in PRIORITY_COLUMNS.items():
        rows.append(
            [
                f"新增{label}",
                report.totals.by_priority.get(key, 0),
                report.previous.by_priority.get(key, 0),
                report.change.by_priority.get(key, 0),
            ]
        )
    return Table(
        "totals",
        "汇总",
        ["项目", f"本期 {report.period}", f"上期 {report.previous_period}", "变化"],
        ["text", "int", "int", "change"],
        rows,
    )


def report_tables(report: WeeklyReport) -> list[Table]:
    """Every table of the report, in reading order."""
    trend = Table(
        "trend",
        "趋势",
        ["周期", "起始日", "新增", "整改销号", "期末在办"],
        ["text", "date", "int", "int", "int"],
        [[p.period, p.start.date(), p.new, p.resolved, p.in_progress] for p in report.trend],
    )
    top = Table(
        "top_rules",
        "高发规则",
        ["规则", "名称", "新增案件", "其中P1", "告警数"],
        ["text", "text", "int", "int", "int"],
        [[r.rule_id, r.title or "", r.cases, r.p1, r.alerts] for r in report.top_rules],
        note="按本期新增案件中命中该规则的案件数排序；告警数为本期命中该规则的上报条数。",
    )
    confidence = round(report.precision_confidence * 100)
    precision = Table(
        "precision",
        "规则准确率",
        [
            "规则",
            "名称",
            "告警数",
            "案件数",
            "已处置",
            "属实",
            "误报",
            "重复",
            "准确率",
            "区间下限",
            "区间上限",
        ],
        ["text", "text", "int", "int", "int", "int", "int", "int", "percent", "percent", "percent"],
        [
            [
                r.rule_id,
                r.title or "",
                r.alerts,
                r.cases,
                r.dispositions,
                r.confirmed,
                r.false_alarm,
                r.duplicate,
                r.precision,
                r.low,
                r.high,
            ]
            for r in report.precision
        ],
        note="准确率 = 属实 ÷ (属实 + 误报)，按截至期末已办结案件的处置结论计算；"
        f"区间为 Wilson {confidence}% 置信区间。",
    )
    return [
        _totals_table(report),
        _group_table("by_district", "按管区", ["管区"], report.by_district, report.totals),
        _group_table("by_village", "按村", ["管区", "村"], report.by_village, report.totals),
        _group_table("by_category", "按类别", ["类别"], report.by_category, report.totals),
        trend,
        top,
        precision,
    ]


def format_cell(value: Cell, kind: Kind) -> str:
    """A cell as text: counts as digits, changes signed, fractions as percentages, None as —."""
    if value is None or value == "":
        return "—" if kind != "text" else ""
    if kind == "change" and isinstance(value, int):
        return f"+{value}" if value > 0 else str(value)
    if kind == "percent" and isinstance(value, float):
        return f"{value * 100:.1f}%"
    if isinstance(value, date):
        return value.isoformat()
    return str(value)
