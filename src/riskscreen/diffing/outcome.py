"""What a diff or backtest keeps of one screening: the priority state, the rules, undecided."""

from __future__ import annotations

from dataclasses import dataclass

from ..models import ScreenResult

__all__ = ["STATES", "Outcome", "is_undecided", "outcome_of"]

#: Priority states of a record, most urgent first: an alert's priority, no alert, or an error record.
STATES: tuple[str, ...] = ("P1", "P2", "P3", "P4", "none", "error")


@dataclass(frozen=True, slots=True)
class Outcome:
    """One record's result on one side, reduced to what the aggregates count."""

    state: str
    rules: frozenset[str]
    undecided: bool


def is_undecided(result: ScreenResult) -> bool:
    """Whether people must go and find missing evidence: ``could_be`` is more urgent than the priority."""
    return result.status != "error" and result.undecided


def outcome_of(result: ScreenResult) -> Outcome:
    """The state, fired rules and undecided flag of a screen result."""
    if result.status == "error":
        return Outcome("error", frozenset(), False)
    if result.alert is None:
        return Outcome("none", frozenset(), is_undecided(result))
    rules = frozenset(f.rule_id for f in result.alert.findings)
    return Outcome(result.alert.priority, rules, is_undecided(result))
