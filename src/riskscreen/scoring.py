"""From findings to an alert: combined score, priority band, escalation tier, deadline.

The combination is a noisy-OR: each finding is an independent signal of risk, so
``score = 100 × (1 − Π(1 − sᵢ/100))``. More signals raise the score, never past 100, and
adding a finding never lowers it.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from datetime import datetime, timedelta

from .durations import parse_duration
from .models import SEVERITIES, TIERS, Alert, Finding, Tier
from .settings import Band, Settings

__all__ = [
    "alert_sort_key",
    "combine_scores",
    "escalation_tier",
    "finding_sort_key",
    "priority_band",
    "respond_by",
]


def combine_scores(scores: Iterable[float]) -> float:
    """Noisy-OR of finding scores (each 0..100), rounded to one decimal."""
    remaining = math.prod(1 - min(max(s, 0.0), 100.0) / 100 for s in scores)
    return round(min(100.0, max(0.0, 100 * (1 - remaining))), 1)


def priority_band(score: float, findings: Sequence[Finding], settings: Settings) -> Band:
    """The band for ``score``, lifted to P1 when any finding is critical."""
    if any(f.severity == "critical" for f in findings):
        return settings.bands[0]
    return settings.band_for(score)


def escalation_tier(findings: Sequence[Finding]) -> Tier:
    """The highest escalation tier any finding asks for."""
    return max((f.escalate_to for f in findings), key=TIERS.index, default="village")


def respond_by(
    reported_at: datetime, findings: Sequence[Finding], band: Band, settings: Settings
) -> datetime:
    """``reported_at`` plus the shortest ``respond_within`` any finding names.

    When no finding's rule names one, the default for the alert's priority applies.
    """
    named: list[timedelta] = [parse_duration(f.respond_within) for f in findings if f.respond_within]
    window = min(named) if named else settings.respond_within[band.priority]
    return reported_at + window


def finding_sort_key(finding: Finding) -> tuple[float, int, str]:
    """Findings within an alert: highest score first, then severity, then rule id."""
    return (-finding.score, -SEVERITIES.index(finding.severity), finding.rule_id)


def alert_sort_key(alert: Alert, index: int = 0) -> tuple[str, float, datetime, str, int]:
    """Alerts: priority, then score (high first), then respond_by, then id, then input order."""
    return (alert.priority, -alert.score, alert.respond_by, alert.observation_id, index)
