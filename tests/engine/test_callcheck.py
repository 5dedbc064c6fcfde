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


def _counted(monkeypatch: pytest.MonkeyPatch, owner: Any, name: str) -> list[tuple[Any, ...]]:
    """The arguments of every call of ``owner.name`` (a check) from now on; it still checks."""
    calls: list[tuple[Any, ...]] = []
    real = getattr(owner, name)

    def counted(function_type: Any, arguments: tuple[Any, ...]) -> None:
        calls.append(arguments)
        real(function_type, arguments)

    monkeypatch.setattr(owner, name, counted)
    return calls


def test_a_passing_check_runs_once_per_argument_types(monkeypatch: pytest.MonkeyPatch) -> None:
    calls = _counted(monkeypatch, internals, "validate_function")
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


def test_a_call_site_checks_each_kind_of_call_once_and_answers_as_rule_engine(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    calls = _counted(monkeypatch, callcheck, "check_arguments")
    site = callcheck.ArgumentChecks()
    words, negations = ("受伤", "死亡"), ("无",)
    for text in ("有人受伤", "无人员伤亡", "倒塌"):
        site.check(MENTIONS, (text, words, negations))
    assert len(calls) == 1  # the same classes and the same literal tuples: checked once
    site.check(MENTIONS, ("x", tuple(["w1", "w2"]), negations))  # another tuple: checked
    site.check(MENTIONS, ("x", tuple(["w1", "w2"]), negations))  # a new tuple object again
    assert len(calls) == 3
    for _ in range(2):  # a failing call is checked (and fails) every time
        with pytest.raises(rule_engine.errors.FunctionCallError, match="argument #2"):
            site.check(MENTIONS, ("x", (Decimal(1), Decimal(2)), ()))
    assert len(calls) == 5


def test_a_call_site_holds_a_bounded_number_of_tuples() -> None:
    site = callcheck.ArgumentChecks()
    for n in range(3 * callcheck._HELD):  # each record's own list: a new tuple every call
        site.check(MENTIONS, ("x", (f"w{n}",), ()))
    assert len(site.held) <= callcheck._HELD


@settings(max_examples=200, deadline=None)
@given(st.lists(st.one_of(values, arrays), max_size=4).map(tuple), st.integers(1, 3))
def test_a_call_site_answers_as_rule_engine_every_time(arguments: tuple[Any, ...], times: int) -> None:
    expected = _outcome(internals.validate_function, arguments)
    site = callcheck.ArgumentChecks()
    for _ in range(times):
        assert _outcome(site.check, arguments) == expected
