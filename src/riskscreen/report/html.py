"""The report as one self-contained HTML page that prints on A4 portrait.

No external file, script or font: the charts are inline SVG whose labels are text, so the
page opens anywhere and the browser draws the Chinese with the fonts it has.
"""

from __future__ import annotations

from datetime import timedelta
from html import escape

from .charts import category_chart, trend_chart, village_chart
from .labels import PRIORITY_COLORS, PRIORITY_COLUMNS
from .model import WeeklyReport
from .tables import Table, format_cell, report_tables

__all__ = ["render_html"]

_CSS = """
@page { size: A4 portrait; margin: 12mm 10mm; }
* { box-sizing: border-box; }
body { font-family: "Noto Sans CJK SC", "Source Han Sans SC", "Microsoft YaHei", "PingFang SC",
       "WenQuanYi Zen Hei", "SimHei", sans-serif; font-size: 10pt; color: #222;
       max-width: 190mm; margin: 8mm auto; line-height: 1.45; }
h1 { font-size: 16pt; margin: 0 0 2mm; }
h2 { font-size: 12pt; margin: 6mm 0 2mm; border-bottom: 1px solid #999; padding-bottom: 1mm; }
.meta { color: #555; font-size: 9pt; margin: 0 0 3mm; }
.empty { border: 2px solid #d62728; padding: 3mm 4mm; font-size: 12pt; margin: 4mm 0; }
.cards { display: flex; gap: 3mm; margin: 3mm 0; }
.card { flex: 1; border: 1px solid #ccc; border-top: 4px solid #666; padding: 2mm 3mm; }
.card .n { font-size: 16pt; font-weight: bold; }
.card .d { color: #555; font-size: 8.5pt; }
table { border-collapse: collapse; width: 100%; font-size: 8pt; margin: 1mm 0 2mm; }
th, td { border: 1px solid #bbb; padding: 0.5mm 1.1mm; }
th { background: #eee; font-weight: bold; text-align: center; white-space: nowrap; }
td { white-space: nowrap; }
td.w { white-space: normal; }
td.n { text-align: right; font-variant-numeric: tabular-nums; }
table#totals { width: auto; min-width: 55%; }
tr.total td { font-weight: bold; background: #f6f6f6; }
.note { color: #555; font-size: 8pt; margin: 0 0 2mm; }
figure { margin: 2mm 0; break-inside: avoid; }
svg.chart { width: 100%; height: auto; display: block; }
section { break-inside: auto; }
section.keep { break-inside: avoid; }
h2 { break-after: avoid; }
tr { break-inside: avoid; }
@media print { body { margin: 0; max-width: none; } }
"""

_KEEP_ROWS = 30
_CARDS = (
    ("new", "新增", "#d62728"),
    ("resolved", "整改销号", "#2ca02c"),
    ("in_progress", "期末在办", "#ff7f0e"),
    ("overdue", "超期", "#7f3f98"),
)


def _table(table: Table) -> str:
    head = "".join(f"<th>{escape(c)}</th>" for c in table.columns)
    lines = [f'<table id="{table.id}"><thead><tr>{head}</tr></thead><tbody>']
    # numbers right-aligned; rule titles may wrap, everything else stays on one line
    classes = [
        " class=n" if k != "text" else " class=w" if c == "名称" else ""
        for c, k in zip(table.columns, table.kinds, strict=True)
    ]

    def row(cells: list[object], css: str = "") -> str:
        tds = "".join(
            f"<td{css_class}>{escape(format_cell(cell, kind))}</td>"  # type: ignore[arg-type]
            for cell, kind, css_class in zip(cells, table.kinds, classes, strict=True)
        )
        return f"<tr{css}>{tds}</tr>"

    if not table.rows:
        lines.append(f'<tr><td colspan="{len(table.columns)}">无</td></tr>')
    lines.extend(row(list(cells)) for cells in table.rows)
    if table.total is not None and table.rows:
        lines.append(row(list(table.total), ' class="total"'))
    lines.append("</tbody></table>")
    if table.note:
        lines.append(f'<p class="note">{escape(table.note)}</p>')
    return "\n".join(lines)


def _section(table: Table) -> str:
    # a table that fits on a page is not split across two; a long one breaks between rows
    keep = ' class="keep"' if len(table.rows) <= _KEEP_ROWS else ""
    return f"<section{keep}><h2>{escape(table.title)}</h2>{_table(table)}</section>"


def _change(value: int) -> str:
    return f"较上期 {'+' if value > 0 else ''}{value}"


def render_html(report: WeeklyReport, title: str = "风险隐患周报表") -> str:
    """The report as an HTML document (a string)."""
    tables = {t.id: t for t in report_tables(report)}
    start = report.start.date().isoformat()
    end = (report.end - timedelta(days=1)).date().isoformat()
    parts = [
        "<!DOCTYPE html>",
        '<html lang="zh-CN"><head><meta charset="utf-8">',
        f"<title>{escape(title)} {escape(report.period)}</title>",
        f"<style>{_CSS}</style></head><body>",
        f"<h1>{escape(title)}（{escape(report.period)}）</h1>",
        f'<p class="meta">统计期间：{start} 至 {end}（{escape(report.timezone)}）· 生成时间：'
        f"{report.generated_at.strftime('%Y-%m-%d %H:%M')} · 案件库共 {report.cases} 件</p>",
    ]
    if report.empty:
        parts.append(
            f'<p class="empty" id="empty">本期（{escape(report.period)}）没有案件活动：'
            "无新增、无在办、无整改销号。</p>"
        )
    cards = "".join(
        f'<div class="card" style="border-top-color:{color}"><div>{label}</div>'
        f'<div class="n">{getattr(report.totals, name)}</div>'
        f'<div class="d">{_change(getattr(report.change, name))}</div></div>'
        for name, label, color in _CARDS
    )
    parts.append(f'<div class="cards">{cards}</div>')
    parts.append(_section(tables["totals"]))
    parts.append(f"<figure>{category_chart(report)}</figure>")
    parts.append(f"<figure>{trend_chart(report)}</figure>")
    for key in ("by_district", "by_village", "by_category"):
        parts.append(_section(tables[key]))
    parts.append(f"<figure>{village_chart(report)}</figure>")
    for key in ("top_rules", "precision", "trend"):
        parts.append(_section(tables[key]))
    legend = "、".join(
        f'<span style="color:{PRIORITY_COLORS[key]}">■</span>{name}' for key, name in PRIORITY_COLUMNS.items()
    )
    parts.append(
        '<p class="note">说明：案件为同一地点、同一类别的多次上报合并而成；'
        "期末在办 = 期初在办 + 新增 + 重新打开 − 整改销号；"
        f"超期为期末在办中已超过响应时限的案件。优先级颜色：{legend}。</p>"
    )
    parts.append("</body></html>")
    return "\n".join(parts) + "\n"
