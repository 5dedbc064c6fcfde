"""The validation fast path gives exactly the full validator's observation, or steps aside."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from riskscreen import Screener
from riskscreen.fastpath import FastValidator, same_observation
from riskscreen.readers import read_records
from riskscreen.settings import Settings

SCREENER = Screener()
FULL = SCREENER._validator
FAST = FastValidator(SCREENER.ruleset.registry, SCREENER.settings, SCREENER._zone)

_TIMES = st.one_of(
    st.sampled_from(
        [
            "2026-07-01T09:00:00+08:00",
            "2026-07-01 09:00:00Z",
            "2026-07-01T09:00:00.123-03:30",
            "2026-07-01T09:00:00",
            "2026-13-01T09:00:00+08:00",
            "yesterday",
            1782000000,
            None,
        ]
    ),
    # (years near 1 or 9999 are left out: the full validator cannot move them to local time)
    st.datetimes(
        min_value=datetime(1900, 1, 1),
        max_value=datetime(2100, 1, 1),
        timezones=st.sampled_from([timezone.utc, timezone(timedelta(hours=8))]),
    ),
    st.datetimes(min_value=datetime(2000, 1, 1), max_value=datetime(2030, 1, 1)),
)
_VALUES = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-3, 200),
    st.floats(allow_nan=True, allow_infinity=True),
    st.sampled_from(["", "东村", "x" * 30, "true", "3", "2026-07-01T09:00:00+08:00"]),
    st.lists(st.one_of(st.integers(0, 3), st.sampled_from(["a", 1.5, None])), max_size=3),
    st.dictionaries(st.sampled_from(["a", "b"]), st.integers(0, 2), max_size=2),
)


@st.composite
def records(draw: st.DrawFn) -> dict[str, Any]:
    """Records shaped like real ones, some fields absent, null, mistyped or out of range."""
    names = SCREENER.ruleset.registry.names
    category = draw(st.one_of(st.sampled_from(names), st.sampled_from([*names, "nope", "Bad-Category", 7])))
    declared = SCREENER.ruleset.registry.attr_types(category) if isinstance(category, str) else {}
    attrs = {
        name: draw(st.one_of(_VALUES, _typed(kind.name)))
        for name, kind in declared.items()
        if draw(st.booleans())
    }
    if draw(st.booleans()):
        attrs["extra_key"] = draw(_VALUES)
    record: dict[str, Any] = {
        "id": draw(st.one_of(st.just("obs-1"), st.just("obs-1"), st.sampled_from(["", "x" * 201, 7]))),
        "category": category,
        "reported_at": draw(st.one_of(st.just("2026-07-01T09:00:00+08:00"), _TIMES)),
    }
    optional = {
        "kind": st.sampled_from(["patrol", "incident", "unknown", None]),
        "occurred_at": _TIMES,
        "location": st.fixed_dictionaries(
            {},
            optional={
                "village": _VALUES,
                "district": st.sampled_from(["北管区"]),
                "lat": st.one_of(st.floats(-100, 100), st.integers(-100, 100), st.just("36.6")),
                "vilage": st.just("typo"),
            },
        ),
        "reporter": st.fixed_dictionaries({}, optional={"role": st.sampled_from(["citizen", "boss", None])}),
        "description": st.one_of(st.sampled_from(["", "现场有人员受伤", "y" * 20001]), _VALUES),
        "status": st.sampled_from(["new", "closed", "done"]),
        "attrs": st.just(attrs),
        "history": st.fixed_dictionaries(
            {},
            optional={
                "reports_7d": st.one_of(st.integers(-1, 5), st.floats(0, 5)),
                "days_since_last_report": st.one_of(st.floats(-1, 5), st.integers(0, 5)),
                "rectified_before": _VALUES,
            },
        ),
        "platform_ref": st.one_of(_VALUES, st.just({"deep": _nested(13)})),
    }
    for name, strategy in optional.items():
        if draw(st.booleans()):
            record[name] = draw(strategy)
    return record


def _nested(depth: int) -> Any:
    value: Any = 1
    for _ in range(depth):
        value = [value]
    return value


def _typed(kind: str) -> st.SearchStrategy[Any]:
    inner = kind[5:-1] if kind.startswith("list[") else kind
    scalar = {
        "string": st.sampled_from(["a", "东村"]),
        "int": st.integers(0, 50),
        "float": st.one_of(st.floats(0, 100), st.integers(0, 100)),
        "bool": st.booleans(),
        "datetime": st.sampled_from(["2026-07-01T09:00:00+08:00", "2026-07-01T09:00:00"]),
    }.get(inner, st.none())
    return st.lists(scalar, max_size=3) if kind.startswith("list[") else scalar


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=records())
def test_the_fast_path_gives_the_full_validators_observation_or_steps_aside(data: dict[str, Any]) -> None:
    fast = FAST.validate(data)
    if fast is not None:
        assert same_observation(fast, FULL.validate(data))


def test_well_formed_records_take_the_fast_path() -> None:
    records = [r for r in read_records("examples/observations.jsonl") if isinstance(r, dict)]
    accepted = 0
    for record in records:
        fast = FAST.validate(record)
        if fast is not None:
            accepted += 1
            assert same_observation(fast, FULL.validate(record))
    assert accepted >= 0.95 * len(records)
    assert FAST.check(FULL.validate)


def test_naive_times_and_limits_are_left_to_the_full_validator() -> None:
    base = {"id": "o", "category": "other", "reported_at": "2026-07-01T09:00:00+08:00"}
    assert FAST.validate(base) is not None
    assert FAST.validate({**base, "reported_at": "2026-07-01T09:00:00"}) is None
    assert FAST.validate({**base, "description": "x" * 20001}) is None
    lenient = Screener(settings=Settings(default_timezone="Asia/Shanghai"))
    observation = lenient.validate({**base, "reported_at": "2026-07-01T09:00:00"})
    assert not hasattr(observation, "field") and observation.reported_at.utcoffset() == timedelta(hours=8)


def test_a_disagreement_switches_the_fast_path_off() -> None:
    fast = FastValidator(SCREENER.ruleset.registry, SCREENER.settings, SCREENER._zone)
    assert fast.check(lambda data: None) is False
    assert fast.validate({"id": "o", "category": "other", "reported_at": "2026-07-01T09:00:00+08:00"}) is None


_BASE = {"id": "o", "category": "other", "reported_at": "2026-07-01T09:00:00+08:00"}


@pytest.mark.parametrize(
    "shape",
    [
        {"attrs": {"tags": [], "names": []}},  # empty lists
        {"history": {"reports_7d": 2}},  # partial history
        {"history": {}, "location": {}, "reporter": {}},  # empty parts
        {"location": {"district": "北管区", "village": "东村", "grid_id": "g-1", "lat": 36.1, "lon": 117}},
        {"attrs": {"extra": {"a": [{"b": {"c": [1, 2.5, None, "x"]}}]}}},  # nested unknown attributes
        {"platform": {"source": {"system": "grid", "ids": [1, 2]}}, "occurred_at": None},
        {"attrs": {"count": None}},  # a null attribute
    ],
)
def test_the_shapes_people_send_take_the_fast_path(shape: dict[str, Any]) -> None:
    record = {**_BASE, **shape}
    fast = FAST.validate(record)
    assert fast is not None
    assert same_observation(fast, FULL.validate(record))


def test_the_canaries_cover_those_shapes() -> None:
    canaries = FAST.canaries()
    assert any(c["history"] == {"reports_30d": 0} and c["location"] == {} for c in canaries)
    assert FAST.check(FULL.validate, canaries)
