"""What an explanation says: for each rule, its outcome, the clauses that decided it, the values read.

These models are the JSON form of ``riskscreen explain --format json``; field names are a
contract like the alert's.
"""

from __future__ import annotations

from datetime import date
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from ..models import ErrorRecord, Insufficient, PluginFailure, Priority

__all__ = ["OUTCOME_LABELS", "Clause", "Explanation", "Outcome", "RuleExplanation"]

#: Why a rule did or did not produce a finding.
Outcome = Literal[
    "fired",
    "not_fired",
    "insufficient",
    "excluded_by_unless",
    "outside_validity",
    "outside_jurisdiction",
    "disabled",
    "not_applicable",
    "error",
]

#: A short label for each outcome, in English and Chinese, as the command line prints it.
OUTCOME_LABELS: dict[str, str] = {
    "fired": "FIRED 触发",
    "not_fired": "NOT FIRED 未触发",
    "insufficient": "INSUFFICIENT 证据不足",
    "excluded_by_unless": "EXCLUDED BY UNLESS 例外排除",
    "outside_validity": "OUTSIDE VALIDITY DATES 不在有效期",
    "outside_jurisdiction": "OUTSIDE JURISDICTION 不在适用辖区",
    "disabled": "DISABLED 已停用",
    "not_applicable": "OTHER CATEGORY 不适用此类别",
    "error": "ERROR 运行出错",
}


class Clause(BaseModel):
    """One clause of a rule's condition and what it came to for the observation.

    ``holds`` is ``None`` when the clause could not be decided because a value it reads is
    missing (listed in ``missing``) or its evaluation failed (``error``). ``macros`` names
    the macros the clause was reached through, outermost first.
    """

    model_config = ConfigDict(frozen=True)

    text: str
    holds: bool | None
    macros: list[str] = Field(default_factory=list)
    values: dict[str, Any] = Field(default_factory=dict)
    missing: list[str] = Field(default_factory=list)
    error: str | None = None


class RuleExplanation(BaseModel):
    """Why one rule (or plugin check) fired or not for one observation.

    ``summary`` says it in one plain sentence; ``clauses`` are the parts of ``when`` that
    decided (the first false conjunct, the true disjunct, every conjunct of a rule that
    fired); ``unless_clauses`` those of ``unless`` when it was evaluated; ``values`` and
    ``missing`` cover every symbol the rule reads.
    """

    model_config = ConfigDict(frozen=True)

    rule_id: str
    title: str
    pack: str
    source: str
    outcome: Outcome
    summary: str
    when: str | None = None
    unless: str | None = None
    clauses: list[Clause] = Field(default_factory=list)
    unless_clauses: list[Clause] = Field(default_factory=list)
    values: dict[str, Any] = Field(default_factory=dict)
    missing: list[str] = Field(default_factory=list)
    #: The rule's legal references in their display form, as alerts show them.
    references: list[str] = Field(default_factory=list)


class Explanation(BaseModel):
    """Every candidate rule for one observation, with the alert it got (if any)."""

    model_config = ConfigDict(frozen=True)

    observation_id: str | None
    category: str | None = None
    event_date: date | None = None
    status: Literal["alert", "no_alert", "error"]
    priority: str | None = None
    score: float | None = None
    error: ErrorRecord | None = None
    rules: list[RuleExplanation] = Field(default_factory=list)
    plugin_errors: list[PluginFailure] = Field(default_factory=list)
    #: The priority if every undecided rule and check fired, when more urgent than ``priority``.
    could_be: Priority | None = None
    #: Whether missing evidence could make the result more urgent.
    undecided: bool = False
    #: The undecided rules and checks whose evidence decides ``could_be``, most telling first.
    to_collect: list[Insufficient] = Field(default_factory=list)
    #: Unknown attributes and other problems that did not stop the screening.
    warnings: list[str] = Field(default_factory=list)

    def rule(self, rule_id: str) -> RuleExplanation | None:
        """The explanation of one rule, if it was explained."""
        return next((r for r in self.rules if r.rule_id == rule_id), None)
