"""The validation fast path gives exactly the full validator's observation, or steps aside."""

from __future__ import annotations

import json
import pickle
from collections.abc import Mapping
from datetime import datetime, timedelta, timezone
from typing import Any, Literal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pydantic import BaseModel, ConfigDict, Field, field_serializer, field_validator, model_validator

from riskscreen import Screener, hookimpl
from riskscreen.fastpath import FastValidator, _attrs_as_typed_dict, same_observation
from riskscreen.jsonline import JsonLine
from riskscreen.models import Observation
from riskscreen.readers import jsonl_records, read_records
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


_BASE = {"id": "o", "category": "other", "reported_at": "2026-07-01T09:00:00+08:00"}

# a default timezone other than the local one, with summer time: naive times move
LENIENT = Screener(settings=Settings(default_timezone="Europe/Berlin"))
LENIENT_FAST = FastValidator(LENIENT.ruleset.registry, LENIENT.settings, LENIENT._zone)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=records())
def test_with_a_default_timezone_the_fast_path_still_gives_the_full_validators_observation(
    data: dict[str, Any],
) -> None:
    fast = LENIENT_FAST.validate(data)
    if fast is not None:
        assert same_observation(fast, LENIENT._validator.validate(data))


def test_with_a_default_timezone_naive_times_take_the_fast_path() -> None:
    assert LENIENT._fast.enabled
    record = {
        **_BASE,
        "category": "dispute",
        "reported_at": "2026-07-01T09:00:00",  # 09:00 in Berlin is 15:00 in Shanghai
        "occurred_at": "2026-03-29 02:30:00",  # a time the clocks skip in Berlin
        "attrs": {"parties": 2, "mediation_started_at": "2026-07-01T08:00:00"},
    }
    fast = LENIENT_FAST.validate(record)
    assert fast is not None and fast.reported_at.hour == 15
    assert same_observation(fast, LENIENT._validator.validate(record))
    assert fast.attrs["mediation_started_at"].hour == 14


def test_a_disagreement_switches_the_fast_path_off() -> None:
    fast = FastValidator(SCREENER.ruleset.registry, SCREENER.settings, SCREENER._zone)
    assert fast.check(lambda data: None) is False
    assert fast.validate({"id": "o", "category": "other", "reported_at": "2026-07-01T09:00:00+08:00"}) is None


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


# -- attribute models: read as a typed dict when plain, through the model otherwise ---------


class _PlainAttrs(BaseModel):
    depth_m: float | None = Field(default=None, ge=0, le=5000)
    permit: Literal["valid", "none"] | None = None
    equipment: list[str] | None = None
    seen_at: datetime | None = None
    count: int = 0


class _CheckedAttrs(_PlainAttrs):
    @field_validator("equipment")
    @classmethod
    def _lower(cls, value: list[str] | None) -> list[str] | None:
        return [item.lower() for item in value] if value is not None else None


class _AliasedAttrs(BaseModel):
    depth_m: float | None = Field(default=None, alias="depth")


class _ValidatedAttrs(_PlainAttrs):
    @model_validator(mode="after")
    def _no_count_without_equipment(self) -> _ValidatedAttrs:
        if self.count and not self.equipment:
            raise ValueError("count without equipment")
        return self


class _SerializedAttrs(_PlainAttrs):
    @field_serializer("depth_m")
    def _rounded(self, value: float | None) -> float | None:
        return round(value) if value is not None else None


class _StrictAttrs(_PlainAttrs):
    model_config = ConfigDict(strict=True)


class _StrictTimeAttrs(_PlainAttrs):
    # strict in Python, a time must be a datetime; in JSON text a string is one
    seen_at: datetime | None = Field(default=None, strict=True)


_MODELS: dict[str, type[BaseModel]] = {
    "plain_site": _PlainAttrs,
    "checked_site": _CheckedAttrs,
    "aliased_site": _AliasedAttrs,
    "validated_site": _ValidatedAttrs,
    "serialized_site": _SerializedAttrs,
    "strict_site": _StrictAttrs,
    "strict_time_site": _StrictTimeAttrs,
}


class _SitesPlugin:
    riskscreen_plugin_name = "sites"

    @hookimpl
    def riskscreen_categories(self) -> Mapping[str, type[BaseModel]]:
        return _MODELS


