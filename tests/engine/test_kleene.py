"""A rule that read a missing value but cannot fire whatever it is, is decided, not undecided."""

from __future__ import annotations

import itertools
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from riskscreen import Screener
from riskscreen.engine.evaluator import Interpreter
from riskscreen.explain import explain

from ..helpers import observation

PACK = """\
pack: kleene_demo
version: 1.0.0
title: 三值逻辑示例
applies_to: [quarry]
categories:
  quarry:
    attrs:
      a: bool
      b: bool
      c: bool
      d: bool
macros:
  both: attrs.a and attrs.b
rules:
  - id: Q-AND
    title: 且
    when: both
    severity: high
    message: 且
  - id: Q-OR
    title: 或
    when: attrs.a or attrs.b
    severity: medium
    message: 或
  - id: Q-UNLESS
    title: 除外
    when: attrs.c
    unless: attrs.d and attrs.a
    severity: low
    message: 除外
  - id: Q-MIX
    title: 混合
    when: (attrs.a and not attrs.b) or (attrs.c and attrs.d)
    severity: critical
    message: 混合
"""

NAMES = ("a", "b", "c", "d")


@pytest.fixture(scope="module", params=["compiled", "interpreted"])
def screener(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Screener:
    path = tmp_path_factory.mktemp("kleene") / "pack.yaml"
    path.write_text(PACK, encoding="utf-8")
    if request.param == "interpreted":
        return Screener([path], builtin=False, evaluator=Interpreter())
    return Screener([path], builtin=False)


def _outcome(screener: Screener, attrs: dict[str, Any]) -> tuple[set[str], set[str]]:
    result = screener.screen(observation(category="quarry", attrs=attrs))
    fired = {f.rule_id for f in result.alert.findings} if result.alert else set()
    return fired, {i.rule_id for i in result.insufficient}


def test_and_with_a_false_side_is_decided(screener: Screener) -> None:
    fired, undecided = _outcome(screener, {"b": False})
    assert "Q-AND" not in fired | undecided


def test_and_with_a_true_side_stays_undecided(screener: Screener) -> None:
    _, undecided = _outcome(screener, {"b": True})
    assert "Q-AND" in undecided


def test_or_never_fires_on_a_missing_value(screener: Screener) -> None:
    fired, undecided = _outcome(screener, {"b": True})
    assert "Q-OR" not in fired and "Q-OR" in undecided


def test_an_exception_that_holds_settles_an_undecided_condition(screener: Screener) -> None:
    # when: attrs.c is missing, but unless (d and a) holds: the rule cannot fire
    fired, undecided = _outcome(screener, {"d": True, "a": True, "b": False})
    assert "Q-UNLESS" not in fired | undecided
    explanation = explain(screener, observation(category="quarry", attrs={"d": True, "a": True}))
    rule = next(r for r in explanation.rules if r.rule_id == "Q-UNLESS")
    assert rule.outcome == "excluded_by_unless"


def test_an_exception_with_a_missing_value_leaves_the_rule_undecided(screener: Screener) -> None:
    _, undecided = _outcome(screener, {"c": True, "a": True, "b": False})
    assert "Q-UNLESS" in undecided


def test_a_mixed_condition_with_every_branch_false_is_decided(screener: Screener) -> None:
    # (a and not b) or (c and d): a false, d false -> false whatever b and c are
    fired, undecided = _outcome(screener, {"a": False, "d": False})
    assert "Q-MIX" not in fired | undecided


def test_explain_names_the_false_clause(screener: Screener, tmp_path: Path) -> None:
    explanation = explain(screener, observation(category="quarry", attrs={"b": False}))
    rule = next(r for r in explanation.rules if r.rule_id == "Q-AND")
    assert rule.outcome == "not_fired"
    assert any(c.holds is False and "attrs.b" in c.text for c in rule.clauses)


@settings(max_examples=60, deadline=None)
@given(st.fixed_dictionaries({}, optional={n: st.booleans() for n in NAMES}))
def test_decided_means_every_completion_agrees(screener: Screener, attrs: dict[str, bool]) -> None:
    """Soundness: a rule decided on a partial report is decided the same way on every completion."""
    fired, undecided = _outcome(screener, attrs)
    missing = [n for n in NAMES if n not in attrs]
    for values in itertools.product([False, True], repeat=len(missing)):
        full_fired, full_undecided = _outcome(screener, {**attrs, **dict(zip(missing, values, strict=True))})
        assert not full_undecided
        for rule in ("Q-AND", "Q-OR", "Q-UNLESS", "Q-MIX"):
            if rule not in undecided:
                assert (rule in fired) == (rule in full_fired), (rule, attrs, values)
