"""The table ``riskscreen screen`` prints for people, at 80 columns and wider.

Read top to bottom it answers, in order: how many of each priority (a header), which
alerts to act on first (P1 at the top; ``--limit`` keeps the table short), what evidence
to go and collect (待补充证据), which records could not be screened (numbered from 1, as
people count records, with the full message), and the counts again at the end with the
P1 alerts repeated, so they are on screen however long the table was.

Titles are never broken inside a word: a title too long for its column is shortened with
…; the full titles and messages are in ``--format json``. Deadlines carry the full date
and 逾期 once ``now`` (``--now``, default the clock) is past them.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from rich.cells import cell_len
from rich.console import Console, Group
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from ..models import Alert, BatchWarning, ErrorRecord, Summary, UndecidedRecord
from ..settings import Settings
from .notices import SHOWN
from .tocollect import write_to_collect

__all__ = ["P1_REPEATED", "counts_line", "deadline_text", "write_table"]

_STYLES = {
    "red": "bold white on red",
    "orange": "bold black on dark_orange",
    "yellow": "bold black on yellow",
    "blue": "bold white on blue",
}
#: How many P1 alerts the closing summary repeats.
P1_REPEATED = 10


def counts_line(summary: Summary) -> str:
    """Two lines that fit 80 columns: the alerts per priority, then the other counts.

    ``共 600 条记录：预警 239（P1 12，P2 80，P3 100，P4 47）`` and
    ``无预警 355，错误 6，待补充证据 30``.
    """
    levels = "，".join(f"{p} {n}" for p, n in summary.by_priority.items())
    return (
        f"共 {summary.records} 条记录：预警 {summary.alerts}（{levels}）\n"
        f"无预警 {summary.no_alert}，错误 {summary.errors}，待补充证据 {summary.undecided}"
    )


def deadline_text(alert: Alert, now: datetime) -> Text:
    """``2026-07-01 11:00``, followed by 逾期 in red once ``now`` is past it."""
    text = Text(alert.respond_by.strftime("%Y-%m-%d %H:%M"))
    if alert.respond_by < now:
        text.append(" 逾期", style="bold red")
    return text


def _place(alert: Alert) -> str:
    return alert.location.village or alert.location.district or "-"


def _risk(alert: Alert, width: int) -> Text:
    """The leading title, shortened with … to ``width`` cells (the count of findings kept whole)."""
    more = f" 等{len(alert.findings)}项" if len(alert.findings) > 1 else ""
    title = Text(alert.findings[0].title)
    room = max(width - cell_len(more), 2)
    if title.cell_len > room:
        title.truncate(room, overflow="ellipsis")
    if more:
        title.append(more, style="dim")
    return title


def _alerts_table(alerts: Sequence[Alert], now: datetime, width: int) -> Table:
    # rich never narrows a column that may not wrap, it crops the line: so the title column
    # is given what the other columns leave of the console's width, and titles are shortened
    # to it here (six columns: seven borders and ten cells of padding)
    # below 100 columns the score gives its room to the title: the priority already ranks
    scores = width >= 100
    fixed = [
        max(cell_len("优先级"), *(cell_len(f"{a.priority} {a.band}") for a in alerts)),
        max(4, *(len(f"{a.score:.1f}") for a in alerts)) if scores else 0,
        min(16, max(10, *(cell_len(a.observation_id) for a in alerts))),
        min(6, max(4, *(cell_len(_place(a)) for a in alerts))),
        21,
    ]
    columns = 6 if scores else 5
    room = max(width - sum(fixed) - (columns + 1) - (2 * columns - 2), 8)
    table = Table(title="风险预警 (prioritized alerts)", expand=False, pad_edge=False)
    # fixed minimum widths keep the priority, the date and the 逾期 mark whole at 80 columns;
    # the title takes what is left and is shortened with …, never broken inside a word
    table.add_column("优先级", no_wrap=True, min_width=7)
    if scores:
        table.add_column("分数", justify="right", no_wrap=True, min_width=4)
    table.add_column("编号", no_wrap=True, overflow="ellipsis", min_width=10, max_width=16)
    table.add_column("地点", no_wrap=True, overflow="ellipsis", min_width=4, max_width=6)
    table.add_column("处置时限", no_wrap=True, min_width=21)
    table.add_column("风险", no_wrap=True, overflow="ellipsis", min_width=8)
    for alert in alerts:
        priority = Text(f"{alert.priority} {alert.band}", style=_STYLES.get(alert.color, ""))
        score = [f"{alert.score:.1f}"] if scores else []
        table.add_row(
            priority,
            *score,
            alert.observation_id,
            _place(alert),
            deadline_text(alert, now),
            _risk(alert, room),
        )
    return table


def _errors_table(errors: Sequence[ErrorRecord]) -> Table:
    table = Table(title="无法筛查的记录 (records with errors)", pad_edge=False)
    # numbered from 1 as people count records (the JSON's index counts from 0)
    table.add_column("第几条", justify="right", no_wrap=True)
    table.add_column("编号", overflow="fold", max_width=14)
    table.add_column("字段", overflow="fold", max_width=18)
    table.add_column("原因", overflow="fold", ratio=1, min_width=20)
    for error in errors:
        table.add_row(str(error.index + 1), error.id or "-", error.field or "-", error.message)
    return table


def _closing(alerts: Sequence[Alert], summary: Summary, now: datetime) -> Panel:
    """The counts again, with the first P1 alerts, so they never scroll out of sight."""
    lines: list[Text] = [Text(counts_line(summary), style="bold")]
    first = [a for a in alerts if a.priority == "P1"][:P1_REPEATED]
    if first:
        lines.append(Text(f"P1 重大，最先处置（{summary.by_priority.get('P1', 0)} 条）：", style="bold red"))
        for alert in first:
            line = Text(f"  {alert.observation_id}  {_place(alert)}  ")
            line.append_text(deadline_text(alert, now))
            line.append(f"  {alert.findings[0].title}")
            line.no_wrap, line.overflow = True, "ellipsis"  # one line per alert; the title gives way
            lines.append(line)
        rest = summary.by_priority.get("P1", 0) - len(first)
        if rest > 0:
            lines.append(Text(f"  …… 另有 {rest} 条 P1（见上表或 --format json）", style="dim"))
    return Panel(Group(*lines), title="汇总 (summary)", expand=False, padding=(0, 1))


def write_table(
    console: Console,
    alerts: Sequence[Alert],
    errors: Sequence[ErrorRecord],
    summary: Summary,
    warnings: Sequence[BatchWarning] = (),
    undecided: Sequence[UndecidedRecord] = (),
    settings: Settings | None = None,
    *,
    now: datetime,
    limit: int | None = None,
) -> None:
    """Everything a person needs from a batch, most urgent first (see the module docstring)."""
    console.print(Text(counts_line(summary), style="bold"))
    shown = alerts if limit is None else alerts[:limit]
    if shown:
        console.print(_alerts_table(shown, now, console.width))
    if len(shown) < len(alerts):
        console.print(
            f"…… 另有 {len(alerts) - len(shown)} 条预警未显示（--limit {limit}；全部见 --format json）",
            markup=False,
        )
    write_to_collect(console, alerts, undecided, settings or Settings())
    if errors:
        console.print(_errors_table(errors))
    for warning in warnings[:SHOWN]:
        where = f"第 {warning.index + 1} 条（{warning.id or '-'}）"
        console.print(f"注意：{where}：{warning.message}", markup=False)
    if len(warnings) > SHOWN:
        console.print(
            f"注意：另有 {len(warnings) - SHOWN} 条警告未显示（全部见 --format json）", markup=False
        )
    console.print(_closing(alerts, summary, now))