SITES = Screener(plugins=[_SitesPlugin()])
SITES_FAST = FastValidator(SITES.ruleset.registry, SITES.settings, SITES._zone)


def test_only_plain_attribute_models_are_read_as_typed_dicts() -> None:
    readable = {
        category: _attrs_as_typed_dict(SITES.ruleset.registry.validator(category)) is not None
        for category in _MODELS
    }
    # validators, aliases, serializers and strict mode all need the model itself
    assert readable == {
        "plain_site": True,
        "checked_site": False,
        "aliased_site": False,
        "validated_site": False,
        "serialized_site": False,
        "strict_site": False,
        "strict_time_site": True,
    }
    assert SITES._fast.enabled


_ANY_ATTR = st.one_of(
    _VALUES,
    st.lists(st.sampled_from(["Pump", "Drill", 3, None]), max_size=3),
    st.fixed_dictionaries({}, optional={"name": st.sampled_from(["东村", 5]), "grade": _VALUES}),
    st.tuples(st.integers(0, 2), st.just("x")),
    st.datetimes(
        min_value=datetime(2000, 1, 1),
        max_value=datetime(2030, 1, 1),
        timezones=st.sampled_from([timezone.utc, timezone(timedelta(hours=8)), None]),
    ),
)
_DEPTHS = st.one_of(
    st.sampled_from([-1, -0.5, 0, 12.5, 5000, 5000.5, 6000, "12.5", True, None]), st.floats(-10, 6000)
)
# each attribute: values of its own type, near and over its constraints, and anything at all
_ATTRS = {
    "depth_m": _DEPTHS,
    "depth": _DEPTHS,
    "permit": st.sampled_from(["valid", "none", "maybe", None]),
    "equipment": st.lists(st.sampled_from(["Pump", "Drill", 3, None]), max_size=3),
    "seen_at": _TIMES,
    "count": st.one_of(st.integers(-1, 5), st.sampled_from([2.0, 2.5, True, "3"])),
    "extra": _ANY_ATTR,
    "note": _ANY_ATTR,
}


@st.composite
def _attrs(draw: st.DrawFn) -> dict[Any, Any]:
    names = draw(st.permutations(sorted(_ATTRS)))[: draw(st.integers(0, 5))]
    # mostly values of the attribute's own type (the interesting edges), sometimes anything
    attrs: dict[Any, Any] = {
        name: draw(_ANY_ATTR if draw(st.integers(0, 3)) == 0 else _ATTRS[name]) for name in names
    }
    if draw(st.integers(0, 9)) == 0:  # a key that is not text, as a caller's dict may have
        attrs[draw(st.sampled_from([1, 2.5, None, b"depth_m"]))] = draw(_ANY_ATTR)
    return attrs


@pytest.mark.parametrize("category", sorted(_MODELS))
@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(attrs=_attrs())
def test_each_kind_of_attribute_model_gives_the_full_validators_observation(
    category: str, attrs: dict[str, Any]
) -> None:
    data = {**_BASE, "category": category, "attrs": attrs}
    fast = SITES_FAST.validate(data)
    if fast is not None:
        assert same_observation(fast, SITES._validator.validate(data))


def test_well_formed_attributes_of_every_model_take_the_fast_path() -> None:
    attrs = {
        "depth_m": 12.5,
        "equipment": ["Pump"],
        "seen_at": datetime(2026, 7, 1, 1, tzinfo=timezone.utc),  # an object: strict mode takes it
        "note": {"a": [1]},
    }
    for category in _MODELS:
        data = {**_BASE, "category": category, "attrs": attrs}
        fast = SITES_FAST.validate(data)
        assert fast is not None, category
        assert same_observation(fast, SITES._validator.validate(data))


def test_the_observation_shares_no_list_or_dict_with_the_record() -> None:
    ids, nested, equipment, tags = [1, 2], {"a": [3]}, ["Pump"], [1]
    attrs = {"equipment": equipment, "extra": {"ids": ids, "nested": nested}, "tags": tags}
    observation = SITES_FAST.validate({**_BASE, "category": "plain_site", "attrs": attrs})
    assert observation is not None
    ids.append(3)
    nested["a"].clear()
    equipment.append("Drill")
    tags.append(2)
    assert observation.attrs == {
        "equipment": ["Pump"],
        "extra": {"ids": [1, 2], "nested": {"a": [3]}},
        "tags": [1],
    }


