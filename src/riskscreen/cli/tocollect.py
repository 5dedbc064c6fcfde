"""The table's section 待补充证据: for each undecided record, what to go and collect.

A record is undecided when missing values could make it more urgent (see
:mod:`riskscreen.undecided`). The section names the record, what it is now, what it could
be, and the fields whose collection could change that, the most telling first.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from rich.console import Console, RenderableType
from rich.table import Table

from .. import undecided as trust
from ..i18n import text as say
from ..models import Alert, Insufficient, Priority, UndecidedRecord
from ..results import alert_data_of
from ..settings import Settings
from .chunkedtable import print_table

__all__ = [
    "CollectRow",
    "alert_data_row",
    "alert_row",
    "collect_rows",
    "print_to_collect",
    "undecided_row",
    "write_to_collect",
]

#: Missing fields shown per record before the rest are counted.
_FIELDS_SHOWN = 6

#: (id, now, could be, fields to collect, rules they decide) for one undecided record.
CollectRow = tuple[str, str, Priority, str, str]


def _fields(entries: Sequence[Insufficient]) -> str:
    """The missing fields of ``entries`` (a failing rule named as such), without repeats."""
    fields = list(dict.fromkeys(path for entry in entries for path in entry.missing))
    failed = [entry.rule_id for entry in entries if entry.error is not None and not entry.missing]
    shown = fields[:_FIELDS_SHOWN]
    if len(fields) > _FIELDS_SHOWN:
        shown.append(say("table.more_fields", count=len(fields)))
    shown.extend(say("table.rule_failed", rule=rule_id) for rule_id in failed)
    return "、".join(shown)


def alert_row(alert: Alert, settings: Settings) -> CollectRow | None:
    """The row of an alert that missing evidence could make more urgent; ``None`` for others."""
    if alert.could_be is None:
        return None
    return alert_data_row(alert_data_of(alert), settings)


def alert_data_row(alert: Mapping[str, Any], settings: Settings) -> CollectRow | None:
    """:func:`alert_row` of an alert given as its fields (findings as dicts of theirs)."""
    could_be = alert["could_be"]
    if could_be is None:
        return None
    findings = alert["findings"]
    scores = [f["score"] for f in findings]
    critical = any(f["severity"] == "critical" for f in findings)
    wanted = trust.to_collect(scores, critical, alert["priority"], alert["insufficient"], settings)
    now = f"{alert['priority']} {alert['band']}"
    return (alert["observation_id"], now, could_be, _fields(wanted), _rules(wanted))


def undecided_row(
    observation_id: str, could_be: Priority, insufficient: Sequence[Insufficient], settings: Settings
) -> CollectRow:
    """The row of a record without an alert that missing evidence could make one."""
    wanted = trust.to_collect([], False, None, insufficient, settings)
    return (observation_id, say("table.no_alert"), could_be, _fields(wanted), _rules(wanted))


def collect_rows(
    alerts: Sequence[Alert], undecided: Sequence[UndecidedRecord], settings: Settings
) -> list[CollectRow]:
    """(id, now, could be, fields to collect, rules they decide) per undecided record.

    Most urgent ``could_be`` first; alerts before no-alert records of the same ``could_be``.
    """
    rows: list[tuple[tuple[str, str], CollectRow]] = []
    for alert in alerts:
        row = alert_row(alert, settings)
        if row is not None:
            rows.append(((row[2], alert.priority), row))
    for entry in undecided:
        row = undecided_row(entry.observation_id, entry.could_be, entry.insufficient, settings)
        rows.append(((entry.could_be, "P9"), row))
    rows.sort(key=lambda pair: pair[0])
    return [row for _, row in rows]


def _rules(entries: Sequence[Insufficient]) -> str:
    return "、".join(dict.fromkeys(entry.rule_id for entry in entries))


def _table() -> Table:
    table = Table(title=say("table.collect_title"), pad_edge=False)
    table.add_column(say("table.col.id"), overflow="fold", min_width=10)
    table.add_column(say("table.col.now"), no_wrap=True)
    table.add_column(say("table.col.could_be"), no_wrap=True)
    # room for a whole field name (one per line) at 80 columns; rule ids wrap between ids
    table.add_column(say("table.col.collect"), overflow="fold", ratio=1, min_width=26)
    table.add_column(say("table.col.rules"), overflow="fold", max_width=11)
    return table


def print_to_collect(console: Console, rows: Iterable[CollectRow], settings: Settings) -> None:
    """Print the section 待补充证据 from its rows, in order (nothing without rows).

    ``rows`` is read twice: a list, or a :class:`~.chunkedtable.Replay` for many.
    """
    names = {band.priority: band.name for band in settings.bands}

    def cells(row: CollectRow) -> list[RenderableType]:
        observation_id, now, could_be, fields, rules = row
        # one field per line and rule ids apart, so the table never breaks a name in two
        shown_fields, shown_rules = fields.replace("、", "\n"), rules.replace("、", " ")
        return [observation_id, now, f"{could_be} {names.get(could_be, '')}", shown_fields, shown_rules]

    print_table(console, _table, rows, cells)


def write_to_collect(
    console: Console, alerts: Sequence[Alert], undecided: Sequence[UndecidedRecord], settings: Settings
) -> None:
    """Print the section 待补充证据 (nothing when no record is undecided)."""
    print_to_collect(console, collect_rows(alerts, undecided, settings), settings)
