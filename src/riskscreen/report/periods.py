"""Report periods: an ISO week or a date range, read in local time.

A week runs from Monday 00:00 to the next Monday 00:00 in the local timezone (Asia/Shanghai
by default), so a case reported at 23:30 on a Sunday evening belongs to that week even
though the time is Sunday 15:30 in UTC.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, tzinfo

from ..errors import RiskscreenError

__all__ = ["Period", "PeriodError", "date_range", "parse_date", "parse_week", "week_of"]

_WEEK = re.compile(r"^\s*(\d{4})-?W(\d{1,2})\s*$", re.IGNORECASE)


class PeriodError(RiskscreenError, ValueError):
    """A week or date that cannot be read; the message shows the expected form."""


@dataclass(frozen=True)
class Period:
    """A span of local dates ``first`` .. ``last`` (both inclusive), with its label."""

    first: date
    last: date
    label: str

    def bounds(self, zone: tzinfo) -> tuple[datetime, datetime]:
        """The period as aware times: ``[start, end)`` from local midnight to local midnight."""
        start = datetime.combine(self.first, time(0), tzinfo=zone)
        end = datetime.combine(self.last + timedelta(days=1), time(0), tzinfo=zone)
        return start, end

    @property
    def days(self) -> int:
        """How many days the period spans."""
        return (self.last - self.first).days + 1

    def previous(self) -> Period:
        """The period of the same length just before this one (the previous week for a week)."""
        shift = timedelta(days=self.days)
        first, last = self.first - shift, self.last - shift
        if self.days == 7 and self.first.isoweekday() == 1:
            return _week_period(first)
        return Period(first, last, f"{first.isoformat()}..{last.isoformat()}")


def _week_period(monday: date) -> Period:
    year, week, _ = monday.isocalendar()
    return Period(monday, monday + timedelta(days=6), f"{year}-W{week:02d}")


def parse_week(text: str) -> Period:
    """The ISO week ``YYYY-Www`` (e.g. ``2026-W48``) as a period Monday..Sunday."""
    match = _WEEK.match(text)
    if match is None:
        raise PeriodError(f"{text!r} is not an ISO week; write it as YYYY-Www, e.g. 2026-W48")
    year, week = int(match.group(1)), int(match.group(2))
    try:
        monday = date.fromisocalendar(year, week, 1)
    except ValueError:
        # only some years have a week 53; say which week numbers the year has
        weeks = date(year, 12, 28).isocalendar()[1] if 1 <= year <= 9999 else 52
        raise PeriodError(
            f"{text!r} is not an ISO week: {year} has weeks 1 to {weeks}; e.g. {year}-W{min(48, weeks)}"
        ) from None
    return _week_period(monday)


def parse_date(text: str, what: str = "date") -> date:
    """A calendar date ``YYYY-MM-DD``; ``what`` names the option in the error."""
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        raise PeriodError(f"{what} {text!r} is not a date; write it as YYYY-MM-DD, e.g. 2026-11-23") from None


def date_range(first: date, last: date) -> Period:
    """The dates ``first`` .. ``last`` inclusive (an error when ``last`` comes first)."""
    if last < first:
        raise PeriodError(f"the range ends ({last}) before it starts ({first})")
    if last - first == timedelta(days=6) and first.isoweekday() == 1:
        return _week_period(first)
    return Period(first, last, f"{first.isoformat()}..{last.isoformat()}")


def week_of(moment: datetime, zone: tzinfo) -> Period:
    """The ISO week holding ``moment`` in the local timezone."""
    local = moment.astimezone(zone).date()
    return _week_period(local - timedelta(days=local.isoweekday() - 1))
