"""What ``riskscreen screen`` keeps of every result whatever the output format, on disk.

The counts of the summary, the error records, each record's warnings and the warnings for
repeated ids. Error records and warnings are kept in :class:`~riskscreen.spill.SortedSpill`
runs under their record's index. Repeated ids are found in a dict of first sightings
while the input holds up to :data:`IDS_IN_MEMORY` distinct ids (records are counted in
input order, so the first sighting is the first record); past that, by spilling
``(id, index)`` pairs and merging them, so no per-record set grows with the input. The
formats' own collectors (:mod:`.spilled` for JSON, JSONL and CSV, :mod:`.tablestream` for
the table) keep what they show of alerts and undecided records next to it.
"""

from __future__ import annotations

from collections.abc import Iterator

from .. import i18n
from ..models import BatchWarning, ErrorRecord, Priority, ScreenResult, Summary
from ..spill import SortedSpill

__all__ = ["IDS_IN_MEMORY", "BatchBooks", "Counted", "counted", "shown_from"]

#: Distinct ids whose first record is kept in memory (about 7 MB) before they are spilled.
IDS_IN_MEMORY = 50_000


class BatchBooks:
    """Counts, error records and warnings of one batch, with memory bounded by ``run_size``."""

    def __init__(self, run_size: int) -> None:
        self._errors: SortedSpill[int, ErrorRecord] = SortedSpill(run_size)
        self._warnings: SortedSpill[tuple[int, int], BatchWarning] = SortedSpill(run_size)
        self._ids: SortedSpill[tuple[str, int], None] = SortedSpill(run_size)
        #: id -> index of its first record, until IDS_IN_MEMORY ids are known (then None)
        self._first: dict[str, int] | None = {}
        self._counts = {"records": 0, "alerts": 0, "no_alert": 0, "errors": 0, "undecided": 0}
        self._by_priority = {"P1": 0, "P2": 0, "P3": 0, "P4": 0}

    def add(self, result: ScreenResult) -> None:
        """Count one result; keep its error record and warnings."""
        self.count(*counted(result))

    def count(
        self,
        index: int,
        observation_id: str | None,
        warnings: list[str],
        undecided: bool,
        priority: Priority | None,
        error: ErrorRecord | None,
    ) -> None:
        """Count one record from its parts (``priority``: its alert's, ``None`` without one)."""
        counts = self._counts
        counts["records"] += 1
        if observation_id is not None:
            self._sighted(observation_id, index)
        for message in warnings:
            # after the repeated-id warning of the same record (key (index, 0)), as in memory
            self._warnings.add((index, 1), BatchWarning(index=index, id=observation_id, message=message))
        if undecided:
            counts["undecided"] += 1
        if priority is not None:
            counts["alerts"] += 1
            self._by_priority[priority] += 1
        elif error is not None:
            counts["errors"] += 1
            self._errors.add(index, error)
        else:
            counts["no_alert"] += 1

    def _sighted(self, observation_id: str, index: int) -> None:
        """Note record ``index``'s id: a repeated one is warned about (see the module documentation)."""
        first = self._first
        if first is None:
            self._ids.add((observation_id, index), None)
            return
        earlier = first.get(observation_id)
        if earlier is not None:
            self._repeated(observation_id, index, earlier)
        elif len(first) < IDS_IN_MEMORY:
            first[observation_id] = index
        else:  # too many to hold: from now on spilled, the first sightings with them
            for known, at in first.items():
                self._ids.add((known, at), None)
            self._ids.add((observation_id, index), None)
            self._first = None

    def _repeated(self, observation_id: str, index: int, first: int) -> None:
        # key (index, 0): before the record's own warnings (index, 1), as in memory
        message = i18n.text("record.duplicate_id", first=first + 1, first_index=first)
        self._warnings.add((index, 0), BatchWarning(index=index, id=observation_id, message=message))

    @property
    def summary(self) -> Summary:
        """The counts; ``alerts + no_alert + errors == records``."""
        return Summary(**self._counts, by_priority=dict(self._by_priority))

    def errors(self) -> Iterator[ErrorRecord]:
        """The error records in input order (once)."""
        return self._errors.values()

    def warnings(self) -> Iterator[BatchWarning]:
        """Every record's warnings and the repeated ids, in input order (once)."""
        previous: str | None = None
        first = 0
        for (observation_id, index), _ in self._ids.items():
            if observation_id != previous:
                previous, first = observation_id, index
                continue
            self._repeated(observation_id, index, first)
        return self._warnings.values()


#: What :meth:`BatchBooks.count` takes of a result, in its order.
Counted = tuple[int, str | None, list[str], bool, Priority | None, ErrorRecord | None]


def counted(result: ScreenResult) -> Counted:
    """The parts of ``result`` the books count: index, id, warnings, undecided, priority, error."""
    alert = result.alert
    priority = alert.priority if alert is not None else None
    return result.index, result.observation_id, result.warnings, result.undecided, priority, result.error


def shown_from(minimum: Priority | None, priority: Priority | None, could_be: Priority | None) -> bool:
    """Whether ``--min-priority minimum`` shows an alert (or an undecided no-alert record).

    Shown when its priority, or the priority it could be once the missing evidence is in,
    is ``minimum`` or more urgent: a P3 alert that could be P1 is not hidden by ``P2``.
    """
    if minimum is None:
        return True
    return (priority is not None and priority <= minimum) or (could_be is not None and could_be <= minimum)
