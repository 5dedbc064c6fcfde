"""The heavy-machinery plugin (riskscreen-machinery): tables, derived fields, configuration, checks."""

from __future__ import annotations

import json
from datetime import datetime, timedelta, timezone
from importlib import metadata
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pydantic import ValidationError
from riskscreen_machinery import derived as mach
from riskscreen_machinery.checks import number_text
from riskscreen_machinery.config import MachineryConfig
from riskscreen_machinery.models import MachineryAttrs
from riskscreen_machinery.plugin import (
    machinery_clearance_m,
    machinery_corridor_m,
    riskscreen_check,
    riskscreen_enrich,
)
from riskscreen_machinery.tables import CLEARANCE_BANDS, CORRIDOR_BANDS, VoltageBand, value_for

from riskscreen import History, Observation, Record, RuleLoadError, Screener, Settings
from tests.helpers import shipped_screener

MACH_RULES = {f"MACH-{n:03d}" for n in range(1, 11)}
MACH_CHECKS = {"MACH-PY-001", "MACH-PY-002"}
DEFAULT = MachineryConfig()
EXAMPLES = Path(__file__).resolve().parents[2] / "examples" / "observations.jsonl"


screener = shipped_screener  # built once per session


def machinery(
    attrs: dict[str, Any], when: str = "2026-07-01T09:00:00+08:00", **fields: Any
) -> dict[str, Any]:
    """A machinery observation reported at ``when``."""
    return {
        "id": "m-1",
        "kind": "patrol",
        "category": "machinery",
        "reported_at": when,
        "attrs": attrs,
        **fields,
    }


def fired(result: Any) -> set[str]:
    return {f.rule_id for f in result.alert.findings} if result.alert else set()


NIGHT_WORK = {
    "equipment": ["挖掘机"],
    "night_permit": "none",
    "near_sensitive_buildings": True,
    "emergency_repair": False,
}


# -- voltage tables -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kv", "metres"),
    [
        (0.22, 4),
        (0.99, 4),
        (1, 6),
        (10, 6),
        (10.5, 8),
        (20, 8),
        (35, 8),
        (110, 8),
        (154, 10),
        (220, 10),
        (330, 15),
        (500, 15),
        (500.1, None),
        (800, None),
    ],
)
def test_clearance_table_of_jgj_46(kv: float, metres: float | None) -> None:
    assert mach.clearance_m(kv, CLEARANCE_BANDS) == metres


@pytest.mark.parametrize(
    ("kv", "metres"),
    [(0.4, 0), (1, 5), (10, 5), (20, 10), (35, 10), (110, 10), (154, 15), (330, 15), (500, 20), (750, None)],
)
def test_protection_zone_table_of_article_10(kv: float, metres: float | None) -> None:
    assert mach.corridor_m(kv, CORRIDOR_BANDS) == metres


def test_clearance_boundary_is_not_a_breach() -> None:
    assert mach.clearance_breached(6.0, 10, CLEARANCE_BANDS) is False
    assert mach.clearance_breached(5.99, 10, CLEARANCE_BANDS) is True
    assert mach.clearance_breached(3.99, 0.4, CLEARANCE_BANDS) is True
    assert mach.clearance_breached(4.0, 0.4, CLEARANCE_BANDS) is False


def test_above_the_table_closer_than_the_top_band_is_a_breach_farther_is_undecided() -> None:
    assert mach.clearance_breached(14.9, 800, CLEARANCE_BANDS) is True
    assert mach.clearance_breached(15.0, 800, CLEARANCE_BANDS) is None
    assert mach.in_corridor(20.0, 1000, CORRIDOR_BANDS) is True
    assert mach.in_corridor(20.1, 1000, CORRIDOR_BANDS) is None


def test_protection_zone_edge_is_inside_and_low_voltage_has_no_zone() -> None:
    assert mach.in_corridor(5.0, 10, CORRIDOR_BANDS) is True
    assert mach.in_corridor(5.01, 10, CORRIDOR_BANDS) is False
    assert mach.in_corridor(0.0, 0.4, CORRIDOR_BANDS) is False


