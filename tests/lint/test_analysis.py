"""The analyses behind two lint checks: regex shapes and whether a condition can ever hold."""

from __future__ import annotations

import decimal

import pytest
import rule_engine
from hypothesis import given
from hypothesis import strategies as st

from riskscreen.lint.regex_shape import backtracking_risk
from riskscreen.lint.satisfiability import Analyzer


@pytest.mark.parametrize(
    "pattern",
    ["(a+)+$", "(a*)*b", r"(\w+\s?)*$", "(x+x+)+y", "(?:a+)+", r"(\d+)*x", "(.*a)*", "(a|ab)*c", "(a|a)*"],
)
def test_ambiguous_repetition_is_flagged(pattern: str) -> None:
    assert backtracking_risk(pattern) is not None


@pytest.mark.parametrize(
    "pattern",
    [
        "a+b+",
        "(ab)+",
        r"\d{1,3}(,\d{3})*",
        "(伤亡|受伤|死亡)",
        "(a|b)+",
        "((a+)b)*",
        r"(\d+,)*",
        "([a-z]+,)*",
        "",
    ],
)
def test_unambiguous_patterns_pass(pattern: str) -> None:
    assert backtracking_risk(pattern) is None


@given(st.text(alphabet=st.sampled_from(list("ab()[]{}|*+?.\\^$,0123456789wdsPx<>=!:-")), max_size=30))
def test_never_raises(pattern: str) -> None:
    assert backtracking_risk(pattern) is None or isinstance(backtracking_risk(pattern), str)


def parse(text: str) -> object:
    return rule_engine.Rule(text, context=rule_engine.Context()).statement.expression


def analyzer(**macros: str) -> Analyzer:
    return Analyzer(
        {name: parse(text) for name, text in macros.items()},
        {"zones": frozenset({"禁采区", "限采区"}), "limits": frozenset({decimal.Decimal(5)})},
        {"status": frozenset({"new", "closed"}), "category": frozenset({"well_drilling"})},
    )


@pytest.mark.parametrize(
    ("text", "holds"),
    [
        ("false", False),
        ("true", True),
        ("attrs.x > 50 and attrs.x < 30", False),
        ("attrs.x >= 30 and attrs.x <= 30", None),
        ("attrs.x > 30 and attrs.x <= 30", False),
        ("attrs.x == 3 and attrs.x > 3", False),
        ("attrs.x == 3 and attrs.x != 3", False),
        ('attrs.z == "a" and attrs.z == "b"', False),
        ("attrs.ok and not attrs.ok", False),
        ('status == "closd"', False),
        ('status in ["old", "gone"]', False),
        ('status == "new"', None),
        ('category == "flood" or status == "cancelled"', False),
        ('category == "flood" or attrs.x > 1', None),
        ("attrs.zone in zones and not (attrs.zone in zones)", False),
        ('attrs.zone in zones and attrs.zone == "其他"', False),
        ("big and small", False),
        ("not (attrs.x > 1 and attrs.x < 0)", True),
        ("attrs.x > 1 or attrs.x < 0", None),
        ("10 < attrs.x and attrs.x < 5", False),
    ],
)
def test_condition_verdicts(text: str, holds: bool | None) -> None:
    verdict = analyzer(big="attrs.x > 10", small="attrs.x < 5").verdict(parse(text))
    assert verdict.holds is holds
    assert bool(verdict.reason) is (holds is not None)


def test_the_reason_names_the_clauses_that_clash() -> None:
    verdict = analyzer(big="attrs.x > 10", small="attrs.x < 5").verdict(parse("big and small"))
    assert verdict.reason == "`attrs.x > 10` and `attrs.x < 5` cannot both hold"


def test_a_macro_cycle_does_not_loop() -> None:
    assert analyzer(a="b and attrs.x > 1", b="a").verdict(parse("a")).holds is None
