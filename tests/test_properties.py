"""Invariants, checked with hypothesis: score bounds, monotonicity, ordering, determinism, counts."""

from __future__ import annotations

import itertools
import random
from datetime import datetime, timedelta, timezone
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from riskscreen.scoring import alert_sort_key, combine_scores
from tests.helpers import shipped_screener

scores = st.floats(min_value=0, max_value=100, allow_nan=False)

shipped = shipped_screener  # hypothesis tests call it; built once per session


@given(st.lists(scores, max_size=12))
def test_combined_score_is_within_bounds(values: list[float]) -> None:
    assert 0 <= combine_scores(values) <= 100


@given(st.lists(scores, max_size=12), scores)
def test_adding_a_finding_never_lowers_the_score(values: list[float], extra: float) -> None:
    assert combine_scores([*values, extra]) >= combine_scores(values)


@given(st.lists(scores, max_size=8))
def test_combination_ignores_finding_order(values: list[float]) -> None:
    assert combine_scores(values) == combine_scores(list(reversed(values)))


CATEGORIES = ["fire_safety", "gas_safety", "flood", "production_safety", "dispute", "other", "quarry"]
T0 = datetime(2026, 1, 1, tzinfo=timezone(timedelta(hours=8)))

attr_values = st.one_of(
    st.booleans(),
    st.integers(min_value=-5, max_value=400),
    st.floats(min_value=-10, max_value=500, allow_nan=False),
    st.sampled_from(["小餐饮", "major", "ordinary", "土地", "", "x"]),
    st.none(),
)
attr_names = st.sampled_from(
    [
        "exits_blocked",
        "residents_inside",
        "flammables_stored",
        "venue_type",
        "people_trapped",
        "hazard_grade",
        "leak_detected",
        "lel_percent",
        "levee_breach",
        "water_level_m",
        "warning_level_m",
        "residents_at_risk",
        "evacuated",
        "deaths",
        "injured",
        "hot_work",
        "hot_work_permit",
        "lec_l",
        "lec_e",
        "lec_c",
        "parties",
        "violence_risk",
        "weapons",
        "dispute_type",
        "unknown_key",
    ]
)


@st.composite
def records(draw: st.DrawFn) -> Any:
    """Mostly plausible observations, some broken in the ways real input breaks."""
    if draw(st.integers(0, 9)) == 0:
        return draw(
            st.one_of(st.none(), st.integers(), st.text(max_size=5), st.lists(st.integers(), max_size=2))
        )
    record: dict[str, Any] = {
        "id": draw(st.one_of(st.text(min_size=1, max_size=8), st.just("dup"))),
        "category": draw(st.sampled_from(CATEGORIES)),
        "reported_at": (T0 + timedelta(minutes=draw(st.integers(0, 525_600)))).isoformat(),
        "attrs": draw(st.dictionaries(attr_names, attr_values, max_size=8)),
    }
    if draw(st.booleans()):
        record["history"] = {"reports_7d": draw(st.integers(0, 6)), "rectified_before": draw(st.booleans())}
    if draw(st.integers(0, 7)) == 0:
        record[draw(st.sampled_from(["reported_at", "kind", "status"]))] = draw(st.sampled_from(["", "x", 5]))
    if draw(st.integers(0, 7)) == 0:
        del record[draw(st.sampled_from(["id", "category", "reported_at"]))]
    return record


batches = st.lists(records(), max_size=25)
slow = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@slow
@given(batches)
def test_every_record_is_accounted_for(batch: list[Any]) -> None:
    result = shipped().screen_many(batch)
    summary = result.summary
    assert summary.records == len(batch)
    assert summary.alerts + summary.no_alert + summary.errors == len(batch)
    assert len(result.alerts) == summary.alerts and len(result.errors) == summary.errors
    assert all(0 <= a.score <= 100 for a in result.alerts)


@slow
@given(batches)
def test_same_input_gives_same_output(batch: list[Any]) -> None:
    first = shipped().screen_many(batch).model_dump_json()
    second = shipped().screen_many(batch).model_dump_json()
    assert first == second


@slow
@given(batches, st.randoms(use_true_random=False))
def test_alert_order_is_total_and_independent_of_arrival(batch: list[Any], rnd: random.Random) -> None:
    screener = shipped()
    results = [screener.screen(r, i) for i, r in enumerate(batch)]
    keyed = [(alert_sort_key(r.alert, r.index), r.alert) for r in results if r.alert is not None]
    keys = [k for k, _ in keyed]
    assert len(set(keys)) == len(keys)  # a total order: no two alerts tie
    shuffled = keyed[:]
    rnd.shuffle(shuffled)
    assert sorted(shuffled, key=lambda p: p[0]) == sorted(keyed, key=lambda p: p[0])
    ordered = screener.screen_many(batch).alerts
    for earlier, later in itertools.pairwise(ordered):
        assert (earlier.priority, -earlier.score, earlier.respond_by) <= (
            later.priority,
            -later.score,
            later.respond_by,
        )


@slow
@given(records())
def test_priority_agrees_with_score_and_severity(record: Any) -> None:
    result = shipped().screen(record)
    if result.alert is None:
        return
    alert = result.alert
    critical = any(f.severity == "critical" for f in alert.findings)
    expected = (
        "P1"
        if critical or alert.score >= 80
        else "P2"
        if alert.score >= 60
        else "P3"
        if alert.score >= 40
        else "P4"
    )
    assert alert.priority == expected
    assert alert.score == combine_scores(f.score for f in alert.findings)
    assert alert.respond_by > alert.reported_at


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(records(), min_size=1, max_size=30))
def test_threads_sharing_one_screener_match_serial_screening(batch: list[Any]) -> None:
    from concurrent.futures import ThreadPoolExecutor

    screener = shipped()
    serial = [screener.screen(r, i).model_dump_json() for i, r in enumerate(batch)]
    with ThreadPoolExecutor(max_workers=6) as pool:
        threaded = list(
            pool.map(lambda pair: screener.screen(pair[1], pair[0]).model_dump_json(), enumerate(batch))
        )
    assert threaded == serial
