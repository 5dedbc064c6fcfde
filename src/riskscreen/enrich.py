"""Derived fields the core computes for every observation (``derived.*``).

Times are read in the screener's local timezone; the event time is ``occurred_at`` when
the report gives one, else ``reported_at``.
"""

from __future__ import annotations

from datetime import datetime, tzinfo
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
    return derived_at(observation, event_time(observation, zone), night)


def derived_at(observation: Observation, when: datetime, night: tuple[int, int]) -> dict[str, Any]:
    """:func:`core_derived` with the event's local time already worked out (``event_time``)."""
    since = None
    if observation.occurred_at is not None:
        since = (observation.reported_at - observation.occurred_at).total_seconds() / 3600
    hour = when.hour
    start, end = night
    day = when.date()
    return {
        "local_hour": hour,
        # in_night's test inline: this runs for every record
        "is_night": start != end and (start <= hour or hour < end if start > end else start <= hour < end),
        "weekday": day.isoweekday(),
        "month": day.month,
        # the date's own time tuple: a zone-aware datetime's asks its zone for DST first
        "day_of_year": day.timetuple().tm_yday,
        "local_date": day.isoformat(),
        "hours_since_occurred": since,
    }
