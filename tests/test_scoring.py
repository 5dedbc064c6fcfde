"""Scoring: the combined score, bands, the critical lift, escalation, deadlines and order."""

from __future__ import annotations

import math
import random
from datetime import datetime, timedelta, timezone

import pytest
from hypothesis import given
from hypothesis import strategies as st

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
        ([60, 50], 70.0),  # 60 + 40 × 0.5 × 0.5
        ([60, 60, 60], 76.8),  # one fact three times is not an emergency (noisy-OR: 93.6)
        ([50, 50, 50], 68.8),
        ([100, 10], 100.0),
        ([0, 0], 0.0),
        ([85, 20, 20], 87.7),
    ],
)
def test_strongest_finding_sets_the_base_and_others_corroborate(scores: list[float], expected: float) -> None:
    assert combine_scores(scores) == expected


def test_three_findings_of_60_make_p2_not_p1() -> None:
    settings = Settings()
    findings = [finding(60, "high"), finding(60, "high"), finding(60, "high")]
    score = combine_scores(f.score for f in findings)
    assert (score, priority_band(score, findings, settings).priority) == (76.8, "P2")


@pytest.mark.parametrize(
    ("corroboration", "scores", "expected"),
    [
        (0, [60, 60, 60], 60.0),  # the strongest finding alone
        (1, [60, 60, 60], 93.6),  # the old noisy-OR
        (1, [60, 50], 80.0),
        (0.25, [60, 60], 66.0),
    ],
)
def test_corroboration_factor(corroboration: float, scores: list[float], expected: float) -> None:
    assert combine_scores(scores, corroboration) == expected


@pytest.mark.parametrize("value", [-0.1, 1.5])
def test_corroboration_is_validated(value: float) -> None:
    with pytest.raises(ValueError, match="corroboration"):
        Settings(corroboration=value)


scores = st.lists(st.floats(min_value=0, max_value=100, allow_nan=False), max_size=10)
factors = st.floats(min_value=0, max_value=1, allow_nan=False)


@given(scores, st.floats(min_value=0, max_value=100, allow_nan=False), factors)
def test_combination_is_monotone(values: list[float], extra: float, c: float) -> None:
    assert combine_scores([*values, extra], c) >= combine_scores(values, c)


@given(scores, factors)
def test_combination_is_bounded_and_at_least_the_strongest(values: list[float], c: float) -> None:
    combined = combine_scores(values, c)
    assert 0 <= combined <= 100
    assert combined >= round(max(values, default=0.0), 1)


@given(scores, factors, st.randoms(use_true_random=False))
def test_combination_ignores_order(values: list[float], c: float, rnd: random.Random) -> None:
    shuffled = list(values)
    rnd.shuffle(shuffled)
    assert combine_scores(shuffled, c) == combine_scores(values, c)


@given(scores)
def test_corroboration_limits(values: list[float]) -> None:
    strongest = round(max(values, default=0.0), 1)
    noisy_or = round(100 * (1 - math.prod(1 - v / 100 for v in values)), 1)
    assert combine_scores(values, 0) == strongest
    assert abs(combine_scores(values, 1) - noisy_or) <= 0.1  # rounding only


@given(scores, factors, factors)
def test_more_corroboration_never_lowers_the_score(values: list[float], a: float, b: float) -> None:
    low, high = sorted((a, b))
    assert combine_scores(values, low) <= combine_scores(values, high)


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


def test_a_rule_never_lengthens_the_band_deadline() -> None:
    """Red is on site within the hour, whatever a rule's respond_within says."""
    settings = Settings()
    findings = [finding(85, "critical", respond_within="4h")]
    band = priority_band(85, findings, settings)
    assert band.priority == "P1"
    assert respond_by(T0, findings, band, settings) == T0 + timedelta(hours=1)
    p3 = settings.bands[2]
    assert respond_by(T0, [finding(45, respond_within="5d")], p3, settings) == T0 + timedelta(hours=24)
    assert respond_by(T0, [finding(45, respond_within="2h")], p3, settings) == T0 + timedelta(hours=2)


@pytest.mark.parametrize(("index", "hours"), [(0, 1), (1, 4), (2, 24), (3, 120)])
def test_respond_by_defaults_by_priority(index: int, hours: int) -> None:
    settings = Settings()
    assert respond_by(T0, [finding(10)], settings.bands[index], settings) == T0 + timedelta(hours=hours)


def test_default_deadlines_are_configurable() -> None:
    settings = Settings.model_validate({"respond_within": {"P4": "3d"}})
    assert settings.respond_within["P4"] == timedelta(days=3)
    assert settings.respond_within["P1"] == timedelta(hours=1)


@given(
    st.lists(
        st.sampled_from([0.0, 20.0, 40.0, 60.0, 80.0, 100.0]) | st.floats(0, 100, allow_nan=False),
        max_size=8,
    ),
    factors,
)
def test_a_remembered_combination_is_the_one_worked_out(values: list[float], c: float) -> None:
    # combinations are remembered (the same scores recur record after record): asked again,
    # or with the memory full, the answer is the same as working it out
    from riskscreen import scoring

    worked_out = scoring._combined(tuple(values), c)
    assert combine_scores(values, c) == worked_out
    assert combine_scores(iter(values), c) == worked_out  # any iterable, remembered or not
    kept = scoring._COMBINED_KEPT
    try:
        scoring._COMBINED_KEPT = 0
        scoring._COMBINED.clear()
        assert combine_scores(values, c) == worked_out and not scoring._COMBINED
    finally:
        scoring._COMBINED_KEPT = kept
