"""Derived fields the core computes for every observation (``derived.*``).

Times are read in the screener's local timezone; the event time is ``occurred_at`` when
the report gives one, else ``reported_at``.
"""

from __future__ import annotations

from datetime import date, datetime, tzinfo
from typing import Any

from .models import Observation
from .packs.attrtypes import AttrType

__all__ = ["CORE_DERIVED", "core_derived", "derived_at", "event_time", "in_night"]

#: Name -> (type, description) of the fields computed by :func:`core_derived`.
CORE_DERIVED: dict[str, tuple[AttrType, str]] = {
    "local_hour": (AttrType("int"), "hour of the event time, 0-23, local time"),
    "is_night": (AttrType("bool"), "event time inside the night window (default 22:00-06:00)"),
    "weekday": (AttrType("int"), "day of the week of the event, 1 = Monday .. 7 = Sunday"),
    "month": (AttrType("int"), "month of the event, 1-12"),
    "day_of_year": (AttrType("int"), "day of the year of the event, 1-366"),
    "local_date": (AttrType("string"), "local date of the event, YYYY-MM-DD"),
    "hours_since_occurred": (
        AttrType("float"),
        "hours from occurred_at to reported_at; absent without occurred_at",
    ),
}


def event_time(observation: Observation, zone: tzinfo) -> datetime:
    """When the event happened, in local time."""
    return (observation.occurred_at or observation.reported_at).astimezone(zone)


def in_night(hour: int, start: int, end: int) -> bool:
    """Whether ``hour`` lies in a night window that may wrap over midnight."""
    if start == end:
        return False
    return start <= hour or hour < end if start > end else start <= hour < end


def core_derived(observation: Observation, zone: tzinfo, night: tuple[int, int]) -> dict[str, Any]:
    """The core ``derived.*`` values for one observation."""
    when = event_time(observation, zone)
    return derived_at(observation, when.date(), when.hour, night)


#: Per local date, the values that depend on it alone (weekday, month, day of the year,
#: the date as text): records come by the thousand from a few days, so each is worked out once.
_BY_DAY: dict[date, tuple[int, int, int, str]] = {}
_KEPT = 4096
#: Per night window, whether each hour of the day lies in it.
_NIGHT_HOURS: dict[tuple[int, int], tuple[bool, ...]] = {}


def derived_at(observation: Observation, day: date, hour: int, night: tuple[int, int]) -> dict[str, Any]:
    """:func:`core_derived` for an event at local ``hour`` on local date ``day`` (from ``event_time``)."""
    calendar = _BY_DAY.get(day)
    if calendar is None:
        if len(_BY_DAY) >= _KEPT:
            _BY_DAY.clear()
        calendar = _BY_DAY[day] = (day.isoweekday(), day.month, day.timetuple().tm_yday, day.isoformat())
    nights = _NIGHT_HOURS.get(night)
    if nights is None:
        nights = _NIGHT_HOURS[night] = tuple(in_night(h, *night) for h in range(24))
    since = None
    if observation.occurred_at is not None:
        since = (observation.reported_at - observation.occurred_at).total_seconds() / 3600
    weekday, month, day_of_year, local_date = calendar
    return {
        "local_hour": hour,
        "is_night": nights[hour],
        "weekday": weekday,
        "month": month,
        "day_of_year": day_of_year,
        "local_date": local_date,
        "hours_since_occurred": since,
    }
