"""The core ``derived.*`` fields: what each means for any event time, zone and night window."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from zoneinfo import ZoneInfo

from hypothesis import given
from hypothesis import strategies as st

from riskscreen.enrich import core_derived, in_night
from riskscreen.models import Observation

_ZONES = st.sampled_from([ZoneInfo("Asia/Shanghai"), ZoneInfo("Europe/Berlin"), ZoneInfo("America/St_Johns")])
_TIMES = st.datetimes(
    min_value=datetime(1990, 1, 1),
    max_value=datetime(2040, 1, 1),
    timezones=st.sampled_from([timezone.utc, timezone(timedelta(hours=8)), timezone(timedelta(hours=-3.5))]),
)


def _expected(observation: Observation, zone: ZoneInfo, night: tuple[int, int]) -> dict[str, object]:
    when = (observation.occurred_at or observation.reported_at).astimezone(zone)
    since = None
    if observation.occurred_at is not None:
        since = (observation.reported_at - observation.occurred_at).total_seconds() / 3600
    return {
        "local_hour": when.hour,
        "is_night": in_night(when.hour, *night),
        "weekday": when.isoweekday(),
        "month": when.month,
        "day_of_year": when.timetuple().tm_yday,
        "local_date": when.date().isoformat(),
        "hours_since_occurred": since,
    }


@given(_TIMES, st.one_of(st.none(), _TIMES), _ZONES, st.integers(0, 23), st.integers(0, 23))
def test_core_derived_reads_the_event_time_in_local_time(
    reported: datetime, occurred: datetime | None, zone: ZoneInfo, start: int, end: int
) -> None:
    observation = Observation(id="o", category="other", reported_at=reported, occurred_at=occurred)
    first = core_derived(observation, zone, (start, end))
    assert first == _expected(observation, zone, (start, end))
    assert list(first) == list(_expected(observation, zone, (start, end)))  # the documented order
    # calendar values are remembered per local date; each record still gets a dict of its own
    first["plugin_field"] = 1
    second = core_derived(observation, zone, (start, end))
    assert second == _expected(observation, zone, (start, end)) and second is not first


def test_records_of_one_day_share_the_calendar_values_not_the_hour_or_time_since() -> None:
    zone = ZoneInfo("Asia/Shanghai")
    at = datetime(2026, 12, 31, 23, 10, tzinfo=zone)
    early = Observation(id="a", category="other", reported_at=at + timedelta(hours=2), occurred_at=at)
    late = Observation(id="b", category="other", reported_at=at + timedelta(minutes=40), occurred_at=at)
    noon = Observation(id="c", category="other", reported_at=at - timedelta(hours=11))
    a, b, c = (core_derived(o, zone, (22, 6)) for o in (early, late, noon))
    assert a["day_of_year"] == b["day_of_year"] == c["day_of_year"] == 365
    assert a["local_date"] == c["local_date"] == "2026-12-31"
    assert (a["is_night"], c["is_night"], c["local_hour"]) == (True, False, 12)
    assert (a["hours_since_occurred"], b["hours_since_occurred"], c["hours_since_occurred"]) == (
        2.0,
        40 / 60,
        None,
    )
