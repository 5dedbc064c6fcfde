"""``--fail-if`` conditions: when a rule change should stop a pull request.

Grammar (spaces are ignored)::

    condition := FLAG | METRIC OP NUMBER [ "%" ]
    OP        := ">" | ">="
    FLAG      := rule_silenced                      (same as silenced_rules>0)

Metrics (a count of records or rules; with ``%``, relative to the denominator shown):

=====================  ==========================================================  ===============
metric                 counts                                                      % of
=====================  ==========================================================  ===============
p1_increase .. p4_     records at that priority in head minus in base              base count
alerts_increase        alerts in head minus alerts in base                         base alerts
p1_decrease .. p4_,    the same, base minus head                                   base count
alerts_decrease
left_p1                records P1 in base and not P1 in head                       base P1
entered_p1             records P1 in head and not P1 in base                       base P1
changed                records whose priority state changed                        records
newly_undecided        records undecided in head and not in base                   records
silenced_rules         rules that fired in base and never in head                  rules fired in base
=====================  ==========================================================  ===============

A condition *fails* the diff when it holds. A percentage of a zero denominator is
infinite when the count is positive (any new P1 fails ``p1_increase>10%`` if base had none).
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # the models are imported when a condition is checked, not for --help
    from .models import Check, DiffResult

__all__ = ["METRICS", "Condition", "evaluate", "parse_condition"]

_PRIORITIES = ("P1", "P2", "P3", "P4")
_ALERTS = _PRIORITIES


def _side_total(result: DiffResult, side: str, states: tuple[str, ...]) -> int:
    return sum(result.count(side, s) for s in states)


def _change(states: tuple[str, ...], sign: int) -> Callable[[DiffResult], tuple[int, int]]:
    def measure(result: DiffResult) -> tuple[int, int]:
        base, head = _side_total(result, "base", states), _side_total(result, "head", states)
        return sign * (head - base), base

    return measure


def _left_p1(result: DiffResult) -> tuple[int, int]:
    row = result.transitions.get("P1", {})
    return sum(n for state, n in row.items() if state != "P1"), result.count("base", "P1")


def _entered_p1(result: DiffResult) -> tuple[int, int]:
    entered = sum(row.get("P1", 0) for state, row in result.transitions.items() if state != "P1")
    return entered, result.count("base", "P1")


def _changed(result: DiffResult) -> tuple[int, int]:
    moved = sum(n for a, row in result.transitions.items() for b, n in row.items() if a != b)
    return moved, result.records


def _newly_undecided(result: DiffResult) -> tuple[int, int]:
    return result.undecided.newly, result.records


def _silenced(result: DiffResult) -> tuple[int, int]:
    return sum(r.silenced for r in result.rules), sum(r.base > 0 for r in result.rules)


#: metric name → (what it counts, function giving (count, denominator for %)).
METRICS: dict[str, tuple[str, Callable[[DiffResult], tuple[int, int]]]] = {
    **{f"{p.lower()}_increase": (f"more {p} records", _change((p,), 1)) for p in _PRIORITIES},
    **{f"{p.lower()}_decrease": (f"fewer {p} records", _change((p,), -1)) for p in _PRIORITIES},
    "alerts_increase": ("more alerts", _change(_ALERTS, 1)),
    "alerts_decrease": ("fewer alerts", _change(_ALERTS, -1)),
    "left_p1": ("records leaving P1", _left_p1),
    "entered_p1": ("records entering P1", _entered_p1),
    "changed": ("records changing priority", _changed),
    "newly_undecided": ("records newly undecided", _newly_undecided),
    "silenced_rules": ("rules silenced", _silenced),
}
_FLAGS = {"rule_silenced": "silenced_rules>0"}
_PATTERN = re.compile(r"^(?P<metric>[a-z0-9_]+)(?P<op>>=|>)(?P<number>\d+(?:\.\d+)?)(?P<percent>%?)$")


@dataclass(frozen=True)
class Condition:
    """A parsed ``--fail-if`` condition."""

    text: str
    metric: str
    inclusive: bool
    threshold: float
    percent: bool


def parse_condition(text: str) -> Condition:
    """The condition ``text`` means; :class:`ValueError` with the grammar when it means nothing."""
    compact = re.sub(r"\s+", "", text)
    match = _PATTERN.match(_FLAGS.get(compact, compact))
    if match is None or match["metric"] not in METRICS:
        known = ", ".join([*METRICS, *_FLAGS])
        raise ValueError(
            f"--fail-if {text!r}: expected METRIC>N, METRIC>=N, METRIC>N% or a flag; "
            f"metrics and flags: {known}"
        )
    return Condition(
        text=compact,
        metric=match["metric"],
        inclusive=match["op"] == ">=",
        threshold=float(match["number"]),
        percent=bool(match["percent"]),
    )


def _check(condition: Condition, result: DiffResult) -> Check:
    from .models import Check

    label, measure = METRICS[condition.metric]
    count, denominator = measure(result)
    if condition.percent:
        value = 100.0 * count / denominator if denominator else (math.inf if count > 0 else 0.0)
        shown = f"{count} of {denominator} ({value:.1f}%)" if math.isfinite(value) else f"{count} (from none)"
    else:
        value, shown = float(count), str(count)
    holds = value >= condition.threshold if condition.inclusive else value > condition.threshold
    verdict = "fails" if holds else "passes"
    return Check(
        condition=condition.text,
        value=value if math.isfinite(value) else 1e308,
        passed=not holds,
        message=f"{label}: {shown}; {condition.text} {verdict}",
    )


def evaluate(conditions: list[Condition], result: DiffResult) -> list[Check]:
    """Each condition checked against the result, in the order given."""
    return [_check(c, result) for c in conditions]
