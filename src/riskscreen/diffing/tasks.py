"""The work on one partition of an archive: screen its records, return aggregates only.

Tasks are small picklable objects holding the rule sets as :class:`RuleBundle` contents,
so that the same task runs in the calling process or on any Dask worker.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, tzinfo
from typing import Any, Literal
from zoneinfo import ZoneInfo

from pydantic import TypeAdapter, ValidationError

from ..validation import UnreadableRecord
from .aggregate import BacktestPartial, DiffPartial, ReadCounts
from .archives import Item, parse_item
from .bundle import RuleBundle, bundle_screener
from .outcome import outcome_of

__all__ = ["BacktestTask", "DiffTask", "Period", "period_of"]

Period = Literal["week", "month"]

_TIME = TypeAdapter(datetime)
#: The period of a record whose report time cannot be read (it is an error record).
UNKNOWN_PERIOD = "unknown"


def _example_id(record: Any, seq: int) -> str:
    value = record.get("id") if isinstance(record, dict) else None
    return value if isinstance(value, str) and value else f"#{seq + 1}"


def _records(items: list[Item], start: int, read: ReadCounts) -> Iterator[tuple[int, dict[str, Any]]]:
    """(archive position, record) for the items' records; JSONL lines are parsed and counted here."""
    for offset, item in enumerate(items):
        seq = start + offset
        raw = isinstance(item[2], str)
        for record in parse_item(item):
            if isinstance(record, UnreadableRecord):
                read.unreadable(item[0], seq, record.message)
                continue
            if raw:
                read.records[item[0]] += 1
            yield seq, record


@dataclass(frozen=True)
class DiffTask:
    """Screen a partition with the base and the head rule sets: one read, two screenings.

    Records of a category in ``unchanged`` are screened once, by the head, and count the
    same on both sides.
    """

    base: RuleBundle
    head: RuleBundle
    #: Categories the change does not touch: their records are screened once (see ``shortcut``).
    unchanged: frozenset[str] = frozenset()

    def __call__(self, start: int, items: list[Item]) -> DiffPartial:
        """The diff aggregate of ``items``, the first at archive position ``start``."""
        base, head = bundle_screener(self.base), bundle_screener(self.head)
        partial = DiffPartial()
        for seq, record in _records(items, start, partial.read):
            after = outcome_of(head.screen(record, seq))
            category = record.get("category")
            if isinstance(category, str) and category in self.unchanged:
                before = after
            else:
                before = outcome_of(base.screen(record, seq))
            partial.add(seq, _example_id(record, seq), before, after)
        return partial


def period_of(value: Any, by: Period, local: tzinfo, default: tzinfo | None) -> str:
    """``2026-W05`` (ISO week) or ``2026-01`` for a report time, read in the local timezone."""
    try:
        moment = _TIME.validate_python(value)
    except ValidationError:
        return UNKNOWN_PERIOD
    if moment.tzinfo is None:
        if default is None:
            return UNKNOWN_PERIOD
        moment = moment.replace(tzinfo=default)
    try:
        day = moment.astimezone(local).date()
    except (OverflowError, ValueError):
        return UNKNOWN_PERIOD
    if by == "month":
        return f"{day.year:04d}-{day.month:02d}"
    year, week, _ = day.isocalendar()
    return f"{year:04d}-W{week:02d}"


@dataclass(frozen=True)
class BacktestTask:
    """Screen a partition with one rule set and count per week or month."""

    rules: RuleBundle
    by: Period

    def __call__(self, start: int, items: list[Item]) -> BacktestPartial:
        """The backtest aggregate of ``items``, the first at archive position ``start``."""
        screener = bundle_screener(self.rules)
        settings = screener.settings
        local = ZoneInfo(settings.local_timezone)
        default = ZoneInfo(settings.default_timezone) if settings.default_timezone else None
        partial = BacktestPartial()
        for seq, record in _records(items, start, partial.read):
            result = screener.screen(record, seq)
            period = period_of(record.get("reported_at"), self.by, local, default)
            partial.add(period, outcome_of(result))
        return partial
