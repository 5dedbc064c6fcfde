"""Cases as terminal tables for people."""

from __future__ import annotations

from datetime import datetime

from rich.cells import cell_len
from rich.console import Console
from rich.table import Table
from rich.text import Text

from ..store.messages import say
from ..store.models import Case, StoredReport
from ..store.tracker import CaseDetail
from .common import stdout_console

__all__ = ["print_case", "print_cases", "print_unscreened", "table_console"]


def table_console() -> Console:
    """Standard output for tables: the terminal's width, or 160 columns when piped."""
    console = stdout_console(highlight=False)
    return console if console.is_terminal else stdout_console(highlight=False, width=160)


_STYLES = {
    "P1": "bold white on red",
    "P2": "bold black on dark_orange",
    "P3": "bold black on yellow",
    "P4": "bold white on blue",
}


#: Columns of the case table never shortened: case id, priority, reports, deadline.
_WHOLE_COLUMNS = frozenset({0, 2, 5, 7})


def _time(value: datetime | None) -> str:
    return "" if value is None else f"{value:%Y-%m-%d %H:%M}"


def _priority(case: Case) -> Text:
    if case.priority is None:
        return Text(f"?{case.could_be}" if case.could_be else "?")
    return Text(case.priority, style=_STYLES.get(case.priority, ""))


def _fit(natural: list[int], width: int, gap: int = 2, least: int = 4) -> list[int]:
    """Column widths within ``width``: the case id, priority, count and deadline stay whole
    (people act on them); status, category, village and tier give up cells in proportion to
    their width, down to ``least``, and end in … where cut."""
    excess = sum(natural) + gap * (len(natural) - 1) - width
    spare = {n: natural[n] - least for n in range(len(natural)) if n not in _WHOLE_COLUMNS}
    spare = {n: cells for n, cells in spare.items() if cells > 0}
    if excess <= 0 or not spare:
        return natural
    total = sum(spare.values())
    cut = {n: min(cells, excess * cells // total) for n, cells in spare.items()}
    # the cells rounding left over come off the widest columns that can still give
    for n in sorted(spare, key=lambda n: -spare[n]):
        if sum(cut.values()) >= excess:
            break
        cut[n] += min(spare[n] - cut[n], excess - sum(cut.values()))
    return [width - cut.get(n, 0) for n, width in enumerate(natural)]


def print_cases(console: Console, cases: list[Case], unscreened: int | None) -> None:
    """One row per case, and how many unscreened (error) records the store keeps."""
    table = Table(show_lines=False, box=None, header_style="bold", pad_edge=False)
    rows: list[list[Text]] = []
    for case in cases:
        due = Text(_time(case.respond_by), style="bold red" if case.overdue else "")
        if case.overdue:
            due.append(" " + say("overdue"), style="bold red")
        status = case.status + (f" ({case.disposition})" if case.disposition else "")
        if case.priority is None:
            status += " " + say("undecided")
        rows.append(
            [
                Text(case.id),
                Text(status),
                _priority(case),
                Text(case.category),
                Text(case.village or ""),
                Text(str(case.reports)),
                Text(case.escalate_to),
                due,
            ]
        )
    headers = say("columns").split("|")
    natural = [max([cell_len(h), *(row[n].cell_len for row in rows)]) for n, h in enumerate(headers)]
    for header, width in zip(headers, _fit(natural, console.width), strict=True):
        table.add_column(header, no_wrap=True, overflow="ellipsis", width=width)
    for row in rows:
        table.add_row(*row)
    console.print(table)
    line = say("list.count", count=len(cases), s="" if len(cases) == 1 else "s")
    if unscreened:
        line += say("list.unscreened", count=unscreened, s="" if unscreened == 1 else "s")
    console.print(line, markup=False)


def print_case(console: Console, detail: CaseDetail) -> None:
    """A case, its log, and its reports with their findings."""
    case = detail.case
    print_cases(console, [case], None)
    extra = [say("show.score", score=case.score), say("show.opened", at=_time(case.opened_at))]
    if case.assignee:
        extra.append(say("show.assignee", name=case.assignee))
    if case.closed_at:
        extra.append(say("show.closed", at=_time(case.closed_at)))
    console.print(say("show.site", site=case.site), markup=False, soft_wrap=True)
    console.print("  ".join(extra), markup=False)
    log = Table(box=None, show_header=False, pad_edge=False, title=say("show.log"), title_justify="left")
    for entry in case.log:
        # who and why are typed by people: shown as written, never read as rich markup
        log.add_row(_time(entry.at), Text(entry.by), Text(entry.what), Text(entry.note))
    console.print()
    console.print(log)
    console.print("\n" + say("show.reports"), style="bold")
    for report in detail.reports:
        observation = detail.observations.get(report.observation_id or "", {})
        score = "" if report.score is None else f" {report.score}"
        when = _time(report.reported_at)
        console.print(
            f"  {when}  {report.observation_id}  {report.status} {report.priority or ''}{score}", markup=False
        )
        if observation.get("description"):
            console.print(f"      {observation['description']}", markup=False, soft_wrap=True)
        for finding in detail.findings.get(report.observation_id or "", []):
            line = f"      {finding['rule_id']} ({finding['severity']}): {finding['message']}"
            console.print(line, markup=False, soft_wrap=True)


def print_unscreened(console: Console, kept: list[StoredReport]) -> None:
    """The error records the store keeps: id, when received, what was wrong."""
    table = Table(show_lines=False, box=None, header_style="bold", pad_edge=False)
    for column in say("unscreened.columns").split("|"):
        table.add_column(column)
    for record in kept:
        table.add_row(
            Text(record.observation_id or "-"),
            _time(record.received_at),
            Text(record.village or ""),
            Text(record.error or ""),
        )
    console.print(table)
    console.print(say("unscreened.count", count=len(kept), s="" if len(kept) == 1 else "s"), markup=False)
