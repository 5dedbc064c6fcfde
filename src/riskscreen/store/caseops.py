"""Changes people and the clock make to cases: status, notes, assignees, closing, escalation.

Each change is checked against the case's status first and logged with who made it;
a refused change raises :class:`~riskscreen.store.errors.InvalidTransitionError` naming
the case, and changes nothing.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, get_args

from sqlalchemy import Connection, RowMapping, select, update

from ..models import TIERS, Priority
from ..settings import Settings
from . import log
from .errors import CaseNotFoundError, InvalidTransitionError
from .ids import case_id
from .messages import say
from .models import OPEN_STATUSES, CaseStatus, Disposition
from .tables import cases, fitted

__all__ = ["close_case", "escalate_overdue", "update_case"]

_STATUS_NAMES = {
    "open": "待处理",
    "in_progress": "处理中",
    "rectified": "已整改",
    "closed": "已关闭",
    "reopened": "重新打开",
}
_DISPOSITION_NAMES = {"confirmed": "属实", "false_alarm": "误报", "duplicate": "重复"}
_TIER_NAMES = {"village": "村", "district": "管区", "department": "部门", "subdistrict": "街道"}


def _row(connection: Connection, number: int, text_id: str) -> RowMapping:
    row = connection.execute(select(cases).where(cases.c.id == number)).first()
    if row is None:
        raise CaseNotFoundError(say("no_case", case=text_id))
    return row._mapping


def update_case(
    connection: Connection,
    number: int,
    *,
    status: CaseStatus | None,
    note: str | None,
    assignee: str | None,
    disposition: Disposition | None,
    now: datetime,
    by: str,
) -> None:
    """Change a case's status, assignee or (on a closed case) disposition, and/or add a note."""
    name = case_id(number)
    row = _row(connection, number, name)
    if status is None and note is None and assignee is None and disposition is None:
        raise InvalidTransitionError(say("nothing_to_change", case=name))
    if status == "closed":
        raise InvalidTransitionError(say("close_needs_disposition", case=name))
    if status is not None and status not in get_args(CaseStatus):
        raise InvalidTransitionError(say("unknown_status", case=name, status=status))
    if disposition is not None:
        if disposition not in get_args(Disposition):
            raise InvalidTransitionError(say("unknown_disposition", case=name, disposition=disposition))
        if row["status"] != "closed" or status is not None:
            raise InvalidTransitionError(
                say("disposition_when_closing", case=name, status=row["status"], disposition=disposition)
            )
    if row["status"] == "closed" and status not in (None, "reopened"):
        raise InvalidTransitionError(say("closed_reopen_first", case=name))
    values: dict[str, Any] = {"updated_at": now}
    if status is not None and status != row["status"]:
        values["status"] = status
        if status == "rectified":
            values["rectified_at"] = now
        if status == "reopened":
            values.update(closed_at=None, disposition=None)
        before, after = _STATUS_NAMES[row["status"]], _STATUS_NAMES[status]
        log.write(connection, number, now, by, "status", _joined(f"{before} → {after}", note))
        note = None
    if assignee is not None and assignee != row["assignee"]:
        values["assignee"] = assignee or None
        log.write(connection, number, now, by, "assigned", _joined(f"指派给 {assignee or '（无）'}", note))
        note = None
    if disposition is not None and disposition != row["disposition"]:
        values["disposition"] = disposition
        if disposition == "confirmed" and row["rectified_at"] is None:
            values["rectified_at"] = now
        text = f"处理结论改为{_DISPOSITION_NAMES[disposition]}"
        log.write(connection, number, now, by, "disposition", _joined(text, note))
        note = None
    if note:
        log.write(connection, number, now, by, "note", note)
    connection.execute(update(cases).where(cases.c.id == number).values(**fitted("cases", values)))


def _joined(what: str, note: str | None) -> str:
    return f"{what}：{note}" if note else what


def close_case(
    connection: Connection,
    number: int,
    *,
    disposition: Disposition,
    note: str | None,
    now: datetime,
    by: str,
) -> None:
    """Close a case with its disposition (confirmed, false_alarm or duplicate)."""
    name = case_id(number)
    row = _row(connection, number, name)
    if disposition not in get_args(Disposition):
        raise InvalidTransitionError(say("unknown_disposition", case=name, disposition=disposition))
    if row["status"] == "closed":
        raise InvalidTransitionError(say("already_closed", case=name, disposition=row["disposition"]))
    values: dict[str, Any] = {
        "status": "closed",
        "disposition": disposition,
        "closed_at": now,
        "updated_at": now,
    }
    # a confirmed hazard that is closed was dealt with: the site's next reports say rectified_before
    if disposition == "confirmed" and row["rectified_at"] is None:
        values["rectified_at"] = now
    text = f"关闭，结论：{_DISPOSITION_NAMES[disposition]}"
    log.write(connection, number, now, by, "closed", _joined(text, note))
    connection.execute(update(cases).where(cases.c.id == number).values(**values))


def escalate_overdue(connection: Connection, settings: Settings, now: datetime, by: str) -> list[int]:
    """Move every open case past its deadline one tier up, with a new deadline from its band.

    A case is escalated once per deadline: the new deadline lies after ``now``, and the
    deadline escalated for is remembered, so running this again changes nothing.
    """
    overdue = connection.execute(
        select(cases)
        .where(
            cases.c.status.in_(OPEN_STATUSES),
            cases.c.respond_by.is_not(None),
            cases.c.respond_by < now,
        )
        .order_by(cases.c.id)
    ).all()
    done: list[int] = []
    for found in overdue:
        row = found._mapping
        if row["escalated_for"] == row["respond_by"]:
            continue  # already escalated for this deadline
        tier = row["escalate_to"]
        higher = TIERS[min(TIERS.index(tier) + 1, len(TIERS) - 1)]
        band: Priority = row["priority"] or row["could_be"] or "P4"
        if band not in get_args(Priority):
            band = "P4"
        deadline = now + settings.respond_within[band]
        connection.execute(
            update(cases)
            .where(cases.c.id == row["id"])
            .values(escalate_to=higher, respond_by=deadline, escalated_for=row["respond_by"], updated_at=now)
        )
        when = f"{deadline.astimezone(settings.zone):%Y-%m-%d %H:%M}"
        late = f"逾期未处置（时限 {row['respond_by'].astimezone(settings.zone):%Y-%m-%d %H:%M}）"
        if higher == tier:
            note = f"{late}，已在最高层级{_TIER_NAMES[tier]}，新时限 {when}"
        else:
            note = f"{late}，由{_TIER_NAMES[tier]}升级至{_TIER_NAMES[higher]}，新时限 {when}"
        log.write(connection, row["id"], now, by, "escalated", note)
        done.append(row["id"])
    return done
