"""What ``riskscreen screen`` keeps of one result for JSON, JSONL and CSV: a few encoded bytes.

:class:`Compacting` screens a record and turns its result into a :class:`Compact`: the
fields the batch's books count (:mod:`.batchbooks`), whether the output shows the record,
its sort key and its encoded alert or undecided entry. It is the job
:func:`riskscreen.parallel.map_records` runs per record, in this process or in worker
processes: with ``--jobs N`` the workers screen *and encode*, and what comes back to the
parent is a short tuple of text, not result models to unpickle and encode again there.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from functools import partial
from typing import Any, NamedTuple

from pydantic import BaseModel

from .. import scoring
from ..models import ErrorRecord, Priority, ScreenResult, UndecidedRecord
from ..parallel import ScreensRecords
from ..results import alert_indented, alert_json
from ..screener import Screener
from ..settings import Settings
from ..steps import STEP, plain_in_steps
from .batchbooks import counted, shown_from
from .output import alert_data_row, alert_row, undecided_row

__all__ = ["Compact", "Compacting", "pretty"]

Encoder = Callable[[Any], Any]


def pretty(model: BaseModel) -> str:
    """A model as an element of ``--format json``'s document, before it is indented into it."""
    # what json.dump(indent=2) writes for the element, before it is indented into the document
    return json.dumps(model.model_dump(mode="json"), ensure_ascii=False, indent=2)


def _line(model: BaseModel) -> bytes:
    # JSON lines stay UTF-8 bytes from the serializer to the output: nothing decodes them
    return model.__pydantic_serializer__.to_json(model)


_ENCODERS: dict[str, tuple[Encoder, Encoder]] = {
    "json": (pretty, pretty),
    "jsonl": (_line, _line),
    "csv": (alert_row, undecided_row),
}


class Compact(NamedTuple):
    """One screened record as the JSON, JSONL and CSV writers need it (cheap to pickle)."""

    #: the record's position in the batch (``ScreenResult.index``)
    record_index: int
    observation_id: str | None
    warnings: list[str]
    undecided: bool
    #: the alert's priority; ``None`` for a no-alert or error record
    priority: Priority | None
    error: ErrorRecord | None
    #: ``"alert"``, ``"undecided"`` (an undecided no-alert record) or ``None``: nothing shown
    shows: str | None
    #: the sort key of what is shown (alerts: :func:`~riskscreen.scoring.alert_sort_key`;
    #: undecided records: ``(could_be, index)``)
    key: Any
    #: the encoded alert or undecided entry: JSON lines' UTF-8 bytes, JSON's text, a CSV row,
    #: the table's entry (:mod:`.tablerows`)
    encoded: Any


#: how each format writes an alert from its plain data (``--format json``: ``None`` if unsure)
_DATA_ENCODERS: dict[str, Encoder] = {"json": alert_indented, "jsonl": alert_json, "csv": alert_data_row}
#: formats written from an alert's plain data (the table's entries too; the others from its model)
_FROM_DATA = frozenset({*_DATA_ENCODERS, "table"})


def _table(settings: Settings | None) -> tuple[Encoder, Encoder, Encoder]:
    """The table's encoders (:mod:`.tablerows`) of an alert model, an undecided entry and an alert's data."""
    from . import tablerows  # rich, for the table only

    settings = settings or Settings()
    return (
        partial(tablerows.alert_entry, settings=settings),
        partial(tablerows.undecided_entry, settings=settings),
        partial(tablerows.alert_data_entry, settings=settings),
    )


