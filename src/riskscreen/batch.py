"""Collecting per-record results into a batch: sorted alerts, error records, counts, warnings."""

from __future__ import annotations

from typing import Any

from . import i18n, scoring
from .models import Alert, BatchResult, BatchWarning, ErrorRecord, ScreenResult, Summary, UndecidedRecord

__all__ = ["BatchCollector"]


class BatchCollector:
    """Accumulates results in any order; :meth:`result` sorts the alerts.

    Only alerts, undecided no-alert records, errors and warnings are kept, so memory grows
    with what must be reported, not with the number of records. A repeated observation id
    is reported as a warning and the record is still screened; a record's own warnings
    (unknown attributes) are collected as batch warnings too, so that no-alert records'
    warnings are not lost.
    """

    def __init__(self) -> None:
        # plain counters: a pydantic model's attribute assignment costs a microsecond a time
        self._counts = {"records": 0, "alerts": 0, "no_alert": 0, "errors": 0, "undecided": 0}
        self._by_priority = {"P1": 0, "P2": 0, "P3": 0, "P4": 0}
        self._keyed: list[tuple[tuple[Any, ...], Alert]] = []
        self.errors: list[ErrorRecord] = []
        self.warnings: list[BatchWarning] = []
        self._undecided: list[tuple[tuple[str, int], UndecidedRecord]] = []
        self._first_index: dict[str, int] = {}

    def add(self, result: ScreenResult) -> None:
        """Count one result."""
        counts = self._counts
        counts["records"] += 1
        if result.observation_id is not None:
            first = self._first_index.setdefault(result.observation_id, result.index)
            if first != result.index:
                self.warnings.append(
                    BatchWarning(
                        index=result.index,
                        id=result.observation_id,
                        message=i18n.text("record.duplicate_id", first=first + 1, first_index=first),
                    )
                )
        if result.warnings:
            self.warnings.extend(
                BatchWarning(index=result.index, id=result.observation_id, message=text)
                for text in result.warnings
            )
        if result.undecided:
            counts["undecided"] += 1
        if result.alert is not None:
            counts["alerts"] += 1
            self._by_priority[result.alert.priority] += 1
            self._keyed.append((scoring.alert_sort_key(result.alert, result.index), result.alert))
        elif result.error is not None:
            counts["errors"] += 1
            self.errors.append(result.error)
        else:
            counts["no_alert"] += 1
            if result.undecided and result.could_be is not None and result.observation_id is not None:
                entry = UndecidedRecord(
                    observation_id=result.observation_id,
                    could_be=result.could_be,
                    insufficient=result.insufficient,
                    warnings=result.warnings,
                )
                self._undecided.append(((result.could_be, result.index), entry))

    @property
    def summary(self) -> Summary:
        """The counts so far; ``alerts + no_alert + errors == records``."""
        return Summary(**self._counts, by_priority=dict(self._by_priority))

    def result(self) -> BatchResult:
        """The batch so far: alerts sorted, errors and warnings in input order."""
        self._keyed.sort(key=lambda pair: pair[0])
        self._undecided.sort(key=lambda pair: pair[0])
        return BatchResult(
            alerts=[alert for _, alert in self._keyed],
            undecided=[entry for _, entry in self._undecided],
            errors=sorted(self.errors, key=lambda e: e.index),
            warnings=sorted(self.warnings, key=lambda w: w.index),
            summary=self.summary,
        )
