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

from collections.abc import Iterable, Mapping, Sequence
from datetime import datetime
from itertools import islice
from typing import Any, NamedTuple

from rich.cells import cell_len
from rich.console import Console, Group, RenderableType
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from ..i18n import text as say
from ..models import Alert, BatchWarning, ErrorRecord, Summary, UndecidedRecord
from ..settings import Settings
from .chunkedtable import print_table
from .notices import SHOWN
from .tocollect import CollectRow, collect_rows, print_to_collect

__all__ = ["P1_REPEATED", "AlertLine", "counts_line", "deadline_text", "write_sections", "write_table"]

_STYLES = {
    "red": "bold white on red",
    "orange": "bold black on dark_orange",
    "yellow": "bold black on yellow",
    "blue": "bold white on blue",
}
#: How many P1 alerts the closing summary repeats.
P1_REPEATED = 10


class AlertLine(NamedTuple):
    """What the table shows of one alert: small, so that many can be sorted on disk."""

    priority: str
    band: str
    color: str
    score: float
    observation_id: str
    #: The village, else the district, else ``-``.
    place: str
    respond_by: datetime
    #: The leading finding's title.
    title: str
    findings: int

    @classmethod
    def of(cls, alert: Alert) -> AlertLine:
        """The line of ``alert``."""
        return cls.of_data(alert.__dict__, alert.findings[0].title)

    @classmethod
    def of_data(cls, data: Mapping[str, Any], title: str | None = None) -> AlertLine:
        """The line of an alert given as its fields (findings as dicts, unless ``title`` is given)."""
        location = data["location"]
        findings = data["findings"]
        return cls(
            data["priority"],
            data["band"],
            data["color"],
            data["score"],
            data["observation_id"],
            location.village or location.district or "-",
            data["respond_by"],
            findings[0]["title"] if title is None else title,
            len(findings),
        )


def counts_line(summary: Summary) -> str:
    """Two lines that fit 80 columns: the alerts per priority, then the other counts.

    ``共 600 条记录：预警 239（P1 12，P2 80，P3 100，P4 47）`` and
    ``无预警 355，错误 6，待补充证据 30``.
    """
    levels = say("table.level_sep").join(f"{p} {n}" for p, n in summary.by_priority.items())
    return say(
        "table.counts",
        records=summary.records,
        alerts=summary.alerts,
        levels=levels,
        no_alert=summary.no_alert,
        errors=summary.errors,
        undecided=summary.undecided,
    )


def deadline_text(alert: Alert | AlertLine, now: datetime) -> Text:
    """``2026-07-01 11:00``, followed by 逾期 in red once ``now`` is past it."""
    text = Text(alert.respond_by.strftime("%Y-%m-%d %H:%M"))
    if alert.respond_by < now:
        text.append(" " + say("table.overdue"), style="bold red")
    return text


def _risk(line: AlertLine, width: int) -> Text:
    """The leading title, shortened with … to ``width`` cells (the count of findings kept whole)."""
    more = (
        say("table.more_findings", count=line.findings, more=line.findings - 1) if line.findings > 1 else ""
    )
    title = Text(line.title)
    room = max(width - cell_len(more), 2)
    if title.cell_len > room:
        title.truncate(room, overflow="ellipsis")
    if more:
        title.append(more, style="dim")
    return title


class _AlertColumns:
    """The alerts table's columns, and the cells of one alert, for a console ``width`` wide.

    rich never narrows a column that may not wrap, it crops the line: so the title column
    is given what the other columns leave of the console's width, and titles are shortened
    to it here (six columns: seven borders and ten cells of padding). Below 100 columns the
    score gives its room to the title: the priority already ranks.
    """

    def __init__(self, lines: Iterable[AlertLine], now: datetime, width: int) -> None:
        self.scores = width >= 100
        priority, score, ident, place = cell_len(say("table.col.priority")), 4, 10, 4
        for line in lines:
            priority = max(priority, cell_len(f"{line.priority} {line.band}"))
            score = max(score, len(f"{line.score:.1f}"))
            ident = max(ident, cell_len(line.observation_id))
            place = max(place, cell_len(line.place))
        # a date and time, then the overdue mark
        self.deadline = max(16 + 1 + cell_len(say("table.overdue")), cell_len(say("table.col.deadline")))
        fixed = [priority, score if self.scores else 0, min(16, ident), min(6, place), self.deadline]
        columns = 6 if self.scores else 5
        self.room = max(width - sum(fixed) - (columns + 1) - (2 * columns - 2), 8)
        self.now = now

    def table(self) -> Table:
        """A new table with the columns and no rows."""
        table = Table(title=say("table.alerts_title"), expand=False, pad_edge=False)
        # fixed minimum widths keep the priority, the date and the 逾期 mark whole at 80 columns;
        # the title takes what is left and is shortened with …, never broken inside a word
        table.add_column(say("table.col.priority"), no_wrap=True, min_width=7)
        if self.scores:
            table.add_column(say("table.col.score"), justify="right", no_wrap=True, min_width=4)
        table.add_column(say("table.col.id"), no_wrap=True, overflow="ellipsis", min_width=10, max_width=16)
        table.add_column(say("table.col.place"), no_wrap=True, overflow="ellipsis", min_width=4, max_width=6)
        table.add_column(say("table.col.deadline"), no_wrap=True, min_width=self.deadline)
        table.add_column(say("table.col.risk"), no_wrap=True, overflow="ellipsis", min_width=8)
        return table

    def cells(self, line: AlertLine) -> list[RenderableType]:
        """The row of one alert."""
        priority = Text(f"{line.priority} {line.band}", style=_STYLES.get(line.color, ""))
        score: list[RenderableType] = [f"{line.score:.1f}"] if self.scores else []
        return [
            priority,
            *score,
            line.observation_id,
            line.place,
            deadline_text(line, self.now),
            _risk(line, self.room),
        ]


