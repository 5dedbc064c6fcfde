"""The weekly report as data: field names are the JSON contract other services read.

Every number is a count of cases (repeat reports merged into one case count once) except
``merged``, which counts reports. For one period and one group of cases:

- ``open_at_start``: cases still needing work when the period began (上期末在办);
- ``new``: cases opened in the period (新增);
- ``merged``: repeat reports merged into an open case in the period (重复上报);
- ``reopened``: closed or rectified cases reopened by a new report (重新打开);
- ``resolved``: cases rectified or closed in the period (整改销号; a case counts each
  time it moves from open to rectified/closed);
- ``in_progress``: cases still needing work when the period ended (期末在办);
- ``overdue``: of those, the cases past a response deadline (超期);
- ``by_priority``: the new cases by priority, P1..P4, and ``undecided`` for cases opened
  by a record that could not be decided (待核实).

``in_progress = open_at_start + new + reopened - resolved`` holds for every row.
"""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, ConfigDict, Field

__all__ = [
    "PRIORITY_KEYS",
    "Counts",
    "GroupCounts",
    "RulePrecision",
    "TopRule",
    "TrendPoint",
    "WeeklyReport",
]

#: The keys of ``by_priority``, in order.
PRIORITY_KEYS: tuple[str, ...] = ("P1", "P2", "P3", "P4", "undecided")


def _no_priorities() -> dict[str, int]:
    return dict.fromkeys(PRIORITY_KEYS, 0)


class Counts(BaseModel):
    """The case counts of one group over one period (see the module's docstring)."""

    model_config = ConfigDict(extra="forbid")

    open_at_start: int = 0
    new: int = 0
    merged: int = 0
    reopened: int = 0
    resolved: int = 0
    in_progress: int = 0
    overdue: int = 0
    by_priority: dict[str, int] = Field(default_factory=_no_priorities)

    def add(self, other: Counts) -> None:
        """Add ``other``'s counts to these."""
        for name in ("open_at_start", "new", "merged", "reopened", "resolved", "in_progress", "overdue"):
            setattr(self, name, getattr(self, name) + getattr(other, name))
        for key, value in other.by_priority.items():
            self.by_priority[key] = self.by_priority.get(key, 0) + value

    def minus(self, other: Counts) -> Counts:
        """These counts less ``other``'s (the change from another period)."""
        change = Counts()
        for name in ("open_at_start", "new", "merged", "reopened", "resolved", "in_progress", "overdue"):
            setattr(change, name, getattr(self, name) - getattr(other, name))
        change.by_priority = {
            k: self.by_priority.get(k, 0) - other.by_priority.get(k, 0) for k in PRIORITY_KEYS
        }
        return change

    @property
    def active(self) -> bool:
        """Whether anything happened or was still open in the period."""
        return bool(self.open_at_start or self.new or self.merged or self.reopened or self.resolved)


class GroupCounts(Counts):
    """The counts of one district, village or category."""

    key: str = Field(
        description="the district or category as stored ('' when not given); "
        "for a village 'district/village' (one name may occur in two districts)"
    )
    label: str = Field(description="the name people read (Chinese category names, 未填写 for none)")
    district: str | None = Field(default=None, description="for a village: its district")


class TrendPoint(BaseModel):
    """One week of the trend chart."""

    period: str
    start: datetime
    new: int
    resolved: int
    in_progress: int


class TopRule(BaseModel):
    """A rule among those that opened the most cases in the period."""

    rule_id: str
    title: str | None = None
    cases: int = Field(description="cases opened in the period whose findings name the rule")
    p1: int = Field(description="of those, P1 cases")
    alerts: int | None = Field(
        default=None, description="alert reports in the period naming the rule (null without report rows)"
    )


class RulePrecision(BaseModel):
    """How often a rule's cases were confirmed, from the dispositions of closed cases.

    ``precision = confirmed / (confirmed + false_alarm)`` (duplicates count for neither);
    ``low`` and ``high`` bound it with a Wilson score interval at ``confidence``.
    """

    rule_id: str
    title: str | None = None
    alerts: int | None = Field(default=None, description="alert reports naming the rule (null without rows)")
    cases: int = Field(description="cases whose findings name the rule")
    dispositions: int = Field(description="closed cases naming the rule with a disposition")
    confirmed: int
    false_alarm: int
    duplicate: int
    precision: float | None = Field(description="null before any confirmed or false-alarm disposition")
    low: float | None
    high: float | None


class WeeklyReport(BaseModel):
    """The weekly (or any period's) report: tables, trend, top rules and rule precision."""

    period: str = Field(description="2026-W48 for a week, 2026-11-01..2026-11-30 for a range")
    start: datetime = Field(description="local midnight the period starts (inclusive)")
    end: datetime = Field(description="local midnight after the period's last day (exclusive)")
    timezone: str
    generated_at: datetime
    cases: int = Field(description="cases in the data the report was computed from")
    empty: bool = Field(
        description="no case was opened, open, merged into, reopened or resolved in the period"
    )
    totals: Counts
    previous_period: str
    previous: Counts = Field(description="the totals of the period before")
    change: Counts = Field(description="totals minus previous, field by field")
    by_district: list[GroupCounts]
    by_village: list[GroupCounts]
    by_category: list[GroupCounts]
    trend: list[TrendPoint] = Field(description="the periods up to and including this one, oldest first")
    top_rules: list[TopRule]
    precision: list[RulePrecision] = Field(description="every rule with a case, over cases closed by `end`")
    precision_confidence: float = 0.95
