"""A case's status over time, replayed from its log.

The weekly report asks questions about the past ("was this case open last Monday?"), and a
:class:`~riskscreen.store.models.Case` holds only its present status. Its log holds every
change, so the status at any moment is replayed from these entries:

- ``opened`` (or, without one, ``opened_at`` / the first entry): the case opens;
- ``reopened``: a report about a recently closed site reopens it;
- ``closed``: the case is closed (with a disposition);
- ``status``: a status change, noted ``before → after`` (``处理中 → 已整改：note``); the
  new status is the name right after the arrow, in English or Chinese (without an arrow:
  the last status name in the note);
- ``escalated``: the case went past a response deadline (it does not change the status).

Entries of other kinds (``merged``, ``lifted``, ``assigned``, ``note``) change no status.
When the replay does not end in the case's present status (a store that logged a change
in words the replay does not know), the present status is taken to hold from the case's
last update, so the present is always right and only the moment of that change is
approximate.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import dataclass
from datetime import datetime

from ..store.models import OPEN_STATUSES, Case, CaseStatus

__all__ = ["Timeline", "is_open", "timeline"]

_STATUS_WORDS: dict[str, CaseStatus] = {
    "in_progress": "in_progress",
    "rectified": "rectified",
    "reopened": "reopened",
    "closed": "closed",
    "open": "open",
    "待处理": "open",
    "处理中": "in_progress",
    "办理中": "in_progress",
    "在办": "in_progress",
    "已整改": "rectified",
    "整改完成": "rectified",
    "已办结": "closed",
    "已关闭": "closed",
    "重新打开": "reopened",
}
# longest first, so "in_progress" is not read as "open"-something and 已整改 wins over 整改
_STATUS_PATTERN = re.compile("|".join(re.escape(w) for w in sorted(_STATUS_WORDS, key=len, reverse=True)))


def is_open(status: CaseStatus | None) -> bool:
    """Whether a status still needs work (open, in progress, reopened)."""
    return status is not None and status in OPEN_STATUSES


def _status_named(note: str) -> CaseStatus | None:
    if "→" in note:
        # "before → after：a person's note" — the note may itself name statuses
        after = note.split("→", 1)[1].lstrip()
        match = _STATUS_PATTERN.match(after)
        if match:
            return _STATUS_WORDS[match.group(0)]
    found = _STATUS_PATTERN.findall(note)
    return _STATUS_WORDS[found[-1]] if found else None


@dataclass(frozen=True)
class Timeline:
    """One case's status changes in time order (the first is its opening)."""

    case: Case
    opened_at: datetime
    changes: tuple[tuple[datetime, CaseStatus], ...]
    escalations: tuple[datetime, ...]
    times: tuple[datetime, ...] = ()

    def __post_init__(self) -> None:
        # the change times, kept for bisecting (status_at runs several times per case and period)
        object.__setattr__(self, "times", tuple(at for at, _ in self.changes))

    def status_at(self, moment: datetime) -> CaseStatus | None:
        """The status just before ``moment`` (None before the case opened)."""
        index = bisect_left(self.times, moment)
        return self.changes[index - 1][1] if index else None

    def open_at(self, moment: datetime) -> bool:
        """Whether the case was open (needing work) just before ``moment``."""
        return is_open(self.status_at(moment))

    def transitions(self, start: datetime, end: datetime) -> tuple[int, int]:
        """How many times in ``[start, end)`` the case was (resolved, reopened).

        Resolved: moved from an open status to rectified or closed; reopened: moved back
        from rectified or closed to an open status. A move between two open statuses, or
        from rectified to closed, is neither.
        """
        resolved = reopened = 0
        previous: CaseStatus | None = None
        for at, status in self.changes:
            if start <= at < end and previous is not None and is_open(previous) != is_open(status):
                if is_open(status):
                    reopened += 1
                else:
                    resolved += 1
            previous = status
        return resolved, reopened

    def overdue_at(self, moment: datetime) -> bool:
        """Whether the case was open at ``moment`` past a response deadline.

        A deadline had passed when the case was escalated since it last (re)opened, or
        when its response deadline lies before ``moment`` (deadlines only move later, so
        a deadline before ``moment`` now was before it then too).
        """
        if not self.open_at(moment):
            return False
        since = max((at for at, status in self.changes if at < moment and not is_open(status)), default=None)
        if any(at < moment and (since is None or at > since) for at in self.escalations):
            return True
        return self.case.respond_by is not None and self.case.respond_by < moment


def timeline(case: Case) -> Timeline:
    """Replay ``case``'s log into its status changes."""
    entries = sorted(case.log, key=lambda e: e.at)
    opened_at = case.opened_at
    if opened_at is None:
        opening = next((e.at for e in entries if e.what == "opened"), None)
        opened_at = opening or (entries[0].at if entries else case.updated_at)
    if opened_at is None:
        raise ValueError(f"case {case.id}: no opened_at and no log, so its opening time is unknown")
    changes: list[tuple[datetime, CaseStatus]] = [(opened_at, "open")]
    escalations: list[datetime] = []
    for entry in entries:
        # a change logged before the opening report's time (clocks differ) counts at the opening
        at = max(entry.at, opened_at)
        status: CaseStatus | None = None
        if entry.what == "reopened":
            status = "reopened"
        elif entry.what == "closed":
            status = "closed"
        elif entry.what == "status":
            status = _status_named(entry.note)
        elif entry.what == "escalated":
            escalations.append(at)
        if status is not None and status != changes[-1][1]:
            changes.append((at, status))
    if changes[-1][1] != case.status:
        at = max(case.closed_at or case.updated_at or changes[-1][0], changes[-1][0])
        changes.append((at, case.status))
    return Timeline(case, opened_at, tuple(changes), tuple(escalations))