def _errors_table() -> Table:
    table = Table(title=say("table.errors_title"), pad_edge=False)
    # numbered from 1 as people count records (the JSON's index counts from 0)
    table.add_column(say("table.col.record"), justify="right", no_wrap=True)
    table.add_column(say("table.col.id"), overflow="fold", max_width=14)
    table.add_column(say("table.col.field"), overflow="fold", max_width=18)
    table.add_column(say("table.col.reason"), overflow="fold", ratio=1, min_width=20)
    return table


def _error_cells(error: ErrorRecord) -> list[RenderableType]:
    return [str(error.index + 1), error.id or "-", error.field or "-", error.message]


def _closing(first: Sequence[AlertLine], summary: Summary, now: datetime) -> Panel:
    """The counts again, with the first P1 alerts, so they never scroll out of sight."""
    lines: list[Text] = [Text(counts_line(summary), style="bold")]
    if first:
        lines.append(Text(say("table.p1_first", count=summary.by_priority.get("P1", 0)), style="bold red"))
        for alert in first:
            line = Text(f"  {alert.observation_id}  {alert.place}  ")
            line.append_text(deadline_text(alert, now))
            line.append(f"  {alert.title}")
            line.no_wrap, line.overflow = True, "ellipsis"  # one line per alert; the title gives way
            lines.append(line)
        rest = summary.by_priority.get("P1", 0) - len(first)
        if rest > 0:
            lines.append(Text(say("table.p1_more", rest=rest), style="dim"))
    return Panel(Group(*lines), title=say("table.summary_title"), expand=False, padding=(0, 1))


def write_sections(
    console: Console,
    summary: Summary,
    *,
    shown: Iterable[AlertLine],
    not_shown: int,
    to_collect: Iterable[CollectRow],
    errors: Iterable[ErrorRecord],
    warnings: Iterable[BatchWarning],
    first_p1: Sequence[AlertLine],
    settings: Settings,
    now: datetime,
    limit: int | None = None,
) -> None:
    """The table from its parts, however many rows each has (see the module docstring).

    ``shown`` (the alerts in the table, most urgent first), ``to_collect`` and ``errors``
    are each read a few times (lists, or :class:`~.chunkedtable.Replay` when there are
    more than memory should hold); ``warnings`` once; ``first_p1`` are the closing's P1
    alerts; ``not_shown`` counts the alerts ``limit`` left out.
    """
    console.print(Text(counts_line(summary), style="bold"))
    alerts = _AlertColumns(shown, now, console.width)
    print_table(console, alerts.table, shown, alerts.cells)
    if not_shown:
        console.print(say("table.not_shown", count=not_shown, limit=limit), markup=False)
    print_to_collect(console, to_collect, settings)
    print_table(console, _errors_table, errors, _error_cells)
    counted = 0
    for warning in warnings:
        counted += 1
        if counted <= SHOWN:
            line = say("table.warning", line=warning.index + 1, id=warning.id or "-", message=warning.message)
            console.print(line, markup=False)
    if counted > SHOWN:
        console.print(say("table.more_warnings", count=counted - SHOWN), markup=False)
    console.print(_closing(first_p1, summary, now))


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
    """Everything a person needs from a batch held in memory, most urgent first.

    ``riskscreen screen`` writes the same table from results spilled to disk
    (:mod:`.tablestream`).
    """
    shown = alerts if limit is None else alerts[:limit]
    first_p1 = list(islice((a for a in alerts if a.priority == "P1"), P1_REPEATED))
    chosen = settings or Settings()
    write_sections(
        console,
        summary,
        shown=[AlertLine.of(a) for a in shown],
        not_shown=len(alerts) - len(shown),
        to_collect=collect_rows(alerts, undecided, chosen),
        errors=errors,
        warnings=warnings,
        first_p1=[AlertLine.of(a) for a in first_p1],
        settings=chosen,
        now=now,
        limit=limit,
    )
