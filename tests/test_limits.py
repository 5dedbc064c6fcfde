"""The quick limits check agrees with the full validator's walk, which names the bad value."""

from __future__ import annotations

from collections import UserDict
from types import MappingProxyType
from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from riskscreen import Screener
from riskscreen.limits import record_within_limits, within_limits
from riskscreen.settings import Settings
from riskscreen.validation import RecordValidator, _InvalidFieldsError


class _Text(str):
    """A str subclass, as an API caller may pass (an enum's value, a marked-up string)."""


_LEAVES = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.floats(allow_nan=False),
    st.text(max_size=7),
    st.text(max_size=7).map(_Text),
    st.frozensets(st.integers(), max_size=2),  # looked at as one value, not into
)


def _containers(inner: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    keys = st.text(max_size=3)
    return st.one_of(
        st.lists(inner, max_size=3),
        st.lists(inner, max_size=3).map(tuple),
        st.dictionaries(keys, inner, max_size=3),
        st.dictionaries(keys, inner, max_size=3).map(MappingProxyType),
        st.dictionaries(keys, inner, max_size=3).map(UserDict),
    )


_VALUES = st.recursive(_LEAVES, _containers, max_leaves=25)
_RECORDS = st.dictionaries(st.text(max_size=3), _VALUES, max_size=5)


SCREENER = Screener()


def _walk(record: Any, max_text: int, max_depth: int) -> bool:
    """Whether the full validator's walk finds nothing over the limits."""
    settings = Settings(max_text_length=max_text, max_depth=max_depth)
    validator = RecordValidator(SCREENER.ruleset.registry, settings, SCREENER._zone)
    try:
        validator._first_over_limits(record)
    except _InvalidFieldsError:
        return False
    return True


@given(record=_RECORDS, max_text=st.integers(1, 6), max_depth=st.integers(2, 5))
def test_the_quick_check_accepts_exactly_what_the_walk_accepts(
    record: dict[str, Any], max_text: int, max_depth: int
) -> None:
    expected = _walk(record, max_text, max_depth)
    assert record_within_limits(record, max_text, max_depth) is expected
    assert within_limits(record, max_text, max_depth) is expected
    assert record_within_limits(MappingProxyType(record), max_text, max_depth) is expected


def test_a_long_str_subclass_is_over_the_limit() -> None:
    assert not record_within_limits({"description": _Text("x" * 9)}, 8, 12)
    assert not record_within_limits({"attrs": {"note": _Text("x" * 9)}}, 8, 12)
    screener = SCREENER
    record = {"id": "o", "category": "other", "reported_at": "2026-07-01T09:00:00+08:00"}
    error = screener.validate({**record, "description": _Text("x" * 20_001)})
    assert getattr(error, "field", None) == "description"


def test_an_over_long_value_is_still_named_by_its_path() -> None:
    record = {
        "id": "o",
        "category": "other",
        "reported_at": "2026-07-01T09:00:00+08:00",
        "attrs": {"notes": ["ok", "x" * 20_001]},
    }
    error = SCREENER.validate(record)
    assert getattr(error, "field", None) == "attrs.notes.1"
    assert "20001" in getattr(error, "message", "")
