"""The weekly report computed from case histories: a pure function, no database.

:func:`weekly` reads :class:`~riskscreen.store.models.Case` objects with their logs
(``Tracker.cases()`` gives them; a service with its own case table can build them), so
the same numbers come out whichever store holds the cases.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Any, TypeVar
from zoneinfo import ZoneInfo

from ..store.models import Case
from .labels import category_label, place
from .model import PRIORITY_KEYS, Counts, GroupCounts, TopRule, TrendPoint, WeeklyReport
from .periods import Period, parse_week
from .precision import ReportRow, rule_precision
from .timeline import Timeline, is_open, timeline

__all__ = ["weekly"]

CountsT = TypeVar("CountsT", bound=Counts)

_FIELDS = ("open_at_start", "new", "merged", "reopened", "resolved", "in_progress", "overdue")


@dataclass(slots=True)
class _Tally:
    """Counts while they are summed (a plain object: pydantic checks on every assignment)."""

    open_at_start: int = 0
    new: int = 0
    merged: int = 0
    reopened: int = 0
    resolved: int = 0
    in_progress: int = 0
    overdue: int = 0
    by_priority: dict[str, int] = field(default_factory=lambda: dict.fromkeys(PRIORITY_KEYS, 0))

    def add(self, other: _Tally) -> None:
        for name in _FIELDS:
            setattr(self, name, getattr(self, name) + getattr(other, name))
        for key, value in other.by_priority.items():
            self.by_priority[key] += value

    def counts(self, model: type[CountsT] = Counts, **extra: Any) -> CountsT:  # type: ignore[assignment]
        return model(
            **{name: getattr(self, name) for name in _FIELDS}, by_priority=dict(self.by_priority), **extra
        )


def _counts(line: Timeline, start: datetime, end: datetime, now: datetime) -> _Tally | None:
    """One case's contribution to a period's counts; None when it contributes nothing."""
    if line.opened_at >= end or (line.changes[-1][0] < start and not is_open(line.changes[-1][1])):
        return None  # opened later, or settled before the period: most of a store, skipped early
    case = line.case
    counts = _Tally()
    counts.open_at_start = int(line.open_at(start))
    if start <= line.opened_at < end:
        counts.new = 1
        counts.by_priority[case.priority or "undecided"] += 1
    counts.merged = sum(1 for e in case.log if e.what == "merged" and start <= e.at < end)
    counts.resolved, counts.reopened = line.transitions(start, end)
    counts.in_progress = int(line.open_at(end))
    # a deadline in the future has not passed yet, even when the period runs past now
    counts.overdue = int(line.overdue_at(min(end, now)))
    active = counts.open_at_start or counts.new or counts.merged or counts.reopened or counts.resolved
    return counts if active else None


def _period(
    lines: list[Timeline], start: datetime, end: datetime, now: datetime
) -> list[tuple[Case, _Tally]]:
    """Every case active in the period with its counts."""
    found = []
    for line in lines:
        counts = _counts(line, start, end, now)
        if counts is not None:
            found.append((line.case, counts))
    return found


def _groups(
    active: list[tuple[Case, _Tally]], key: Callable[[Case], tuple[str, str, str | None]]
) -> list[GroupCounts]:
    groups: dict[str, tuple[_Tally, str, str | None]] = {}
    for case, counts in active:
        group_key, label, district = key(case)
        if group_key not in groups:
            groups[group_key] = (_Tally(), label, district)
        groups[group_key][0].add(counts)
    rows = [
        tally.counts(GroupCounts, key=group_key, label=label, district=district)
        for group_key, (tally, label, district) in groups.items()
    ]
    # most work first: what is still open, then what came in
    return sorted(rows, key=lambda g: (-g.in_progress, -g.new, g.label, g.key))


def _total(active: list[tuple[Case, _Tally]]) -> Counts:
    total = _Tally()
    for _, counts in active:
        total.add(counts)
    return total.counts()


def _village_key(case: Case) -> tuple[str, str, str | None]:
    # one village name may occur in two districts: they are two rows
    return f"{case.district or ''}/{case.village or ''}", place(case.village), place(case.district)


def _top_rules(
    lines: list[Timeline],
    start: datetime,
    end: datetime,
    reports: list[ReportRow] | None,
    titles: Mapping[str, str],
    top: int,
) -> list[TopRule]:
    cases: dict[str, int] = {}
    p1: dict[str, int] = {}
    for line in lines:
        if start <= line.opened_at < end:
            for rule_id in dict.fromkeys(line.case.rule_ids):
                cases[rule_id] = cases.get(rule_id, 0) + 1
                p1[rule_id] = p1.get(rule_id, 0) + (line.case.priority == "P1")
    alerts: dict[str, int] | None = None
    if reports is not None:
        alerts = {}
        for row in reports:
            if row.status == "alert" and row.reported_at is not None and start <= row.reported_at < end:
                for rule_id in dict.fromkeys(row.rule_ids):
                    alerts[rule_id] = alerts.get(rule_id, 0) + 1
    ranked = sorted(cases, key=lambda r: (-cases[r], -p1[r], r))[:top]
    return [
        TopRule(
            rule_id=r,
            title=titles.get(r),
            cases=cases[r],
            p1=p1[r],
            alerts=alerts.get(r, 0) if alerts is not None else None,
        )
        for r in ranked
    ]


def weekly(
    cases: Iterable[Case],
    period: Period | str,
    *,
    timezone_name: str = "Asia/Shanghai",
    now: datetime | None = None,
    reports: Iterable[ReportRow] | None = None,
    titles: Mapping[str, str] | None = None,
    trend_weeks: int = 8,
    top: int = 10,
) -> WeeklyReport:
    """The report of ``period`` (a :class:`Period` or an ISO week such as ``"2026-W48"``).

    ``cases`` are every case of the store with their logs; ``now`` (default the clock)
    decides which deadlines have passed in a period that is not over yet; ``reports``
    (stored report rows) add alert counts per rule; ``titles`` maps rule ids to titles.
    """
    if isinstance(period, str):
        period = parse_week(period)
    zone = ZoneInfo(timezone_name)
    now = (now or datetime.now(timezone.utc)).astimezone(zone)
    case_list = list(cases)
    lines = [timeline(c) for c in case_list]
    rows = list(reports) if reports is not None else None
    names = dict(titles or {})
    start, end = period.bounds(zone)
    previous = period.previous()
    active = _period(lines, start, end, now)
    totals = _total(active)
    before = _total(_period(lines, *previous.bounds(zone), now))
    trend: list[TrendPoint] = []
    step = period
    for _ in range(max(trend_weeks, 1)):
        s, e = step.bounds(zone)
        counts = (
            totals if step == period else (before if step == previous else _total(_period(lines, s, e, now)))
        )
        trend.append(
            TrendPoint(
                period=step.label,
                start=s,
                new=counts.new,
                resolved=counts.resolved,
                in_progress=counts.in_progress,
            )
        )
        step = step.previous()
    trend.reverse()
    return WeeklyReport(
        period=period.label,
        start=start,
        end=end,
        timezone=timezone_name,
        generated_at=now,
        cases=len(case_list),
        empty=not totals.active,
        totals=totals,
        previous_period=previous.label,
        previous=before,
        change=totals.minus(before),
        by_district=_groups(active, lambda c: (c.district or "", place(c.district), None)),
        by_village=_groups(active, _village_key),
        by_category=_groups(active, lambda c: (c.category, category_label(c.category), None)),
        trend=trend,
        top_rules=_top_rules(lines, start, end, rows, names, top),
        precision=rule_precision(case_list, reports=rows, until=end, titles=names),
    )
