"""The typed results of :func:`riskscreen.diff` and :func:`riskscreen.backtest`.

Field names are what ``--format json`` writes; tools may depend on them.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field, computed_field

from .archives import ArchiveReport
from .ruledefs import RuleChange

__all__ = [
    "BacktestResult",
    "Check",
    "DiffResult",
    "PeriodCounts",
    "RuleCounts",
    "SideSummary",
    "UndecidedChange",
]


class SideSummary(BaseModel):
    """One side of a diff: where its packs came from and what loaded."""

    side: Literal["base", "head"]
    label: str
    rules: int
    ruleset: str


class RuleCounts(BaseModel):
    """How often one rule fired on each side, and on which records that changed."""

    rule_id: str
    status: Literal["added", "removed", "changed", "unchanged"]
    base: int
    head: int
    gained: int = Field(description="records it fires on in head and not in base")
    lost: int = Field(description="records it fired on in base and not in head")
    examples_gained: list[str] = Field(default_factory=list)
    examples_lost: list[str] = Field(default_factory=list)

    @property
    def delta(self) -> int:
        """head − base."""
        return self.head - self.base

    @property
    def silenced(self) -> bool:
        """Fired in base and never in head."""
        return self.base > 0 and self.head == 0


class UndecidedChange(BaseModel):
    """Undecided records (priority could be more urgent with the missing evidence) per side."""

    base: int
    head: int
    newly: int = Field(description="undecided in head, not in base")
    no_longer: int = Field(description="undecided in base, not in head")
    examples: list[str] = Field(default_factory=list, description="newly undecided records")


class Check(BaseModel):
    """One ``--fail-if`` condition and how the diff measured against it."""

    condition: str
    value: float
    passed: bool
    message: str


class DiffResult(BaseModel):
    """What a change to the rules does to an archive of past reports."""

    base: SideSummary
    head: SideSummary
    records: int = Field(description="records screened on both sides")
    archive: ArchiveReport
    rules: list[RuleCounts] = Field(description="every rule that fired on a side or whose definition changed")
    added: list[str]
    removed: list[str]
    changed: list[RuleChange]
    priorities: dict[str, dict[str, int]] = Field(description="side → state (P1..P4, none, error) → records")
    transitions: dict[str, dict[str, int]] = Field(description="base state → head state → records")
    transition_examples: dict[str, list[str]] = Field(description='"P3->P1" → up to 5 record ids')
    undecided: UndecidedChange
    checks: list[Check] = Field(default_factory=list)

    @computed_field  # type: ignore[prop-decorator]
    @property
    def failed(self) -> bool:
        """Whether a ``--fail-if`` condition was met (written to JSON too)."""
        return any(not check.passed for check in self.checks)

    @property
    def differing(self) -> list[RuleCounts]:
        """Rules that fire on a different set of records, most records first."""
        rows = [r for r in self.rules if r.gained or r.lost]
        return sorted(rows, key=lambda r: (-(r.gained + r.lost), r.rule_id))

    def count(self, side: str, state: str) -> int:
        """Records in ``state`` on ``side``."""
        return self.priorities.get(side, {}).get(state, 0)


class PeriodCounts(BaseModel):
    """One week or month of a backtest (or the whole archive, as ``total``)."""

    period: str
    records: int
    alerts: int
    undecided: int
    by_priority: dict[str, int] = Field(description="P1..P4, none, error → records")
    rules: dict[str, int] = Field(description="rule id → records it fired on")


class BacktestResult(BaseModel):
    """Per-rule counts and the priority distribution of a rule set over time."""

    by: Literal["week", "month"]
    label: str
    ruleset: str
    records: int
    archive: ArchiveReport
    periods: list[PeriodCounts]
    total: PeriodCounts
    rule_ids: list[str] = Field(description="rules that fired, most often first")
