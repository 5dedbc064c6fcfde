"""--fail-if conditions: the grammar, and what each metric measures."""

from __future__ import annotations

import pytest

import riskscreen
from riskscreen.diffing.failif import METRICS, evaluate, parse_condition

from .archive import BASE, HEAD

ARCHIVE = BASE.parent / "archive"


@pytest.fixture(scope="module")
def result() -> riskscreen.DiffResult:
    return riskscreen.diff(ARCHIVE, base=BASE, head=HEAD, builtin=False)


@pytest.mark.parametrize(
    ("condition", "value", "passed"),
    [
        ("p1_increase>10%", 1e308, False),  # none before: any P1 is an infinite increase
        ("p1_increase > 3", 3, True),  # spaces are allowed; strictly more than 3
        ("p1_increase>=3", 3, False),
        ("p2_decrease>=100%", 100, False),  # 4 → 0
        ("alerts_increase>0", 0, True),
        ("left_p1>0", 0, True),
        ("entered_p1>2", 3, False),
        ("changed>=50%", 50, False),  # 6 of 12 records change state
        ("newly_undecided>1", 1, True),
        ("silenced_rules>0", 1, False),  # Q-004 was removed
        ("rule_silenced", 1, False),
        ("silenced_rules>=20%", 25, False),  # 1 of the 4 rules that fired in base
    ],
)
def test_metric_values_and_verdicts(
    result: riskscreen.DiffResult, condition: str, value: float, passed: bool
) -> None:
    (check,) = evaluate([parse_condition(condition)], result)
    assert (check.value, check.passed) == (pytest.approx(value), passed)
    assert check.message.endswith("passes" if passed else "fails")


@pytest.mark.parametrize(
    "text", ["", "p1_increase", "p1_increase>", "p1_increase>ten", "P1_increase>1", "x>1%"]
)
def test_malformed_conditions_list_the_metrics(text: str) -> None:
    with pytest.raises(ValueError, match="metrics and flags: " + ", ".join(METRICS)):
        parse_condition(text)