def test_every_canary_is_compared_not_left_to_the_full_validator() -> None:
    # a canary the fast path steps aside from checks nothing: each must be one it takes
    for screener, naive_taken in ((SCREENER, False), (LENIENT, True), (SITES, False)):
        canaries = screener._fast.canaries()
        taken = [screener._fast.validate(c) is not None for c in canaries]
        naive = [not str(c["reported_at"]).endswith(("Z", "+08:00")) for c in canaries]
        assert all(t for t, n in zip(taken, naive, strict=True) if not n)
        assert any(naive) and all(t == naive_taken for t, n in zip(taken, naive, strict=True) if n)
        assert screener._fast.check(screener._validator.validate, canaries)


# -- JSON lines: parsed and validated in one pass, or decoded as the reader decodes them ------

# tight limits: a short line can hold a string over them, lists of attributes nest too deep
TIGHT = Screener(settings=Settings(max_text_length=40, max_depth=2))
_NAMES = SCREENER.ruleset.registry.names


def _outcome(result: Any) -> Any:
    """An observation as everything ``same_observation`` compares; an error record as itself."""
    if isinstance(result, Observation):
        parts = ("location", "reporter", "history")
        sets = [result.model_fields_set, *(getattr(result, p).model_fields_set for p in parts)]
        return ("observation", repr(result), repr(result.model_dump()), list(result.attrs), sets)
    return ("error", result)


@st.composite
def well_formed(draw: st.DrawFn) -> dict[str, Any]:
    """Valid records of every shape: parts present, partial or empty, attributes typed or unknown."""
    category = draw(st.sampled_from(_NAMES))
    declared = SCREENER.ruleset.registry.attr_types(category)
    attrs = {name: draw(_typed(kind.name)) for name, kind in declared.items() if draw(st.booleans())}
    if draw(st.booleans()):
        attrs[draw(st.sampled_from(["extra_key", "备注"]))] = draw(_VALUES.filter(lambda v: v == v))
    record: dict[str, Any] = {
        "id": draw(st.sampled_from(["obs-1", "事件-2"])),
        "category": category,
        "reported_at": draw(st.sampled_from(["2026-07-01T09:00:00+08:00", "2026-03-29 01:30:00.25Z"])),
        "attrs": attrs,
    }
    optional = {
        "kind": st.sampled_from(["patrol", "incident"]),
        "occurred_at": st.sampled_from([None, "2026-06-30T23:00:00-02:00"]),
        "location": st.fixed_dictionaries(
            {}, optional={"village": st.just("东村"), "lat": st.floats(-90, 90), "street": st.none()}
        ),
        "reporter": st.fixed_dictionaries({}, optional={"role": st.just("citizen"), "id": st.just("gw-1")}),
        "description": st.sampled_from(["", "现场有人员受伤", 'a"quoted" \\ line']),
        "history": st.fixed_dictionaries({}, optional={"reports_7d": st.integers(0, 5)}),
        "platform": st.one_of(_VALUES, st.just({"source": {"ids": [1, 2]}})),
    }
    for name, strategy in optional.items():
        if draw(st.booleans()):
            record[name] = draw(strategy)
    return record


@st.composite
def json_lines(draw: st.DrawFn, data: st.SearchStrategy[dict[str, Any]] | None = None) -> str:
    """JSONL lines as platforms write them, with the awkward ones among them."""
    record = draw(data if data is not None else st.one_of(well_formed(), records()))
    # (the awkward variants below are drawn on True: hypothesis leans towards False, the plain line)
    if draw(st.booleans()) and draw(st.booleans()):  # another object's "category" before the record's own
        record = {"platform": {"category": draw(st.sampled_from([*_NAMES, "nope"]))}, **record}
    separators = draw(st.sampled_from([(", ", ": "), (",", ":"), (" ,\t", " :\r\n ")]))
    text = json.dumps(
        record, ensure_ascii=draw(st.booleans()), separators=separators, default=str, skipkeys=True
    )
    choice = draw(st.integers(0, 9)) if draw(st.booleans()) else None
    if choice == 0:  # a key given twice: the last one counts
        key = draw(st.sampled_from(['"category": "other"', '"id": "obs-2"', '"reported_at": "x"']))
        text = text[:-1] + ", " + key + "}"
    elif choice == 1:  # cut short, or something in between
        at = draw(st.integers(0, len(text)))
        inserted = draw(st.sampled_from(["", "x", ",", "}", '"', "\\", "\\ud800", "NaN", "[[[[[[[["]))
        text = text[:at] + inserted + text[at:]
    return text + draw(st.sampled_from(["\n", "\r\n", ""]))