@given(
    st.floats(min_value=0.01, max_value=500, allow_nan=False),
    st.floats(min_value=0.01, max_value=500, allow_nan=False),
)
def test_a_higher_voltage_never_needs_less_distance(a: float, b: float) -> None:
    low, high = sorted((a, b))
    for bands in (CLEARANCE_BANDS, CORRIDOR_BANDS):
        low_m, high_m = value_for(low, bands), value_for(high, bands)
        assert low_m is not None and high_m is not None
        assert low_m <= high_m


@given(
    st.floats(min_value=0.01, max_value=1200, allow_nan=False),
    st.floats(min_value=0, max_value=100, allow_nan=False),
    st.floats(min_value=0, max_value=100, allow_nan=False),
)
def test_moving_closer_never_clears_a_breach_or_leaves_the_zone(kv: float, a: float, b: float) -> None:
    near, far = sorted((a, b))
    if mach.clearance_breached(far, kv, CLEARANCE_BANDS):
        assert mach.clearance_breached(near, kv, CLEARANCE_BANDS) is True
    if mach.in_corridor(far, kv, CORRIDOR_BANDS):
        assert mach.in_corridor(near, kv, CORRIDOR_BANDS) is True


@given(st.floats(min_value=0.01, max_value=500, allow_nan=False), st.floats(min_value=0, max_value=100))
def test_breach_is_exactly_closer_than_the_clearance_within_the_table(kv: float, distance: float) -> None:
    required = mach.clearance_m(kv, CLEARANCE_BANDS)
    assert required is not None
    assert mach.clearance_breached(distance, kv, CLEARANCE_BANDS) is (distance < required)


def test_rule_functions_use_the_national_tables() -> None:
    assert machinery_clearance_m(10.0) == 6
    assert machinery_clearance_m(0.4) == 4
    assert machinery_corridor_m(500.0) == 20
    with pytest.raises(ValueError, match="800 kV"):
        machinery_clearance_m(800.0)
    with pytest.raises(ValueError, match="750 kV"):
        machinery_corridor_m(750.0)


def test_rule_functions_are_callable_from_a_local_pack(tmp_path: Path) -> None:
    pack = tmp_path / "local.yaml"
    pack.write_text(
        "pack: local_margin\n"
        "applies_to: [machinery]\n"
        "rules:\n"
        "  - id: LOCAL-001\n"
        "    title: 接近安全距离\n"
        "    when: attrs.power_line_distance_m < machinery_clearance_m(attrs.power_line_kv) * 2\n",
        encoding="utf-8",
    )
    local = Screener([pack])
    near = local.screen(machinery({"power_line_kv": 10, "power_line_distance_m": 11}))
    far = local.screen(machinery({"power_line_kv": 10, "power_line_distance_m": 12}))
    above = local.screen(machinery({"power_line_kv": 800, "power_line_distance_m": 40}))
    assert "LOCAL-001" in fired(near)
    assert "LOCAL-001" not in fired(far)
    # above the table the function raises: the rule is undecided, not false and not a crash
    (gap,) = [i for i in above.insufficient if i.rule_id == "LOCAL-001"]
    assert gap.error and gap.missing == []


# -- night, noise and the other derived fields ------------------------------------------------------


@pytest.mark.parametrize(
    ("hour", "night"), [(21, False), (22, True), (23, True), (0, True), (5, True), (6, False), (12, False)]
)
def test_default_night_window_wraps_midnight(hour: int, night: bool) -> None:
    assert mach.is_night_hour(hour) is night


def test_night_window_variants() -> None:
    assert mach.is_night_hour(23, start=23, end=7) and mach.is_night_hour(6, start=23, end=7)
    assert not mach.is_night_hour(22, start=23, end=7)
    assert mach.is_night_hour(1, start=0, end=5) and not mach.is_night_hour(5, start=0, end=5)
    assert not any(mach.is_night_hour(h, start=3, end=3) for h in range(24))


