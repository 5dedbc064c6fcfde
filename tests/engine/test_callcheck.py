"""Function-call argument checks remembered by argument types answer as rule-engine's own check."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
import rule_engine
from hypothesis import given, settings
from hypothesis import strategies as st

from riskscreen.engine import callcheck, internals

DataType = rule_engine.DataType
MENTIONS = DataType.FUNCTION(
    "mentions",
    return_type=DataType.BOOLEAN,
    argument_types=(DataType.STRING, DataType.ARRAY(DataType.STRING), DataType.ARRAY(DataType.STRING)),
    minimum_arguments=2,
)


def _outcome(check: Any, arguments: tuple[Any, ...]) -> str | None:
    try:
        check(MENTIONS, arguments)
    except rule_engine.errors.FunctionCallError as error:
        return f"{error.function_name}: {error}"
    return None


values = st.one_of(
    st.text(max_size=3),
    st.decimals(allow_nan=False, allow_infinity=False, places=1),
    st.booleans(),
    st.none(),
)
arrays = st.one_of(
    st.lists(st.text(max_size=3), max_size=6).map(tuple),
    st.lists(values, max_size=6).map(tuple),
)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.one_of(values, arrays), max_size=4).map(tuple), st.integers(1, 3))
def test_the_remembered_check_answers_as_rule_engines_every_time(
    arguments: tuple[Any, ...], times: int
) -> None:
    # the same arguments, checked again (remembered) and afresh: the same outcome and message
    expected = _outcome(internals.validate_function, arguments)
    for _ in range(times):
        assert _outcome(callcheck.check_arguments, arguments) == expected


def test_a_passing_check_runs_once_per_argument_types(monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[tuple[Any, ...]] = []
    real = internals.validate_function

    def counted(function_type: Any, arguments: tuple[Any, ...]) -> None:
        calls.append(arguments)
        real(function_type, arguments)

    monkeypatch.setattr(internals, "validate_function", counted)
    words = tuple(f"词{i}" for i in range(40))  # a rule's literal word list: one object, every call
    for text in ("有人受伤", "无人员伤亡", "倒塌"):
        callcheck.check_arguments(MENTIONS, (text, words, ("无", "未")))
    assert len(calls) <= 1  # checked once (or not at all: an earlier test saw these types)
    # another list of the same type is the same answer; a list of numbers is checked and fails
    callcheck.check_arguments(MENTIONS, ("x", tuple(f"w{i}" for i in range(40)), ()))
    with pytest.raises(rule_engine.errors.FunctionCallError, match="argument #2"):
        callcheck.check_arguments(MENTIONS, ("x", (Decimal(1), Decimal(2)), ()))
    with pytest.raises(rule_engine.errors.FunctionCallError, match="argument #2"):
        callcheck.check_arguments(MENTIONS, ("x", (Decimal(1), Decimal(2)), ()))  # failures are not kept