def _same_either_way(screener: Screener, text: str) -> None:
    """The screener gives for the line what it gives for the record the JSONL reader reads from it."""
    records = list(jsonl_records(text, 7))
    assert len(records) == 1  # never a document here: those are not kept as lines
    line = JsonLine(text, 7)
    assert _outcome(screener.validate(line, 3)) == _outcome(screener.validate(records[0], 3))


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=json_lines())
def test_a_json_line_gives_what_its_decoded_record_gives(text: str) -> None:
    _same_either_way(SCREENER, text)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=json_lines())
def test_with_a_default_timezone_a_json_line_gives_what_its_decoded_record_gives(text: str) -> None:
    _same_either_way(LENIENT, text)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=json_lines())
def test_under_tight_limits_a_json_line_gives_what_its_decoded_record_gives(text: str) -> None:
    _same_either_way(TIGHT, text)


@pytest.mark.parametrize("category", sorted(_MODELS))
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_a_json_line_of_each_kind_of_attribute_model_gives_what_its_record_gives(
    category: str, data: st.DataObject
) -> None:
    shaped = data.draw(_attrs()).items()
    attrs = st.just({k: v for k, v in shaped if isinstance(k, str)})
    record = st.fixed_dictionaries({**{k: st.just(v) for k, v in _BASE.items()}, "attrs": attrs})
    text = data.draw(json_lines(record.map(lambda r: {**r, "category": category})))
    _same_either_way(SITES, text)


@pytest.mark.parametrize(
    "shape",
    [
        {"attrs": {"extra": {"a": _nested(11)}}},  # an unknown attribute nested too deep
        {"platform": _nested(12)},  # an ignored key nested too deep
        {"platform": _nested(10)},  # ... and one just within the limit
        {"description": "长" * 20001},  # a string over the limit
        {"reported_at": "2026-07-01T09:00:00"},  # a naive time, no default timezone
        {"reported_at": "9999-12-31T23:00:00-08:00"},  # no room left for a deadline
        {"attrs": {"category": "dispute"}, "category": "other"},  # "category" first in attrs
        {"description": "x\ud800y"},  # a lone surrogate
        {"attrs": {"note": float("nan"), "big": 10**30, "huge": 1e308 * 10}},  # NaN, Infinity
        {"location": {"lat": 1e400}},  # a number past a float, in a declared field
    ],
)
def test_awkward_json_lines_give_what_their_records_give(shape: dict[str, Any]) -> None:
    record = {**_BASE, **shape}
    for ascii_only in (True, False):
        text = json.dumps(record, ensure_ascii=ascii_only)
        for screener in (SCREENER, LENIENT, TIGHT):
            _same_either_way(screener, text)


def test_well_formed_json_lines_are_validated_without_being_decoded(monkeypatch: pytest.MonkeyPatch) -> None:
    def decoded(self: JsonLine) -> Any:
        raise AssertionError(f"line {self.number} decoded")

    lines = [r for r in read_records("examples/observations.jsonl", lines=True) if isinstance(r, JsonLine)]
    expected = [FULL.validate(line) for line in lines]  # decoded here, before the patch
    monkeypatch.setattr(JsonLine, "record", decoded)
    taken = 0
    for line, full in zip(lines, expected, strict=True):
        if isinstance(full, Observation):
            fast = FAST.validate(line)
            assert fast is not None and same_observation(fast, full)
            taken += 1
    assert taken >= 0.9 * len(lines)


def test_a_json_line_travels_to_worker_processes() -> None:
    line = JsonLine('{"id": "o"}\n', 12, path="a.jsonl")
    copy = pickle.loads(pickle.dumps(line))
    assert (copy.text, copy.number, copy.path) == (line.text, line.number, line.path)