class Compacting:
    """The job that screens one record into a :class:`Compact` for ``output_format``.

    ``min_priority`` decides what is shown (hidden records are still counted); the table's
    rows of evidence to collect follow ``settings`` (the screener's). Its encoders are
    module-level functions (or partial applications of them), so it pickles to the workers
    of ``--jobs``.
    """

    def __init__(
        self, output_format: str, min_priority: Priority | None, settings: Settings | None = None
    ) -> None:
        self.output_format = output_format
        self.min_priority = min_priority
        self.settings = settings
        # how an alert model, an undecided entry and an alert's plain data are encoded
        if output_format == "table":
            self._encode_alert, self._encode_undecided, self._encode_data = _table(settings)
        else:
            self._encode_alert, self._encode_undecided = _ENCODERS[output_format]
            self._encode_data = _DATA_ENCODERS[output_format]

    def __call__(self, screener: ScreensRecords, data: Any, index: int) -> Compact:
        """Screen ``data`` (record number ``index``) and keep what the output needs."""
        if self.output_format in _FROM_DATA and isinstance(screener, Screener):
            # written from the alert's plain data: no models built for it
            return self._kept(screener, screener.screen_plain(data, index), index)
        return self.compact(screener.screen(data, index))

    def many(self, screener: ScreensRecords, records: Sequence[Any], indexes: Sequence[int]) -> list[Compact]:
        """:meth:`__call__` for each of ``records`` (numbered by ``indexes``), screened a step at a
        time (:func:`riskscreen.steps.plain_in_steps`): what :func:`riskscreen.parallel` runs on
        a chunk of records."""
        if self.output_format in _FROM_DATA and isinstance(screener, Screener):
            kept: list[Compact] = []
            # a step's outcomes are kept as soon as they are made: a whole chunk's alert data
            # piling up first is slower than screening record by record
            for at in range(0, len(records), STEP):
                numbers = indexes[at : at + STEP]
                outcomes = plain_in_steps(screener, records[at : at + STEP], indexes=numbers)
                kept += [self._kept(screener, o, i) for o, i in zip(outcomes, numbers, strict=True)]
            return kept
        return [self(screener, data, index) for data, index in zip(records, indexes, strict=True)]

    def _kept(self, screener: Screener, outcome: ScreenResult | dict[str, Any], index: int) -> Compact:
        """What the output keeps of :meth:`Screener.screen_plain`'s ``outcome``."""
        if isinstance(outcome, ScreenResult):
            return self.compact(outcome)
        kept = self.from_alert_data(outcome, index)
        if kept.shows == "alert" and kept.encoded is None:  # a value orjson writes otherwise
            kept = kept._replace(encoded=pretty(screener._results.alert_from(outcome)))
        return kept

    def from_alert_data(self, data: dict[str, Any], index: int) -> Compact:
        """:meth:`compact` for an alert given as :meth:`Screener.screen_plain`'s data.

        For ``json``, ``encoded`` is ``None`` when the alert must be written from its model
        (:func:`~riskscreen.results.alert_indented`).
        """
        priority: Priority = data["priority"]
        shown = shown_from(self.min_priority, priority, data["could_be"])
        observation_id: str = data["observation_id"]
        return Compact(
            index,
            observation_id,
            data["warnings"],
            data["undecided"],
            priority,
            None,
            "alert" if shown else None,
            scoring.alert_data_sort_key(data, index) if shown else None,
            self._encode_data(data) if shown else None,
        )

    def compact(self, result: ScreenResult) -> Compact:
        """What the output keeps of ``result``."""
        encode_alert, encode_undecided = self._encode_alert, self._encode_undecided
        shows: str | None = None
        key: Any = None
        encoded: Any = None
        alert = result.alert
        if alert is not None:
            if shown_from(self.min_priority, alert.priority, alert.could_be):
                shows = "alert"
                key = scoring.alert_sort_key(alert, result.index)
                encoded = encode_alert(alert)
        elif result.error is None:
            could_be = result.could_be
            if (
                result.undecided
                and could_be is not None
                and result.observation_id is not None
                and shown_from(self.min_priority, None, could_be)
            ):
                shows = "undecided"
                key = (could_be, result.index)
                entry = UndecidedRecord(
                    observation_id=result.observation_id,
                    could_be=could_be,
                    insufficient=result.insufficient,
                    warnings=result.warnings,
                )
                encoded = encode_undecided(entry)
        return Compact(*counted(result), shows, key, encoded)