def test_noise_limit_follows_the_period() -> None:
    assert mach.noise_limit_db(False, DEFAULT) == 70
    assert mach.noise_limit_db(True, DEFAULT) == 55
    assert mach.period_label(True) == "夜间" and mach.period_label(False) == "昼间"


def test_equipment_matches_by_name_inside_the_item() -> None:
    assert mach.uses_any(["履带式挖掘机"], DEFAULT.excavating_equipment)
    assert mach.uses_any(["渣土车", "汽车起重机"], DEFAULT.corridor_equipment)
    assert not mach.uses_any(["渣土车"], DEFAULT.excavating_equipment)
    assert not mach.uses_any(["起重机"], DEFAULT.excavating_equipment)
    assert not mach.uses_any([], DEFAULT.corridor_equipment)


@pytest.mark.parametrize(
    ("night", "near", "permit", "emergency", "expected"),
    [
        (True, True, "none", False, True),
        (True, True, "unknown", False, True),
        (True, True, "out_of_scope", False, True),
        (True, True, "valid", None, False),
        (True, True, "none", True, False),
        (True, False, None, None, False),
        (False, None, None, None, False),
        (True, None, "none", False, None),
        (True, True, None, False, None),
        (True, True, "expired", None, None),
        (None, True, "none", False, None),
    ],
)
def test_night_work_violation_is_three_valued(
    night: bool | None, near: bool | None, permit: str | None, emergency: bool | None, expected: bool | None
) -> None:
    assert mach.night_work_violation(night, near, permit, emergency) is expected


@pytest.mark.parametrize(
    ("history", "expected"),
    [
        (History(reports_30d=2), True),
        (History(reports_30d=1, rectified_before=False), False),
        (History(reports_30d=0, rectified_before=True), True),
        (History(rectified_before=True), True),
        (History(rectified_before=False), None),
        (History(), None),
    ],
)
def test_repeat_offence_from_history(history: History, expected: bool | None) -> None:
    assert mach.is_repeat_offence(history, 2) is expected


def test_enrichment_of_a_machinery_observation() -> None:
    observation = screener().validate(
        machinery({"equipment": ["起重机"], "power_line_kv": 35, "power_line_distance_m": 9})
    )
    assert isinstance(observation, Observation)
    values = mach.machinery_derived(observation, {"is_night": True}, DEFAULT)
    assert values == {
        "machinery_night_work": True,
        "machinery_period": "夜间",
        "machinery_noise_limit_db": 55.0,
        "machinery_night_lmax_limit_db": 70.0,
        "machinery_excavating": False,
        "machinery_corridor_work": True,
        "machinery_special_plan_depth_m": 3.0,
        "machinery_expert_review_depth_m": 5.0,
        "machinery_gas_protection_range_m": 5.0,
        "machinery_clearance_m": 8.0,
        "machinery_corridor_m": 10.0,
        "machinery_clearance_breached": False,
        "machinery_in_power_corridor": True,
    }


def test_missing_values_leave_derived_fields_absent() -> None:
    observation = screener().validate(machinery({"power_line_distance_m": 3}))
    assert isinstance(observation, Observation)
    values = mach.machinery_derived(observation, {"is_night": False}, DEFAULT)
    for absent in (
        "machinery_excavating",
        "machinery_corridor_work",
        "machinery_clearance_m",
        "machinery_clearance_breached",
        "machinery_in_power_corridor",
    ):
        assert absent not in values
    assert values["machinery_gas_protection_range_m"] == 5.0


def test_night_falls_back_to_the_event_time_without_the_core_field() -> None:
    observation = screener().validate(machinery({}, when="2026-07-02T01:00:00+08:00"))
    assert isinstance(observation, Observation)
    assert mach.machinery_derived(observation, {}, DEFAULT)["machinery_night_work"] is True


def test_reported_gas_protection_range_wins_over_the_default_even_when_zero() -> None:
    observation = screener().validate(machinery({"gas_protection_range_m": 0}))
    assert isinstance(observation, Observation)
    assert (
        mach.machinery_derived(observation, {"is_night": False}, DEFAULT)["machinery_gas_protection_range_m"]
        == 0
    )


