"""``riskscreen screen``'s table with memory bounded whatever the input size.

:class:`TableOutput` counts each result as it is screened (:mod:`.batchbooks`) and keeps only what the table
shows of it, in :class:`~riskscreen.spill.SortedSpill` runs on disk: each alert as a small
:class:`~.table.AlertLine` under its priority sort key, the 待补充证据 rows under their
could-be key, error records and warnings under their record's index, and ``(id, index)``
pairs whose merge finds repeated ids. The counts at the top are known once the input ends;
the sections are then read back in order, and each table is printed a chunk of rows at a
time (:mod:`.chunkedtable`), so no section is held whole either.

What is printed is, byte for byte, what :func:`~.table.write_table` prints for the same
batch held in memory (tested).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from rich.console import Console

from ..models import Priority, ScreenResult, Summary
from ..settings import Settings
from ..spill import SortedSpill, run_size_from_environment
from .batchbooks import BatchBooks
from .chunkedtable import Replay
from .compact import Compact, Compacting
from .table import P1_REPEATED, AlertLine, write_sections
from .tocollect import CollectRow

__all__ = ["TableOutput"]


class TableOutput:
    """Collects one batch's results for ``--format table`` and prints the table.

    ``min_priority`` leaves out less urgent alerts and undecided records (they are still
    counted), as the in-memory table does for the alerts and undecided records it is given.
    """

    def __init__(
        self, settings: Settings, *, min_priority: Priority | None = None, run_size: int | None = None
    ) -> None:
        self._settings = settings
        self._min = min_priority
        size = run_size if run_size is not None else run_size_from_environment()
        self._alerts: SortedSpill[tuple[Any, ...], AlertLine] = SortedSpill(size)
        # (could be, priority or P9 for no alert, then the alert's sort key or the index)
        self._collect: SortedSpill[tuple[str, str, tuple[Any, ...]], CollectRow] = SortedSpill(size)
        self._books = BatchBooks(size)
        self._job = self.job()

    def job(self) -> Compacting:
        """The per-record job whose :class:`~.compact.Compact` results :meth:`add_compact` takes."""
        return Compacting("table", self._min, self._settings)

    def add(self, result: ScreenResult) -> None:
        """Count one result and keep what the table shows of it."""
        self.add_compact(self._job.compact(result))

    def add_compact(self, item: Compact) -> None:
        """:meth:`add` for a result already made into what the table keeps (:meth:`job`'s)."""
        self._books.count(
            item.record_index, item.observation_id, item.warnings, item.undecided, item.priority, item.error
        )
        if item.shows == "alert":
            line, row = item.encoded
            self._alerts.add(item.key, line)
            if row is not None and item.priority is not None:
                self._collect.add((row[2], item.priority, item.key), row)
        elif item.shows == "undecided":
            could_be, index = item.key
            self._collect.add((could_be, "P9", (index,)), item.encoded)

    @property
    def summary(self) -> Summary:
        """The counts; ``alerts + no_alert + errors == records``."""
        return self._books.summary

    def write(self, console: Console, *, now: datetime, limit: int | None = None) -> Summary:
        """Print the table (once, after the last :meth:`add`); returns the counts.

        ``limit`` shows the most urgent alerts only; ``now`` is the time deadlines are
        overdue against.
        """
        summary = self.summary
        listed = len(self._alerts)
        with (
            Replay[AlertLine]() as shown,
            Replay(self._collect.values()) as to_collect,
            Replay(self._books.errors()) as errors,
        ):
            first_p1 = self._read_alerts(shown, limit)
            write_sections(
                console,
                summary,
                shown=shown,
                not_shown=listed - len(shown),
                to_collect=to_collect,
                errors=errors,
                warnings=self._books.warnings(),
                first_p1=first_p1,
                settings=self._settings,
                now=now,
                limit=limit,
            )
        return summary

    def _read_alerts(self, shown: Replay[AlertLine], limit: int | None) -> list[AlertLine]:
        """Copy the ``limit`` most urgent alerts to ``shown``; the first P1 alerts for the closing."""
        first_p1: list[AlertLine] = []
        try:
            for _, line in self._alerts.items():
                if limit is None or len(shown) < limit:
                    shown.append(line)
                if line.priority == "P1" and len(first_p1) < P1_REPEATED:
                    first_p1.append(line)
                # P1 sorts first: past the limit, a P2 or a tenth P1 ends what is needed
                full = limit is not None and len(shown) >= limit
                if full and (line.priority != "P1" or len(first_p1) == P1_REPEATED):
                    break
        finally:
            self._alerts.close()  # the runs not read to the end
        return first_p1
