"""Results pickle as their field values and come back as the same models, nothing validated.

Worker processes (``jobs``) send every result back pickled, and services pickle results
into their own queues and caches; a result must come back equal, of the same class, with
the same fields set, and its JSON the same.
"""

from __future__ import annotations

import copy
import pickle
from datetime import datetime, timedelta, timezone
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st
from pydantic import PrivateAttr

from riskscreen.models import Alert, Finding, Insufficient, Location, Observation, ScreenResult, _Model
from riskscreen.readers import read_records

from .helpers import SAMPLE, observation, shipped_screener


def _round_trip(model: Any, protocol: int = pickle.HIGHEST_PROTOCOL) -> Any:
    return pickle.loads(pickle.dumps(model, protocol))


def _same(found: Any, expected: Any) -> None:
    assert type(found) is type(expected)
    assert found == expected
    assert found.model_fields_set == expected.model_fields_set
    assert found.model_dump_json() == expected.model_dump_json()
    assert list(found.__dict__) == list(expected.__dict__)  # field order, hence repr and JSON


def test_every_result_of_the_shipped_sample_comes_back_the_same() -> None:
    results = list(shipped_screener().iter_screen(list(read_records(str(SAMPLE)))))
    assert {r.status for r in results} == {"alert", "no_alert", "error"}
    for protocol in (2, pickle.DEFAULT_PROTOCOL, pickle.HIGHEST_PROTOCOL):
        for found, expected in zip(_round_trip(results, protocol), results, strict=True):
            _same(found, expected)
            if expected.alert is not None:
                for finding, original in zip(found.alert.findings, expected.alert.findings, strict=True):
                    _same(finding, original)


def test_a_model_with_some_fields_given_keeps_which_were_given() -> None:
    partial = Insufficient(rule_id="R-1", missing=["attrs.depth_m"])
    assert partial.model_fields_set == {"rule_id", "missing"}
    _same(_round_trip(partial), partial)
    located = Location(village="东村")
    _same(_round_trip(located), located)
    # a copy made by the copy module still goes through pydantic's own __copy__
    _same(copy.deepcopy(partial), partial)


_texts = st.text(max_size=20)


@settings(max_examples=60, deadline=None)
@given(
    village=st.one_of(st.none(), _texts),
    description=_texts,
    depth=st.one_of(st.none(), st.floats(0, 500, allow_nan=False)),
    offset=st.integers(-12 * 60, 14 * 60),
    hours=st.integers(0, 24 * 365),
)
def test_any_screened_observation_and_its_result_come_back_the_same(
    village: str | None, description: str, depth: float | None, offset: int, hours: int
) -> None:
    zone = timezone(timedelta(minutes=offset))
    when = datetime(2026, 1, 1, tzinfo=zone) + timedelta(hours=hours)
    attrs: dict[str, Any] = {} if depth is None else {"depth_m": depth}
    data = observation(
        reported_at=when.isoformat(),
        description=description,
        location={"village": village},
        attrs=attrs,
    )
    screener = shipped_screener()
    validated = screener.validate(data)
    assert isinstance(validated, Observation)
    _same(_round_trip(validated), validated)
    _same(_round_trip(screener.screen(data)), screener.screen(data))


class _Annotated(Finding):
    """A service's own kind of finding, with a private value of its own."""

    _note: str = PrivateAttr(default="")


def test_a_subclass_with_private_values_keeps_them() -> None:
    finding = _Annotated(
        rule_id="R-1", pack="p", severity="low", score=20, title="t", message="m", source="s"
    )
    finding._note = "seen"
    found = _round_trip(finding)
    _same(found, finding)
    assert found._note == "seen"


def test_every_model_riskscreen_returns_pickles_by_its_values() -> None:
    # the models results are made of, and the observation: each is a _Model
    for cls in (Alert, Finding, Insufficient, Location, Observation, ScreenResult):
        assert issubclass(cls, _Model)
        assert cls.__reduce__ is _Model.__reduce__