@pytest.mark.parametrize(
    ("when", "fires"),
    [
        ("2026-12-31T23:30:00+08:00", True),
        ("2027-01-01T05:00:00+08:00", True),
        ("2026-12-31T21:00:00+08:00", False),
        ("2026-12-31T16:00:00+00:00", True),  # 00:00 on 1 January, local time
    ],
)
def test_night_work_across_the_year_end(when: str, fires: bool) -> None:
    assert ("MACH-001" in fired(screener().screen(machinery(NIGHT_WORK, when=when)))) is fires


def test_the_screeners_night_window_is_the_one_the_plugin_uses() -> None:
    late = Screener(settings=Settings(night_start_hour=23, night_end_hour=7))
    assert "MACH-001" not in fired(late.screen(machinery(NIGHT_WORK, when="2026-07-01T22:30:00+08:00")))
    assert "MACH-001" in fired(late.screen(machinery(NIGHT_WORK, when="2026-07-02T06:30:00+08:00")))


# -- attributes -----------------------------------------------------------------------------


def test_every_attribute_is_optional() -> None:
    attrs = MachineryAttrs()
    assert all(getattr(attrs, name) is None for name in MachineryAttrs.model_fields)


@pytest.mark.parametrize(
    "bad",
    [
        {"night_permit": "maybe"},
        {"power_line_distance_m": -0.1},
        {"power_line_kv": 0},
        {"noise_leq_db": 250},
        {"equipment_count": -1},
        {"excavation_depth_m": -2},
    ],
)
def test_impossible_values_are_rejected(bad: dict[str, Any]) -> None:
    with pytest.raises(ValidationError):
        MachineryAttrs.model_validate(bad)
    result = screener().screen(machinery(bad))
    assert result.status == "error" and result.error is not None
    assert result.error.field == f"attrs.{next(iter(bad))}"


def test_the_bundled_sample_is_screened_without_plugin_errors() -> None:
    records = [
        json.loads(line) for line in EXAMPLES.read_text(encoding="utf-8").splitlines() if "machinery" in line
    ]
    records = [r for r in records if r.get("category") == "machinery"]
    assert len(records) >= 50
    results = [screener().screen(r, i) for i, r in enumerate(records)]
    assert all(r.status != "error" for r in results)
    assert not any(r.plugin_errors or r.incomplete for r in results)
    assert any(fired(r) & (MACH_RULES | MACH_CHECKS) for r in results)


# -- configuration ------------------------------------------------------------------------


def test_configuration_defaults_are_the_documented_ones() -> None:
    assert DEFAULT.day_noise_limit_db == 70
    assert DEFAULT.night_noise_limit_db == 55
    assert DEFAULT.night_lmax_limit_db == 70
    assert DEFAULT.special_plan_depth_m == 3
    assert DEFAULT.expert_review_depth_m == 5
    assert DEFAULT.gas_protection_range_m == 5
    assert DEFAULT.repeat_reports_30d == 2
    assert DEFAULT.clearance_bands == CLEARANCE_BANDS
    assert DEFAULT.corridor_bands == CORRIDOR_BANDS
    assert "挖掘机" in DEFAULT.excavating_equipment and "起重机" in DEFAULT.corridor_equipment


@pytest.mark.parametrize(
    ("bad", "field"),
    [
        ({"night_noise_limit_db": "loud"}, "night_noise_limit_db"),
        ({"night_noise_limit_db": -5}, "night_noise_limit_db"),
        ({"special_plan_depth_m": 6}, "expert_review_depth_m"),
        (
            {"clearance_bands": [{"up_to_kv": 10, "metres": 6}, {"up_to_kv": 1, "metres": 4}]},
            "clearance_bands",
        ),
        ({"corridor_bands": []}, "corridor_bands"),
        ({"excavating_equipment": [" "]}, "excavating_equipment"),
        ({"night_noise_limt_db": 50}, "night_noise_limt_db"),
    ],
)
def test_bad_configuration_is_a_load_error_naming_the_plugin(bad: dict[str, Any], field: str) -> None:
    with pytest.raises(RuleLoadError) as caught:
        Screener(settings=Settings(plugins={"machinery": bad}))
    text = str(caught.value)
    assert "plugin machinery" in text
    assert field in text


