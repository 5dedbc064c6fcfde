"""Compiled and interpreted evaluation agree: same value, or the same missing path or error."""

from __future__ import annotations

from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.compiler_support import Pair, expressions, records

PAIR = Pair()


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=expressions(), symbols=records())
def test_generated_expressions_agree(text: str, symbols: dict[str, Any]) -> None:
    results = PAIR.outcomes(text, symbols)
    if results is None:
        return
    interpreted, compiled = results
    assert compiled == interpreted, text


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=expressions(), symbols=records())
def test_generated_expressions_agree_as_macros(text: str, symbols: dict[str, Any]) -> None:
    results = PAIR.outcomes(text, symbols, nested=True)
    if results is None:
        return
    interpreted, compiled = results
    assert compiled == interpreted, text


@settings(max_examples=100, deadline=None)
@given(symbols=records(), data=st.data())
def test_expressions_sharing_a_record_agree(symbols: dict[str, Any], data: st.DataObject) -> None:
    """Several expressions on one record: remembered values never leak between them."""
    texts = data.draw(st.lists(expressions(2), min_size=2, max_size=5))
    results = PAIR.outcomes_on_one_record(texts, symbols)
    if results is not None:
        for (interpreted, compiled), text in zip(results, texts + texts, strict=True):
            assert compiled == interpreted, text
