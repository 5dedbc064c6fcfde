"""Reading cases and reports back as the public models, with the filters people use."""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from datetime import datetime, tzinfo
from typing import Any

from sqlalchemy import Connection, RowMapping, Select, and_, func, or_, select

from ..undecided import more_urgent_only
from .ids import case_id
from .models import OPEN_STATUSES, Case, CaseLogEntry, StoredReport
from .tables import case_log, cases, reports, sites

__all__ = ["CaseFilters", "load_cases", "report_details", "stored_reports"]

_BATCH = 500


class CaseFilters:
    """Which cases to list: every given filter must hold (``None`` means any)."""

    def __init__(
        self,
        *,
        status: Sequence[str] | str | None = None,
        village: str | None = None,
        district: str | None = None,
        priority: Sequence[str] | str | None = None,
        overdue: bool | None = None,
        category: str | None = None,
    ) -> None:
        self.status = [status] if isinstance(status, str) else list(status or [])
        self.village = village
        self.district = district
        self.priority = [priority] if isinstance(priority, str) else list(priority or [])
        self.overdue = overdue
        self.category = category

    def apply(self, query: Select[Any], now: datetime) -> Select[Any]:
        """``query`` over ``cases`` narrowed by these filters."""
        if self.status:
            query = query.where(cases.c.status.in_(self.status))
        if self.village is not None:
            query = query.where(cases.c.village == self.village)
        if self.district is not None:
            query = query.where(cases.c.district == self.district)
        if self.priority:
            query = query.where(cases.c.priority.in_(self.priority))
        if self.category is not None:
            query = query.where(cases.c.category == self.category)
        late = and_(
            cases.c.status.in_(OPEN_STATUSES), cases.c.respond_by.is_not(None), cases.c.respond_by < now
        )
        if self.overdue is True:
            query = query.where(late)
        elif self.overdue is False:
            query = query.where(
                or_(
                    ~cases.c.status.in_(OPEN_STATUSES),
                    cases.c.respond_by.is_(None),
                    cases.c.respond_by >= now,
                )
            )
        return query


def _local(value: datetime | None, zone: tzinfo) -> datetime | None:
    return None if value is None else value.astimezone(zone)


def load_cases(connection: Connection, query: Select[Any], now: datetime, zone: tzinfo) -> list[Case]:
    """The cases ``query`` selects (rows of ``cases`` joined to ``sites``), with their logs."""
    rows = [row._mapping for row in connection.execute(query)]
    numbers = [row["id"] for row in rows]
    logs: dict[int, list[CaseLogEntry]] = {n: [] for n in numbers}
    observations: dict[int, list[str]] = {n: [] for n in numbers}
    for start in range(0, len(numbers), _BATCH):
        batch = numbers[start : start + _BATCH]
        entries = (
            select(case_log).where(case_log.c.case_id.in_(batch)).order_by(case_log.c.case_id, case_log.c.id)
        )
        for entry in connection.execute(entries):
            logs[entry.case_id].append(
                CaseLogEntry(at=entry.at.astimezone(zone), by=entry.by, what=entry.what, note=entry.note)
            )
        linked = (
            select(reports.c.case_id, reports.c.observation_id)
            .where(reports.c.case_id.in_(batch))
            .order_by(reports.c.case_id, reports.c.reported_at, reports.c.key)
        )
        for link in connection.execute(linked):
            observations[link.case_id].append(link.observation_id)
    return [_case(row, logs[row["id"]], observations[row["id"]], now, zone) for row in rows]


def _case(row: RowMapping, log: list[CaseLogEntry], ids: list[str], now: datetime, zone: tzinfo) -> Case:
    respond_by: datetime | None = row["respond_by"]
    overdue = row["status"] in OPEN_STATUSES and respond_by is not None and respond_by < now
    return Case(
        id=case_id(row["id"]),
        site=row["label"],
        category=row["category"],
        village=row["village"],
        district=row["district"],
        status=row["status"],
        priority=row["priority"],
        score=row["score"],
        escalate_to=row["escalate_to"],
        respond_by=_local(respond_by, zone),
        overdue=overdue,
        reports=row["reports"],
        observation_ids=ids,
        rule_ids=list(row["rule_ids"]),
        disposition=row["disposition"],
        log=log,
        opened_at=_local(row["opened_at"], zone),
        updated_at=_local(row["updated_at"], zone),
        closed_at=_local(row["closed_at"], zone),
        assignee=row["assignee"],
        could_be=more_urgent_only(row["could_be"], row["priority"]),
    )


def case_query() -> Select[Any]:
    """Cases joined to their site's label, oldest first."""
    return select(cases, sites.c.label).join(sites, sites.c.id == cases.c.site_id).order_by(cases.c.id)


def _stored(row: RowMapping, zone: tzinfo) -> StoredReport:
    return StoredReport(
        observation_id=row["observation_id"],
        case_id=case_id(row["case_id"]) if row["case_id"] is not None else None,
        category=row["category"],
        village=row["village"],
        district=row["district"],
        reported_at=_local(row["reported_at"], zone),
        received_at=_local(row["received_at"], zone),
        status=row["status"],
        priority=row["priority"],
        could_be=row["could_be"],
        score=row["score"],
        rule_ids=list(row["rule_ids"]),
        error=row["error"],
    )


_REPORT_COLUMNS = [c for c in reports.c if c.name not in ("payload", "findings")]


def stored_reports(
    connection: Connection,
    zone: tzinfo,
    *,
    since: datetime | None = None,
    until: datetime | None = None,
    case_number: int | None = None,
    status: str | None = None,
) -> Iterator[StoredReport]:
    """Stored reports, oldest first; ``since`` inclusive, ``until`` exclusive.

    An error record without a readable time is placed at the time it was received.
    """
    when = func.coalesce(reports.c.reported_at, reports.c.received_at)
    query = select(*_REPORT_COLUMNS).order_by(when, reports.c.key)
    if since is not None:
        query = query.where(when >= since)
    if until is not None:
        query = query.where(when < until)
    if case_number is not None:
        query = query.where(reports.c.case_id == case_number)
    if status is not None:
        query = query.where(reports.c.status == status)
    for row in connection.execute(query.execution_options(yield_per=1000)):
        yield _stored(row._mapping, zone)


def report_details(
    connection: Connection, case_number: int
) -> tuple[dict[str, list[dict[str, Any]]], dict[str, dict[str, Any]]]:
    """The findings and the stored observation of each report in a case, by observation id."""
    query = select(reports.c.observation_id, reports.c.findings, reports.c.payload).where(
        reports.c.case_id == case_number
    )
    findings: dict[str, list[dict[str, Any]]] = {}
    observations: dict[str, dict[str, Any]] = {}
    for row in connection.execute(query):
        findings[row.observation_id] = json.loads(row.findings)
        observations[row.observation_id] = json.loads(row.payload)
    return findings, observations
