"""What ``--format table`` keeps of one screened record: its line, and its 待补充证据 row.

The entries :class:`~.compact.Compacting` makes for the table, in this process or in the
workers of ``--jobs``: an alert's :class:`~.table.AlertLine` with its row of evidence to
collect (``None`` unless missing evidence could make it more urgent), made from the alert's
plain data or its model, and an undecided no-alert record's row. Imported for the table
only (it brings rich).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ..models import Alert, UndecidedRecord
from ..settings import Settings
from .table import AlertLine
from .tocollect import CollectRow, alert_data_row, alert_row, undecided_row

__all__ = ["TableEntry", "alert_data_entry", "alert_entry", "undecided_entry"]

#: An alert as the table keeps it: its line, and its row of evidence to collect (or ``None``).
TableEntry = tuple[AlertLine, CollectRow | None]


def alert_entry(alert: Alert, settings: Settings) -> TableEntry:
    """The table's entry for ``alert``."""
    return AlertLine.of(alert), alert_row(alert, settings)


def alert_data_entry(data: Mapping[str, Any], settings: Settings) -> TableEntry:
    """The table's entry for an alert given as its plain data (:meth:`Screener.screen_plain`'s)."""
    return AlertLine.of_data(data), alert_data_row(data, settings)


def undecided_entry(entry: UndecidedRecord, settings: Settings) -> CollectRow:
    """The 待补充证据 row of an undecided record without an alert."""
    return undecided_row(entry.observation_id, entry.could_be, entry.insufficient, settings)
