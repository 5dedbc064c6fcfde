"""Observation validation, durations and message templates."""

from __future__ import annotations

from datetime import timedelta

import pytest
from pydantic import ValidationError

from riskscreen import Observation
from riskscreen.durations import format_duration, parse_duration
from riskscreen.templates import render

BASE = {"id": "o1", "category": "flood", "reported_at": "2026-07-01T09:00:00+08:00"}


def test_minimal_observation_gets_defaults() -> None:
    obs = Observation.model_validate(BASE)
    assert (obs.kind, obs.status, obs.description, obs.attrs) == ("patrol", "new", "", {})
    assert obs.location.village is None and obs.history.reports_7d is None


def test_naive_time_is_rejected_without_a_default_timezone() -> None:
    with pytest.raises(ValidationError, match="no timezone"):
        Observation.model_validate({**BASE, "reported_at": "2026-07-01T09:00:00"})


def test_naive_time_takes_the_configured_default_timezone() -> None:
    obs = Observation.model_validate(
        {**BASE, "reported_at": "2026-07-01T09:00:00"}, context={"default_timezone": "Asia/Shanghai"}
    )
    assert obs.reported_at.utcoffset() == timedelta(hours=8)


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("location", {"lat": 91}),
        ("location", {"lon": -181}),
        ("kind", "walk"),
        ("status", "done"),
        ("category", "Well Drilling"),
        ("reported_at", "2026-02-30T09:00:00+08:00"),
        ("reporter", {"role": "passer-by"}),
        ("history", {"reports_7d": -1}),
    ],
)
def test_invalid_fields_are_rejected(field: str, value: object) -> None:
    with pytest.raises(ValidationError) as caught:
        Observation.model_validate({**BASE, field: value})
    assert caught.value.errors()[0]["loc"][0] == field


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("30m", timedelta(minutes=30)),
        ("2h", timedelta(hours=2)),
        ("1h30m", timedelta(minutes=90)),
        ("15d", timedelta(days=15)),
        ("1w", timedelta(days=7)),
        (4, timedelta(hours=4)),
    ],
)
def test_durations(text: str | int, expected: timedelta) -> None:
    assert parse_duration(text) == expected
    assert parse_duration(format_duration(expected)) == expected


@pytest.mark.parametrize("text", ["", "soon", "2 hours", "-1h", "0m", True])
def test_bad_durations(text: object) -> None:
    with pytest.raises(ValueError):
        parse_duration(text)  # type: ignore[arg-type]


def test_templates_render_values_and_mark_missing_ones() -> None:
    values = {"a": 3.0, "b": True, "c": ["x", "y"]}
    assert render("{a}米 {b} {c} {d} {{a}}", values.get) == "3米 是 x、y 未知 {a}"


def test_templates_accept_a_format_spec_for_numbers() -> None:
    values = {"a": 0.239964, "b": "东村", "c": 3}
    assert render("{a:.2f}亩 {b:.2f} {c:03d} {a:bogus}", values.get) == "0.24亩 东村 003 0.239964"
