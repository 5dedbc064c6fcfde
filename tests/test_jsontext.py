"""``jsontext.dumps`` writes what pydantic writes for a model field typed ``Any``, byte for byte.

Alerts on the command line are written from plain data with it (``encode_alert``); what a
finding's ``values`` hold comes from records and plugins, so any value must come out as the
:class:`~riskscreen.models.Finding` model writes it.
"""

from __future__ import annotations

import dataclasses
import enum
import json
from datetime import date, datetime, time, timedelta, timezone
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from hypothesis import given, settings
from hypothesis import strategies as st
from pydantic import BaseModel

from riskscreen.jsontext import dumps, indented
from riskscreen.models import Finding, Insufficient


class _Holder(BaseModel):
    value: Any


def _pydantic(value: Any) -> bytes:
    """What pydantic writes for ``value`` in a field typed ``Any`` (the wrapper cut off)."""
    text = _Holder(value=value).model_dump_json().encode()
    return text[len(b'{"value":') : -1]


_ZONES = st.sampled_from(
    [
        timezone.utc,
        timezone(timedelta(hours=8)),
        timezone(timedelta(hours=-3, minutes=-30)),
        ZoneInfo("Asia/Shanghai"),  # before 1901 its offset is +08:05:43
        ZoneInfo("Europe/London"),  # a zero offset that is not UTC
        ZoneInfo("America/St_Johns"),
    ]
)
_times = st.builds(
    lambda moment, zone: moment.replace(tzinfo=zone),
    st.datetimes(min_value=datetime(1800, 1, 1), max_value=datetime(2200, 1, 1)),
    _ZONES,
)


class _Colour(enum.Enum):
    RED = "red"
    AMBER = 2


class _Level(enum.IntEnum):
    LOW = 1


class _Word(str):
    pass


@dataclasses.dataclass
class _Point:
    x: float
    label: str


_scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),  # wider than 64 bits too: orjson refuses those, pydantic writes them
    st.floats(),  # infinities and NaN included: written as null
    st.text(),
    st.text(alphabet=st.characters(max_codepoint=0x3000)),
    _times,
    st.datetimes(),  # naive
    st.dates(),
    st.times(),
    st.timedeltas(),
    st.decimals(allow_nan=False, places=3),
    st.sampled_from([_Colour.RED, _Colour.AMBER, _Level.LOW]),
    st.builds(_Word, st.text()),
    st.builds(_Point, st.floats(allow_nan=False), st.text()),
)
_values = st.recursive(
    _scalars,
    lambda inner: st.one_of(
        st.lists(inner, max_size=4),
        st.tuples(inner, inner),
        st.dictionaries(st.text(), inner, max_size=4),
    ),
    max_leaves=20,
)


@settings(max_examples=400, deadline=None)
@given(_values)
def test_any_value_is_written_as_pydantic_writes_it(value: Any) -> None:
    assert dumps(value) == _pydantic(value)


@settings(max_examples=400, deadline=None)
@given(_values)
def test_indented_text_is_json_dumps_of_pydantics_json_mode(value: Any) -> None:
    # --format json writes json.dumps(model_dump(mode="json"), indent=2); orjson writes it
    # unless unsure (floats Python writes with an exponent, wide integers, odd keys)
    text = indented(value)
    expected = json.dumps(_Holder(value=value).model_dump(mode="json")["value"], ensure_ascii=False, indent=2)
    if text is not None:
        assert text.decode() == expected


def test_indented_text_is_given_for_alert_like_values() -> None:
    value = {"score": 62.5, "when": datetime(2026, 1, 4, 15, 26, tzinfo=timezone.utc), "tags": [], "n": {}}
    text = indented(value)
    assert text is not None and json.loads(text) == {
        "score": 62.5,
        "when": "2026-01-04T15:26:00Z",
        "tags": [],
        "n": {},
    }
    assert indented({"tiny": 1e-05}) is None  # Python writes 1e-05, orjson 0.00001


def test_models_inside_are_written_by_their_own_serializers() -> None:
    undecided = Insufficient(rule_id="R-1", missing=["attrs.area"], severity="high", score=60)
    finding = Finding(
        rule_id="R-2", pack="p", severity="low", score=10, title="标题", message="说明", source="s:1"
    )
    data = {"insufficient": [undecided], "findings": [finding]}
    assert dumps(data) == _pydantic(data)
    # the insufficient entry leaves out its empty error, as its own serializer does
    assert b'"error"' not in dumps(undecided)


def test_non_finite_numbers_are_null_and_the_text_is_json() -> None:
    value = {"x": float("inf"), "y": [float("nan"), -float("inf")], "z": Decimal("1.5")}
    assert json.loads(dumps(value)) == {"x": None, "y": [None, None], "z": "1.5"}


def test_what_orjson_refuses_is_written_by_pydantic() -> None:
    for value in (2**70, {"n": -(2**65)}, [1, {"big": 2**64}]):
        assert dumps(value) == _pydantic(value)


def test_times_keep_pydantics_form() -> None:
    moment = datetime(2026, 1, 4, 15, 26, 18, tzinfo=timezone.utc)
    assert dumps(moment) == b'"2026-01-04T15:26:18Z"'
    assert dumps(date(2026, 1, 4)) == b'"2026-01-04"'
    assert dumps(time(8, 30)) == b'"08:30:00"'
