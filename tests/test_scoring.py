"""Scoring: noisy-OR, bands, the critical lift, escalation, deadlines and order."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from riskscreen import Finding, Settings
from riskscreen.scoring import combine_scores, escalation_tier, priority_band, respond_by

T0 = datetime(2026, 7, 1, 9, 0, tzinfo=timezone(timedelta(hours=8)))


def finding(score: float, severity: str = "medium", **extra: object) -> Finding:
    fields: dict[str, object] = {
        "rule_id": f"R-{score}",
        "pack": "p",
        "severity": severity,
        "score": score,
        "title": "t",
        "message": "m",
        "source": "p.yaml:1",
    }
    fields.update(extra)
    return Finding.model_validate(fields)


@pytest.mark.parametrize(
    ("scores", "expected"),
    [
        ([], 0.0),
        ([70], 70.0),
        ([60, 50], 80.0),
        ([50, 50, 50], 87.5),
        ([100, 10], 100.0),
        ([0, 0], 0.0),
    ],
)
def test_noisy_or(scores: list[float], expected: float) -> None:
    assert combine_scores(scores) == expected


@pytest.mark.parametrize(
    ("score", "priority", "name", "color"),
    [
        (80, "P1", "重大", "red"),
        (79.9, "P2", "较大", "orange"),
        (60, "P2", "较大", "orange"),
        (40, "P3", "一般", "yellow"),
        (39.9, "P4", "低", "blue"),
        (0, "P4", "低", "blue"),
    ],
)
def test_default_bands(score: float, priority: str, name: str, color: str) -> None:
    band = priority_band(score, [finding(score)], Settings())
    assert (band.priority, band.name, band.color) == (priority, name, color)


def test_critical_finding_lifts_to_p1() -> None:
    assert priority_band(20, [finding(20, "critical")], Settings()).priority == "P1"


def test_bands_are_configurable_and_validated() -> None:
    settings = Settings.model_validate(
        {
            "bands": [
                {"priority": "P1", "name": "重大", "color": "red", "min_score": 90},
                {"priority": "P2", "name": "较大", "color": "orange", "min_score": 70},
                {"priority": "P3", "name": "一般", "color": "yellow", "min_score": 50},
                {"priority": "P4", "name": "低", "color": "blue", "min_score": 0},
            ]
        }
    )
    assert priority_band(85, [finding(85)], settings).priority == "P2"
    unordered = [b.model_dump() for b in settings.bands]
    unordered[1]["min_score"] = 95
    with pytest.raises(ValueError, match="strictly decrease"):
        Settings.model_validate({"bands": unordered})


def test_escalation_is_the_highest_tier() -> None:
    findings = [finding(10, escalate_to="district"), finding(20, escalate_to="department"), finding(30)]
    assert escalation_tier(findings) == "department"
    assert escalation_tier([finding(10)]) == "village"


def test_respond_by_takes_the_shortest_named_window() -> None:
    settings = Settings()
    band = settings.bands[0]
    findings = [finding(10, respond_within="2h"), finding(20, respond_within="30m"), finding(30)]
    assert respond_by(T0, findings, band, settings) == T0 + timedelta(minutes=30)


@pytest.mark.parametrize(("index", "hours"), [(0, 1), (1, 4), (2, 24), (3, 120)])
def test_respond_by_defaults_by_priority(index: int, hours: int) -> None:
    settings = Settings()
    assert respond_by(T0, [finding(10)], settings.bands[index], settings) == T0 + timedelta(hours=hours)


def test_default_deadlines_are_configurable() -> None:
    settings = Settings.model_validate({"respond_within": {"P4": "3d"}})
    assert settings.respond_within["P4"] == timedelta(days=3)
    assert settings.respond_within["P1"] == timedelta(hours=1)
