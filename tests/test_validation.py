"""Validating one record: an observation in local time, or an error record naming the field."""

from __future__ import annotations

from zoneinfo import ZoneInfo

import pytest

from riskscreen import ErrorRecord, Observation, Settings, UnreadableRecord
from riskscreen.validation import RecordValidator
from tests.helpers import observation, shipped_screener

ZONE = ZoneInfo("Asia/Shanghai")


@pytest.fixture(scope="module")
def validator() -> RecordValidator:
    return RecordValidator(shipped_screener().ruleset.registry, Settings(), ZONE)


def test_a_valid_record_becomes_an_observation_in_local_time(validator: RecordValidator) -> None:
    found = validator.validate(observation(reported_at="2026-07-01T01:00:00+00:00", attrs={"depth_m": 80}))
    assert isinstance(found, Observation)
    assert found.reported_at.utcoffset() is not None and found.reported_at.hour == 9
    assert found.attrs["depth_m"] == 80


@pytest.mark.parametrize(
    ("record", "field", "words"),
    [
        (observation(category="well_driling"), "category", "well_drilling"),
        (observation(reported_at="2026-07-01T09:00:00"), "reported_at", "timezone"),
        (observation(attrs={"depth_m": "deep"}), "attrs.depth_m", "number"),
        (observation(description="长" * 20_001), "description", "longer than 20000"),
    ],
)
def test_a_bad_record_is_an_error_record_naming_the_field(
    validator: RecordValidator, record: dict[str, object], field: str, words: str
) -> None:
    found = validator.validate(record, index=4)
    assert isinstance(found, ErrorRecord)
    assert (found.index, found.id, found.field) == (4, "obs-1", field)
    assert words in found.message


def test_an_unreadable_record_and_a_non_object_are_error_records(validator: RecordValidator) -> None:
    unreadable = validator.validate(UnreadableRecord("line 3: invalid JSON", id="x"), index=2)
    assert isinstance(unreadable, ErrorRecord) and (unreadable.id, unreadable.message) == (
        "x",
        "line 3: invalid JSON",
    )
    other = validator.validate(["not", "an", "object"], index=0)
    assert isinstance(other, ErrorRecord) and other.id is None and "list" in other.message


@pytest.mark.parametrize("field", ["reported_at", "occurred_at"])
@pytest.mark.parametrize("time", ["9000-01-01T00:00:00+08:00", "9999-12-31T23:00:00+08:00"])
def test_a_time_too_late_to_add_a_deadline_to_is_an_error_record(field: str, time: str) -> None:
    # the fast path and the full validator agree; screening never reaches the overflow
    screener = shipped_screener()
    record = {**observation(id="late"), field: time}
    if field == "occurred_at":
        record["reported_at"] = "2026-07-01T09:00:00+08:00"
    result = screener.screen(record)
    assert result.status == "error" and result.error is not None
    assert (result.error.id, result.error.field) == ("late", field)
    assert "outside the supported range" in result.error.message
    assert screener.screen({**record, field: "8999-12-31T23:00:00+08:00"}).status != "error"
