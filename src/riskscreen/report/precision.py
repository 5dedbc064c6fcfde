"""Rule precision: how often a rule's cases turned out to be real, from dispositions.

Closing a case records a disposition: ``confirmed`` (the hazard was real),
``false_alarm`` or ``duplicate``. Each rule named by a closed case's findings gets that
disposition; precision is ``confirmed / (confirmed + false_alarm)`` (a duplicate says
nothing about the rule). A handful of dispositions says little, so each precision comes
with a Wilson score interval, which stays inside [0, 1] and is sensible at 0 and n.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable, Mapping
from datetime import datetime
from statistics import NormalDist
from typing import Protocol

from ..store.models import Case
from .model import RulePrecision
from .timeline import is_open

__all__ = ["ReportRow", "rule_precision", "wilson_interval"]


class ReportRow(Protocol):
    """The fields of a stored report row the report reads (``StoredReport`` has them)."""

    @property
    def reported_at(self) -> datetime | None: ...

    @property
    def status(self) -> str: ...

    @property
    def rule_ids(self) -> list[str]: ...


def wilson_interval(successes: int, trials: int, confidence: float = 0.95) -> tuple[float, float]:
    """The Wilson score interval of ``successes`` out of ``trials`` (``(0, 1)`` for no trials)."""
    if not 0 <= successes <= trials:
        raise ValueError(f"successes ({successes}) must lie between 0 and trials ({trials})")
    if trials == 0:
        return 0.0, 1.0
    z = NormalDist().inv_cdf(0.5 + confidence / 2)
    p = successes / trials
    denominator = 1 + z * z / trials
    centre = (p + z * z / (2 * trials)) / denominator
    spread = z * math.sqrt(p * (1 - p) / trials + z * z / (4 * trials * trials)) / denominator
    # at p = 0 or 1 the bound is exactly 0 or 1; floating point leaves dust (2.8e-17)
    low = 0.0 if successes == 0 else max(0.0, centre - spread)
    high = 1.0 if successes == trials else min(1.0, centre + spread)
    return low, high


def _closed_by(case: Case, until: datetime | None) -> bool:
    if is_open(case.status) or case.status == "rectified" or case.disposition is None:
        return False
    if until is None:
        return True
    closed_at = case.closed_at or max((e.at for e in case.log if e.what == "closed"), default=None)
    return closed_at is None or closed_at < until


def rule_precision(
    cases: Iterable[Case],
    *,
    reports: Iterable[ReportRow] | None = None,
    until: datetime | None = None,
    titles: Mapping[str, str] | None = None,
    confidence: float = 0.95,
) -> list[RulePrecision]:
    """Per rule: alerts, cases, dispositions and precision with its interval.

    Counts cases opened (and dispositions recorded) before ``until`` (all of them when
    None). ``reports`` (stored report rows) adds how many alerts named each rule. Rules
    are sorted by precision (lowest first, rules without dispositions last), then id, so
    the rules crying wolf come first.
    """
    named: Counter[str] = Counter()
    outcomes: dict[str, Counter[str]] = {}
    for case in cases:
        if until is not None and case.opened_at is not None and case.opened_at >= until:
            continue
        closed = _closed_by(case, until)
        for rule_id in dict.fromkeys(case.rule_ids):
            named[rule_id] += 1
            tally = outcomes.setdefault(rule_id, Counter())
            if closed and case.disposition is not None:
                tally[case.disposition] += 1
    alerts: Counter[str] | None = None
    if reports is not None:
        alerts = Counter()
        for row in reports:
            if row.status != "alert" or row.reported_at is None:
                continue
            if until is None or row.reported_at < until:
                alerts.update(dict.fromkeys(row.rule_ids, 1))
    rows: list[RulePrecision] = []
    for rule_id in named:
        tally = outcomes[rule_id]
        confirmed, false_alarm = tally["confirmed"], tally["false_alarm"]
        decided = confirmed + false_alarm
        low, high = wilson_interval(confirmed, decided, confidence) if decided else (None, None)
        rows.append(
            RulePrecision(
                rule_id=rule_id,
                title=(titles or {}).get(rule_id),
                alerts=alerts[rule_id] if alerts is not None else None,
                cases=named[rule_id],
                dispositions=sum(tally.values()),
                confirmed=confirmed,
                false_alarm=false_alarm,
                duplicate=tally["duplicate"],
                precision=confirmed / decided if decided else None,
                low=low,
                high=high,
            )
        )
    rows.sort(key=lambda r: (r.precision is None, r.precision or 0.0, r.rule_id))
    return rows