def test_configured_noise_limits_reach_the_rules() -> None:
    quiet = Screener(settings=Settings(plugins={"machinery": {"night_noise_limit_db": 50}}))
    night = machinery({"noise_leq_db": 52}, when="2026-07-01T23:00:00+08:00")
    assert "MACH-002" not in fired(screener().screen(night))
    result = quiet.screen(night)
    assert "MACH-002" in fired(result)
    assert result.alert is not None
    assert "超过夜间排放限值50分贝(A)" in result.alert.findings[0].message


def test_configured_depth_and_gas_range_reach_the_rules() -> None:
    local = Screener(
        settings=Settings(plugins={"machinery": {"special_plan_depth_m": 2.5, "gas_protection_range_m": 10}})
    )
    shallow = machinery({"excavation_depth_m": 2.6, "special_plan": "none"})
    gas = machinery({"equipment": ["挖掘机"], "gas_facility_distance_m": 8})
    assert "MACH-008" not in fired(screener().screen(shallow))
    assert "MACH-008" in fired(local.screen(shallow))
    assert "MACH-010" not in fired(screener().screen(gas))
    assert "MACH-010" in fired(local.screen(gas))


def test_a_configured_clearance_table_reaches_the_check_and_its_message() -> None:
    bands = [
        {"up_to_kv": 1, "metres": 4, "inclusive": False},
        {"up_to_kv": 10, "metres": 7},
        {"up_to_kv": 500, "metres": 15},
    ]
    local = Screener(settings=Settings(plugins={"machinery": {"clearance_bands": bands}}))
    observation = machinery({"equipment": ["起重机"], "power_line_kv": 10, "power_line_distance_m": 6.5})
    assert "MACH-PY-001" not in fired(screener().screen(observation))
    result = local.screen(observation)
    assert result.alert is not None
    (finding,) = [f for f in result.alert.findings if f.rule_id == "MACH-PY-001"]
    assert "最小安全操作距离7米" in finding.message
    assert finding.values["derived.machinery_clearance_m"] == 7


def test_configured_repeat_threshold_reaches_the_check() -> None:
    strict = Screener(settings=Settings(plugins={"machinery": {"repeat_reports_30d": 3}}))
    observation = machinery(NIGHT_WORK, when="2026-07-01T23:30:00+08:00", history={"reports_30d": 2})
    assert "MACH-PY-002" in fired(screener().screen(observation))
    assert "MACH-PY-002" not in fired(strict.screen(observation))


def test_voltage_band_rejects_impossible_rows() -> None:
    with pytest.raises(ValidationError):
        VoltageBand(up_to_kv=0, metres=4)
    with pytest.raises(ValidationError):
        VoltageBand(up_to_kv=10, metres=-1)


# -- checks ------------------------------------------------------------------------------------


def test_clearance_message_states_distance_clearance_and_shortfall() -> None:
    result = screener().screen(
        machinery(
            {"equipment": ["汽车起重机"], "power_line_kv": 35, "power_line_distance_m": 5.5},
            location={"village": "南村"},
        )
    )
    assert result.alert is not None
    (finding,) = [f for f in result.alert.findings if f.rule_id == "MACH-PY-001"]
    assert finding.message == (
        "南村：汽车起重机在35千伏架空电力线路旁作业，距线路边线5.5米，"
        "小于该电压等级最小安全操作距离8米（差2.5米），有触电和线路短路危险"
    )
    assert finding.pack == "machinery"
    assert finding.severity == "critical"


def test_clearance_message_above_the_table() -> None:
    result = screener().screen(machinery({"power_line_kv": 800, "power_line_distance_m": 12}))
    assert result.alert is not None
    (finding,) = [f for f in result.alert.findings if f.rule_id == "MACH-PY-001"]
    assert "施工机械在800千伏架空电力线路旁作业" in finding.message
    assert "安全距离不少于15米" in finding.message


