"""Rules whose cases are mostly false alarms (``RS510``), from the history store's dispositions.

Run when ``riskscreen lint --db URL`` is given: every closed case records whether the
hazard was real (``confirmed``) or a ``false_alarm``. A rule whose precision
(confirmed / (confirmed + false alarms)) stays below ``min_precision`` after at least
``min_dispositions`` of them makes people go out for nothing; the warning says how sure
the figure is (its Wilson interval) so a rule author can judge.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from ..errors import Problem
from ..report.model import RulePrecision
from .base import Check, LintContext

__all__ = ["LowPrecisionRule"]


class LowPrecisionRule(Check):
    """A rule below a precision after enough dispositions (needs the history store)."""

    code = "RS510"
    name = "low-precision"
    description = "a rule whose closed cases are mostly false alarms (riskscreen lint --db URL)"

    def __init__(
        self, precision: Sequence[RulePrecision], *, min_precision: float = 0.5, min_dispositions: int = 10
    ) -> None:
        if not 0 <= min_precision <= 1:
            raise ValueError(f"min_precision must lie between 0 and 1, got {min_precision}")
        if min_dispositions < 1:
            raise ValueError(f"min_dispositions must be at least 1, got {min_dispositions}")
        self.rows = {row.rule_id: row for row in precision}
        self.min_precision = min_precision
        self.min_dispositions = min_dispositions

    def run(self, context: LintContext) -> Iterator[Problem]:
        """One warning per linted rule below the precision, at the rule's id."""
        for rule in context.rules():
            row = self.rows.get(rule.id)
            if row is None or row.precision is None or row.low is None or row.high is None:
                continue
            decided = row.confirmed + row.false_alarm
            if decided < self.min_dispositions or row.precision >= self.min_precision:
                continue
            yield self.problem(
                rule.location("id"),
                f"rule {rule.id}: precision {row.precision:.0%} below {self.min_precision:.0%} "
                f"({row.confirmed} confirmed, {row.false_alarm} false alarms in the history store; "
                f"95% interval {row.low:.0%}-{row.high:.0%}): tighten its conditions or lower its score",
            )
