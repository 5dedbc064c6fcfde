"""The report as Markdown: the same tables as the HTML page, without the charts."""

from __future__ import annotations

import re
from datetime import timedelta

from .model import WeeklyReport
from .tables import Table, format_cell, report_tables

__all__ = ["render_markdown"]


# Markdown's own characters: a village or a title comes from reports and rule packs, so it
# is shown as written, never as emphasis, a link or HTML (and a | never splits a cell)
_SPECIAL = re.compile(r"([\\`*_\[\]<>|#])")


def _escape(text: str) -> str:
    return _SPECIAL.sub(r"\\\1", text.replace("\n", " "))


def _table(table: Table) -> list[str]:
    lines = [f"## {table.title}", ""]
    lines.append("| " + " | ".join(_escape(c) for c in table.columns) + " |")
    lines.append("|" + "|".join("---" if k == "text" else "---:" for k in table.kinds) + "|")
    rows = list(table.rows)
    if table.total is not None and rows:
        rows.append(table.total)
    if not rows:
        lines.append("| 无 |" + " |" * (len(table.columns) - 1))
    for cells in rows:
        lines.append(
            "| "
            + " | ".join(_escape(format_cell(c, k)) for c, k in zip(cells, table.kinds, strict=True))
            + " |"
        )
    if table.note:
        lines += ["", table.note]
    return [*lines, ""]


def render_markdown(report: WeeklyReport, title: str = "风险隐患周报表") -> str:
    """The report as a Markdown document."""
    last = (report.end - timedelta(days=1)).date().isoformat()
    lines = [
        f"# {title}（{report.period}）",
        "",
        f"统计期间：{report.start.date().isoformat()} 至 {last}（{report.timezone}）；"
        f"生成时间：{report.generated_at.strftime('%Y-%m-%d %H:%M')}；案件库共 {report.cases} 件。",
        "",
    ]
    if report.empty:
        lines += [f"**本期（{report.period}）没有案件活动：无新增、无在办、无整改销号。**", ""]
    for table in report_tables(report):
        lines += _table(table)
    return "\n".join(lines)