def test_repeat_night_check_message() -> None:
    result = screener().screen(
        machinery(
            NIGHT_WORK,
            when="2026-07-01T23:30:00+08:00",
            location={"village": "东村"},
            history={"reports_30d": 3, "rectified_before": True},
        )
    )
    assert result.alert is not None
    (finding,) = [f for f in result.alert.findings if f.rule_id == "MACH-PY-002"]
    assert finding.message == (
        "东村：该工地30日内已被上报3次，曾整改后复发，23时仍在噪声敏感建筑物附近夜间施工且无夜间施工证明，属屡查屡犯"
    )
    assert finding.score == 45 and finding.escalate_to == "department"


def test_number_text() -> None:
    assert number_text(6.0) == "6"
    assert number_text(2.5) == "2.5"
    assert number_text(0.38) == "0.38"
    assert number_text(1 / 3) == "0.33"


def test_record_hooks_ignore_other_categories() -> None:
    observation = Observation.model_validate(
        {"id": "g", "category": "gas_safety", "reported_at": "2026-07-01T23:00:00+08:00", "attrs": {}}
    )
    assert riskscreen_enrich(observation, {"is_night": True}, DEFAULT) is None
    assert riskscreen_check(observation, Record({}), DEFAULT) is None


NIGHT_PERMITS = st.sampled_from(["valid", "none", "out_of_scope", "expired", "unknown", None])
FLAGS = st.sampled_from([True, False, None])


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    permit=NIGHT_PERMITS,
    near=FLAGS,
    emergency=FLAGS,
    hour=st.integers(min_value=0, max_value=23),
    reports=st.one_of(st.none(), st.integers(min_value=0, max_value=6)),
    rectified=FLAGS,
)
def test_the_repeat_check_fires_only_with_mach_001_and_the_python_logic_matches_the_rule(
    permit: str | None,
    near: bool | None,
    emergency: bool | None,
    hour: int,
    reports: int | None,
    rectified: bool | None,
) -> None:
    attrs = {"night_permit": permit, "near_sensitive_buildings": near, "emergency_repair": emergency}
    when = datetime(2026, 7, 1, hour, 15, tzinfo=timezone(timedelta(hours=8))).isoformat()
    history = {"reports_30d": reports, "rectified_before": rectified}
    result = screener().screen(
        machinery({k: v for k, v in attrs.items() if v is not None}, when=when, history=history)
    )
    assert result.status != "error" and not result.plugin_errors
    names = fired(result)
    decided = mach.night_work_violation(mach.is_night_hour(hour), near, permit, emergency)
    assert ("MACH-001" in names) is (decided is True)
    assert ("MACH-001" in {i.rule_id for i in result.insufficient}) is (decided is None)
    if "MACH-PY-002" in names:
        assert "MACH-001" in names


# -- the "Done when" scenario of issue 3 ------------------------------------------------------------


