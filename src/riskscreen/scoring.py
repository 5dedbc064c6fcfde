"""From findings to an alert: combined score, priority band, escalation tier, deadline.

The strongest finding sets the base and the others corroborate it:
``score = s₁ + (100 − s₁) × c × (1 − Π over the others (1 − sᵢ/100))``, where ``s₁`` is the
highest finding score and ``c`` is ``Settings.corroboration`` (0.5 by default). Several
findings about one fact (no permit, farmland, a second house) then cannot add up to an
emergency on their own: three findings of 60 give 76.8, not the 93.6 a plain noisy-OR
(``c = 1``) would give. ``c = 0`` scores by the strongest finding alone. More findings
raise the score, never past 100, and adding a finding never lowers it.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import datetime
from typing import Any

from .durations import parse_duration
from .models import SEVERITIES, TIERS, Alert, Finding, Tier
from .settings import Band, Settings

__all__ = [
    "TIER_RANK",
    "alert_data_sort_key",
    "alert_sort_key",
    "band_of",
    "combine_scores",
    "deadline",
    "escalation_tier",
    "finding_data_sort_key",
    "finding_sort_key",
    "highest_tier",
    "priority_band",
    "respond_by",
]


#: Combined scores already worked out, by (corroboration, *scores): findings' scores come
#: from a few values (a pack's severities), so the same combinations recur record after record.
_COMBINED: dict[tuple[float, ...], float] = {}
_COMBINED_KEPT = 4096


def combine_scores(scores: Iterable[float], corroboration: float = 0.5) -> float:
    """The combined score of findings (each 0..100), rounded to one decimal.

    The strongest score is the base; the others, combined by noisy-OR, close the gap to 100
    by the fraction ``corroboration`` (0..1; see the module documentation).
    """
    key = (corroboration, *scores)
    combined = _COMBINED.get(key)
    if combined is None:
        combined = _combined(key[1:], corroboration)
        if len(_COMBINED) < _COMBINED_KEPT:
            _COMBINED[key] = combined
    return combined


def _combined(scores: tuple[float, ...], corroboration: float) -> float:
    """:func:`combine_scores`, worked out."""
    # sorted before clamping: clamping keeps the order, and the product runs in the same order
    ordered = sorted(scores, reverse=True)
    if not ordered:
        return 0.0
    strongest = min(max(ordered[0], 0.0), 100.0)
    remaining = 1.0
    for s in ordered[1:]:
        # clamped without a call per score: findings' scores are almost always in range
        if s < 0.0:
            s = 0.0
        elif s > 100.0:
            s = 100.0
        remaining *= 1 - s / 100
    support = 1 - remaining
    c = min(max(corroboration, 0.0), 1.0)
    return round(min(100.0, strongest + (100 - strongest) * c * support), 1)


def priority_band(score: float, findings: Sequence[Finding], settings: Settings) -> Band:
    """The band for ``score``, lifted to P1 when any finding is critical."""
    return band_of(score, any(f.severity == "critical" for f in findings), settings)


def band_of(score: float, critical: bool, settings: Settings) -> Band:
    """The band for ``score``; P1 when a finding is ``critical`` (:func:`priority_band` on values)."""
    return settings.bands[0] if critical else settings.band_for(score)


def escalation_tier(findings: Sequence[Finding]) -> Tier:
    """The highest escalation tier any finding asks for."""
    return highest_tier(f.escalate_to for f in findings)


def highest_tier(tiers: Iterable[Tier]) -> Tier:
    """The highest of ``tiers`` (``village`` when there is none)."""
    return max(tiers, key=TIER_RANK.__getitem__, default="village")


def respond_by(
    reported_at: datetime, findings: Sequence[Finding], band: Band, settings: Settings
) -> datetime:
    """``reported_at`` plus the shortest of the band's deadline and every ``respond_within``.

    A rule can shorten the band's deadline, never lengthen it: a red alert is on site
    within the band's hour even when a finding's rule allows four.
    """
    return deadline(reported_at, (f.respond_within for f in findings), band, settings)


def deadline(
    reported_at: datetime, windows: Iterable[str | None], band: Band, settings: Settings
) -> datetime:
    """:func:`respond_by` on the findings' ``respond_within`` texts (``None`` for none)."""
    shortest = settings.respond_within[band.priority]
    for window in windows:
        if window:
            shortest = min(shortest, parse_duration(window))
    return reported_at + shortest


def finding_sort_key(finding: Finding) -> tuple[float, int, str]:
    """Findings within an alert: highest score first, then severity, then rule id."""
    return finding_data_sort_key(finding.__dict__)


def finding_data_sort_key(data: Mapping[str, Any]) -> tuple[float, int, str]:
    """:func:`finding_sort_key` of a finding's fields (a :class:`Finding`'s data as a dict)."""
    return (-data["score"], -_SEVERITY_RANK[data["severity"]], data["rule_id"])


_SEVERITY_RANK = {severity: rank for rank, severity in enumerate(SEVERITIES)}
#: Each escalation tier's rank, from ``village`` (0) up.
TIER_RANK = {tier: rank for rank, tier in enumerate(TIERS)}


def alert_sort_key(alert: Alert, index: int = 0) -> tuple[str, float, datetime, str, int]:
    """Alerts: priority, then score (high first), then respond_by, then id, then input order."""
    return alert_data_sort_key(alert.__dict__, index)


def alert_data_sort_key(data: Mapping[str, Any], index: int = 0) -> tuple[str, float, datetime, str, int]:
    """:func:`alert_sort_key` of an alert's fields (an :class:`Alert`'s data as a dict)."""
    return (data["priority"], -data["score"], data["respond_by"], data["observation_id"], index)