def test_done_when_excavator_3_m_from_a_10_kv_line_at_23_30() -> None:
    result = screener().screen(
        {
            "id": "mach-done",
            "kind": "complaint",
            "category": "machinery",
            "reported_at": "2026-07-01T23:30:00+08:00",
            "location": {"district": "北管区", "village": "东村"},
            "description": "群众来电反映：东村工地挖掘机深夜施工，距10千伏线路很近。",
            "attrs": {
                "equipment": ["挖掘机"],
                "equipment_count": 1,
                "night_permit": "none",
                "near_sensitive_buildings": True,
                "emergency_repair": False,
                "power_line_kv": 10,
                "power_line_distance_m": 3,
                "power_approval": "none",
            },
        }
    )
    alert = result.alert
    assert alert is not None and not result.incomplete
    assert (alert.priority, alert.band, alert.color) == ("P1", "重大", "red")
    assert alert.score == 90.8  # 85 + 15 × 0.5 × (1 − 0.4 × 0.55): the clearance alone makes it P1
    assert alert.escalate_to == "department"
    assert alert.respond_by == datetime(2026, 7, 2, 0, 0, tzinfo=timezone(timedelta(hours=8)))
    assert [f.rule_id for f in alert.findings] == ["MACH-PY-001", "MACH-004", "MACH-001"]
    clearance, corridor, night = alert.findings
    assert clearance.message == (
        "东村：挖掘机在10千伏架空电力线路旁作业，距线路边线3米，"
        "小于该电压等级最小安全操作距离6米（差3米），有触电和线路短路危险"
    )
    assert clearance.severity == "critical" and clearance.respond_within == "30m"
    assert "电力设施保护条例 第十七条" in clearance.references
    assert "JGJ/T 46-2024 建筑与市政工程施工现场临时用电安全技术标准（外电线路防护；距离以配置为准）" in (
        clearance.references
    )
    assert corridor.message == (
        "东村：挖掘机在10千伏架空电力线路保护区内作业（距边线3米，保护区宽5米），未经电力管理部门批准"
    )
    assert corridor.references == ["电力设施保护条例 第十七条", "电力设施保护条例 第十条"]
    assert night.message == "东村：23时在噪声敏感建筑物附近夜间施工（挖掘机），未取得或未能出示夜间施工证明"
    assert night.references == ["噪声污染防治法 第四十三条", "噪声污染防治法 第八十八条"]
    assert alert.provenance.packs["machinery"] == "1.0.0"
    assert alert.provenance.plugins["machinery"] == "1.0.0"


# -- packaging and disabling -------------------------------------------------------------------


def test_disabling_the_plugin_removes_exactly_its_rules_and_checks() -> None:
    without = Screener(disable_plugins=["machinery"])
    assert screener().rule_ids - without.rule_ids == MACH_RULES | MACH_CHECKS
    assert without.rule_ids <= screener().rule_ids
    assert "machinery" not in {p.name for p in without.plugin_host.plugins}
    result = without.screen(
        machinery(
            {**NIGHT_WORK, "power_line_kv": 10, "power_line_distance_m": 3}, when="2026-07-01T23:30:00+08:00"
        )
    )
    assert not fired(result) & (MACH_RULES | MACH_CHECKS)


def test_disabling_the_plugin_through_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("RISKSCREEN_DISABLE_PLUGINS", "machinery")
    assert not Screener().rule_ids & (MACH_RULES | MACH_CHECKS)


def test_the_plugin_is_registered_and_listed_with_its_version() -> None:
    (entry,) = [e for e in metadata.entry_points(group="riskscreen") if e.name == "machinery"]
    assert entry.value == "riskscreen_machinery.plugin"
    assert metadata.version("riskscreen-machinery") == "1.0.0"
    listed = {p.name: p.version for p in screener().plugin_host.plugins}
    assert listed["machinery"] == "1.0.0"
    assert {check.id for plugin, check in screener().checks if plugin == "machinery"} == MACH_CHECKS


# -- absent values: undecided, never "at a safe distance" -------------------------------------------


def test_a_line_reported_without_its_distance_leaves_the_clearance_check_undecided() -> None:
    # the distance attribute is misspelt, so the distance is absent
    result = screener().screen(
        machinery({"equipment": ["挖掘机"], "power_line_kv": 10, "power_line_distnace_m": 2})
    )
    assert "MACH-PY-001" not in fired(result)
    open_checks = {i.rule_id: i for i in result.insufficient}
    assert open_checks["MACH-PY-001"].missing == ["attrs.power_line_distance_m"]
    assert open_checks["MACH-PY-001"].severity == "critical"


def test_a_distance_without_the_voltage_names_the_voltage() -> None:
    result = screener().screen(machinery({"power_line_distance_m": 2}))
    assert {i.rule_id: i.missing for i in result.insufficient}["MACH-PY-001"] == ["attrs.power_line_kv"]


def test_a_report_naming_no_line_leaves_the_clearance_check_closed() -> None:
    result = screener().screen(machinery({"equipment": ["挖掘机"]}))
    assert "MACH-PY-001" not in {i.rule_id for i in result.insufficient}
    assert not [p for i in result.insufficient for p in i.missing if p.startswith("derived.")]
