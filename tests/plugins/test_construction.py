"""The housing construction plugin (riskscreen-construction): derived fields, configuration,
checks, the issue's scenario, and disabling the plugin."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from functools import cache
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pydantic import ValidationError
from riskscreen_construction import derived as cons
from riskscreen_construction.config import ConstructionConfig, ProvinceCaps
from riskscreen_construction.plugin import (
    construction_corridor_m,
    riskscreen_check,
    riskscreen_enrich,
)

from riskscreen import Finding, Observation, Record, RuleLoadError, Screener, Settings, YearlyWindow
from tests.helpers import shipped_screener

CONS_RULES = {f"CONS-{n:03d}" for n in range(1, 14)}
CONS_CHECKS = {"CONS-101", "CONS-102"}
DEFAULT = ConstructionConfig()
HENAN = DEFAULT.caps


screener = shipped_screener  # built once per session


@cache
def configured(**config: Any) -> Screener:
    """A screener with the construction plugin configured (keyword values must be hashable)."""
    return Screener(settings=Settings(plugins={"construction": {k: _unfreeze(v) for k, v in config.items()}}))


def _unfreeze(value: Any) -> Any:
    if isinstance(value, tuple) and all(isinstance(v, tuple) and len(v) == 2 for v in value):
        return {k: _unfreeze(v) for k, v in value}
    return value


def observation(
    attrs: dict[str, Any], when: str = "2026-03-12T10:00:00+08:00", **fields: Any
) -> dict[str, Any]:
    """A construction observation reported at ``when``."""
    return {
        "id": "c-1",
        "kind": "patrol",
        "category": "construction",
        "reported_at": when,
        "location": {"district": "北管区", "village": "东村", "address": "东村北地"},
        "attrs": attrs,
        **fields,
    }


def fired(result: Any) -> set[str]:
    return {f.rule_id for f in result.alert.findings} if result.alert else set()


def finding(result: Any, rule_id: str) -> Finding:
    """The one finding of ``rule_id`` in the result's alert."""
    assert result.alert is not None
    (found,) = [f for f in result.alert.findings if f.rule_id == rule_id]
    return found  # type: ignore[no-any-return]


# -- power-line corridor (电力设施保护条例 第十条) --------------------------------------------


@pytest.mark.parametrize(
    ("kv", "width"),
    [
        (0.0, 0.0),
        (0.38, 0.0),
        (0.99, 0.0),
        (1.0, 5.0),
        (10.0, 5.0),
        (10.5, 10.0),  # between bands: the wider band above
        (20.0, 10.0),
        (35.0, 10.0),
        (66.0, 10.0),
        (110.0, 10.0),
        (132.0, 15.0),
        (154.0, 15.0),
        (220.0, 15.0),
        (330.0, 15.0),
        (400.0, 20.0),
        (500.0, 20.0),
        (750.0, 20.0),  # above the table: its widest band as a lower bound
    ],
)
def test_corridor_width_follows_the_regulation_table(kv: float, width: float) -> None:
    assert cons.corridor_width_m(kv) == width
    assert construction_corridor_m(kv) == width


@given(st.floats(0, 1100), st.floats(0, 1100))
def test_corridor_width_never_shrinks_as_voltage_rises(a: float, b: float) -> None:
    low, high = sorted((a, b))
    assert cons.corridor_width_m(low) <= cons.corridor_width_m(high)
    assert cons.corridor_width_m(low) in {0.0, 5.0, 10.0, 15.0, 20.0}


@pytest.mark.parametrize(
    ("kv", "distance", "inside"),
    [
        (10, 5.0, True),  # the boundary line belongs to the corridor
        (10, 5.01, False),
        (110, 10.0, True),
        (110, 10.1, False),
        (500, 20.0, True),
        (500, 20.5, False),
        (0.38, 0.0, False),  # low voltage: no corridor
        (None, 3.0, None),
        (10, None, None),
    ],
)
def test_inside_power_corridor(kv: float | None, distance: float | None, inside: bool | None) -> None:
    assert cons.in_power_corridor(kv, distance) is inside


# -- farmland in 亩 ----------------------------------------------------------------------------


def test_mu_conversion_hits_the_criminal_thresholds_exactly() -> None:
    assert cons.m2_to_mu(3333.5) == 5.0
    assert cons.m2_to_mu(6667.0) == 10.0
    assert cons.m2_to_mu(3333.4) < 5


@pytest.mark.parametrize(
    ("measured", "on_land", "area", "mu"),
    [
        (0.3, True, 3333.5, 0.3),  # a measured figure wins
        (None, False, 500.0, 0.0),
        (None, True, 666.7, 1.0),
        (None, True, None, None),
        (None, None, 500.0, None),
    ],
)
def test_farmland_mu(
    measured: float | None, on_land: bool | None, area: float | None, mu: float | None
) -> None:
    assert cons.farmland_mu(measured, on_land, area) == mu


# -- rush building (实施条例 第二十六条) ---------------------------------------------------------

ANNOUNCED = datetime.fromisoformat("2026-05-01T00:00:00+08:00")


@pytest.mark.parametrize(
    ("in_area", "started", "rush"),
    [
        (True, None, True),
        (True, ANNOUNCED - timedelta(seconds=1), False),
        (True, ANNOUNCED, True),
        (True, ANNOUNCED + timedelta(days=3), True),
        (False, ANNOUNCED + timedelta(days=3), False),
        (None, ANNOUNCED, None),
    ],
)
def test_rush_building(in_area: bool | None, started: datetime | None, rush: bool | None) -> None:
    assert cons.rush_building(in_area, ANNOUNCED, started) is rush


# -- flood season ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("day", "inside"),
    [
        (date(2026, 5, 31), False),
        (date(2026, 6, 1), True),
        (date(2026, 9, 30), True),
        (date(2026, 10, 1), False),
    ],
)
def test_default_flood_season(day: date, inside: bool) -> None:
    assert cons.in_flood_season(day, DEFAULT.flood_season) is inside


@pytest.mark.parametrize(
    ("day", "inside"),
    [
        (date(2026, 11, 14), False),
        (date(2026, 11, 15), True),
        (date(2026, 12, 31), True),
        (date(2027, 1, 1), True),
        (date(2027, 3, 15), True),
        (date(2027, 3, 16), False),
        (date(2026, 7, 1), False),
    ],
)
def test_flood_season_wrapping_the_year_end(day: date, inside: bool) -> None:
    assert cons.in_flood_season(day, YearlyWindow(start="11-15", end="03-15")) is inside


def test_configured_flood_season_wrapping_the_year_end_reaches_the_rules() -> None:
    wrapped = configured(flood_season=(("start", "11-15"), ("end", "03-15")))
    winter = wrapped.screen(observation({"on_levee": True}, when="2026-12-31T10:00:00+08:00"))
    summer = wrapped.screen(observation({"on_levee": True}, when="2026-07-15T10:00:00+08:00"))
    assert "CONS-012" in fired(winter) and "CONS-011" not in fired(winter)
    assert "CONS-011" in fired(summer) and "CONS-012" not in fired(summer)


# -- homestead area cap ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("area", "land_class", "exceeds", "exact", "excess"),
    [
        (167.0, "plain", False, True, 0.0),  # the cap itself is allowed
        (167.01, "plain", True, True, 0.01),
        (200.3, "plain", True, True, 33.3),
        (134.0, "suburban", False, True, 0.0),
        (134.5, "suburban", True, True, 0.5),
        (200.0, "hilly", False, True, 0.0),
        (230.0, None, True, False, 30.0),  # above every tier
        (134.0, None, False, False, 0.0),  # within every tier
        (150.0, None, None, False, -50.0),  # undecided without the tier
        (150.0, "cultivated", None, False, -50.0),  # a key Henan does not have
    ],
)
def test_homestead_area_against_the_henan_caps(
    area: float, land_class: str | None, exceeds: bool | None, exact: bool, excess: float
) -> None:
    found = cons.assess_homestead_area(area, land_class, None, HENAN)
    assert found is not None
    assert (found.exceeds, found.exact, found.excess_m2) == (exceeds, exact, excess)


def test_no_area_no_assessment() -> None:
    assert cons.assess_homestead_area(None, "plain", None, HENAN) is None


@given(st.floats(0, 2000, allow_nan=False), st.sampled_from([None, "suburban", "plain", "hilly", "x"]))
def test_an_unknown_tier_never_contradicts_a_known_one(area: float, land_class: str | None) -> None:
    found = cons.assess_homestead_area(area, land_class, None, HENAN)
    assert found is not None
    per_tier = {area > t.cap_m2 for t in HENAN.tiers()}
    if found.exact:
        assert found.exceeds is (area > found.cap_m2)
    elif found.exceeds is True:
        assert per_tier == {True}
    elif found.exceeds is False:
        assert per_tier == {False}
    else:
        assert per_tier == {True, False}


SIZE_CAPS: dict[str, Any] = {
    "name": "示例省",
    "basis": "household_size",
    "size_brackets": [
        {"max_persons": 3, "cap_m2": 120, "label": "3人以下"},
        {"max_persons": 5, "cap_m2": 150, "label": "4至5人"},
        {"max_persons": None, "cap_m2": 180, "label": "6人以上"},
    ],
    "reference": "示例省宅基地管理办法",
}


@pytest.mark.parametrize(("size", "cap"), [(1, 120), (3, 120), (4, 150), (5, 150), (6, 180), (12, 180)])
def test_tier_by_household_size(size: int, cap: float) -> None:
    tier = cons.select_tier(ProvinceCaps.model_validate(SIZE_CAPS), None, size)
    assert tier is not None and tier.cap_m2 == cap


@pytest.mark.parametrize(
    ("brackets", "message"),
    [
        ([{"max_persons": 3, "cap_m2": 120, "label": "a"}], "must be open"),
        (
            [
                {"max_persons": 5, "cap_m2": 150, "label": "a"},
                {"max_persons": 3, "cap_m2": 120, "label": "b"},
            ],
            "must be open",
        ),
        (
            [
                {"max_persons": 5, "cap_m2": 150, "label": "a"},
                {"max_persons": 3, "cap_m2": 120, "label": "b"},
                {"cap_m2": 180, "label": "c"},
            ],
            "increasing order",
        ),
        ([{"cap_m2": 150, "label": "a"}, {"cap_m2": 180, "label": "b"}], "only the last"),
        ([], "at least one"),
    ],
)
def test_bad_size_brackets_are_rejected(brackets: list[dict[str, Any]], message: str) -> None:
    with pytest.raises(ValidationError, match=message):
        ProvinceCaps.model_validate({**SIZE_CAPS, "size_brackets": brackets})


def test_configuring_zhejiang_changes_the_cap() -> None:
    attrs = {"area_m2": 130, "homestead_land_class": "cultivated"}
    henan = screener().screen(observation(attrs))
    zhejiang = configured(province="zhejiang").screen(observation(attrs))
    assert "CONS-101" not in fired(henan)  # tier unknown in Henan; 130 is within every Henan tier
    assert "CONS-101" in fired(zhejiang)
    found = finding(zhejiang, "CONS-101")
    assert "浙江省宅基地标准（使用耕地）125平方米" in found.message
    assert "超占5平方米" in found.message
    assert "浙江省土地管理条例（宅基地面积标准）" in found.references


def test_a_province_capped_by_household_size_can_be_configured() -> None:
    config = ConstructionConfig.model_validate({"province": "demo", "homestead_caps": {"demo": SIZE_CAPS}})
    assert set(config.homestead_caps) == {"henan", "zhejiang", "demo"}  # shipped ones stay
    found = cons.derive({"area_m2": 160.0, "household_size": 4}, date(2026, 3, 1), config)
    assert found["construction_homestead_cap_m2"] == 150
    assert found["construction_area_excess_m2"] == 10
    assert found["construction_area_exceeds_cap"] is True


def test_the_area_cap_message_gives_the_excess_in_square_metres() -> None:
    result = screener().screen(observation({"area_m2": 200.5, "homestead_land_class": "plain"}))
    found = finding(result, "CONS-101")
    assert found.message == (
        "东村：建房占地200.5平方米，超过河南省宅基地标准（人均耕地667平方米以上的平原地区）167平方米，"
        "超占33.5平方米，多占部分以非法占用土地论处"
    )
    assert found.pack == "construction" and found.source == "plugin:construction"
    assert "土地管理法 第七十八条" in found.references
    assert found.values["excess_m2"] == 33.5


def test_an_unknown_tier_above_every_cap_says_at_least() -> None:
    result = screener().screen(observation({"area_m2": 230}))
    found = finding(result, "CONS-101")
    assert "至少超占30平方米" in found.message


# -- bad configuration -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("config", "where"),
    [
        ({"province": "hainan"}, "province"),
        ({"flood_season": {"start": "13-01", "end": "02-01"}}, "flood_season.start"),
        ({"repeat_reports_30d": 0}, "repeat_reports_30d"),
        ({"homestead_caps": {"henan": {"name": "河南省", "reference": "x"}}}, "homestead_caps.henan"),
        ({"homestead_capz": {}}, "homestead_capz"),
    ],
)
def test_bad_configuration_is_a_load_error_naming_the_plugin(config: dict[str, Any], where: str) -> None:
    with pytest.raises(RuleLoadError) as caught:
        Screener(settings=Settings(plugins={"construction": config}))
    assert f"plugin construction: configuration {where}" in str(caught.value)


# -- repeat offences ---------------------------------------------------------------------------


def test_repeat_offence_threshold_is_configurable() -> None:
    attrs = {"land_disputed": True}
    history = {"rectified_before": False, "reports_30d": 2}
    default = screener().screen(observation(attrs, history=history))
    stricter = configured(repeat_reports_30d=2).screen(observation(attrs, history=history))
    assert "CONS-102" not in fired(default)
    assert "CONS-102" in fired(stricter)
    found = finding(stricter, "CONS-102")
    assert found.message == "东村：该点位30日内被上报2次，属屡查屡建；当前问题：争议土地上建房"


def test_rebuilding_after_rectification_can_be_switched_off() -> None:
    obs = observation({"homestead_approval": "none"}, history={"rectified_before": True})
    assert "CONS-102" in fired(screener().screen(obs))
    assert "CONS-102" not in fired(configured(repeat_after_rectification=False).screen(obs))


# -- record hooks stay out of other categories -------------------------------------------------


def test_hooks_ignore_other_categories() -> None:
    other = Observation.model_validate(
        {
            "id": "o-1",
            "kind": "patrol",
            "category": "other",
            "reported_at": "2026-03-12T10:00:00+08:00",
            "history": {"rectified_before": True, "reports_30d": 9},
        }
    )
    assert riskscreen_enrich(other, {}, DEFAULT) is None
    assert riskscreen_check(other, Record({"status": "new"}), DEFAULT) is None


def test_enrich_without_config_uses_the_defaults() -> None:
    obs = Observation.model_validate(
        {
            "id": "c-1",
            "kind": "patrol",
            "category": "construction",
            "reported_at": "2026-07-01T09:00:00+08:00",
            "attrs": {"power_line_kv": 35.0, "power_line_distance_m": 8.0, "area_m2": 180.0},
        }
    )
    values = riskscreen_enrich(obs, {"local_date": "2026-07-01"}, None)
    assert values is not None
    assert values["construction_corridor_m"] == 10.0
    assert values["construction_in_power_corridor"] is True
    assert values["construction_in_flood_season"] is True
    assert values["construction_area_mu"] == round(180 / 666.7, 6)
    assert values["construction_violations"] == ["电力线路保护区内建房"]


# -- the scenario: a second homestead on permanent basic farmland -----------------------


def test_second_homestead_on_permanent_basic_farmland() -> None:
    result = screener().screen(
        observation(
            {
                "homestead_approval": "none",
                "planning_permit": "none",
                "area_m2": 160.0,
                "homestead_land_class": "plain",
                "on_basic_farmland": True,
                "basic_farmland_mu": 0.24,
                "other_farmland_mu": 0.0,
                "household_homesteads": 1,
                "in_requisition_area": False,
                "power_line_kv": 10.0,
                "power_line_distance_m": 40.0,
                "pipeline_distance_m": 600.0,
                "on_levee": False,
                "land_disputed": False,
            },
            description="网格员巡查发现：村民已有宅基地，又在村北永久基本农田上新建住宅",
        )
    )
    alert = result.alert
    assert alert is not None and not result.incomplete
    # serious, but neither a criminal threshold (5 亩 of permanent basic farmland) nor a danger
    # to life: P2. Four findings about one house: 60 + 40 × 0.5 × (1 − 0.4 × 0.55 × 0.6) = 77.4
    assert (alert.priority, alert.band, alert.color) == ("P2", "较大", "orange")
    assert alert.score == pytest.approx(77.4, abs=0.05)
    assert alert.escalate_to == "department"
    assert alert.respond_by == datetime.fromisoformat("2026-03-12T11:00:00+08:00")
    assert [f.rule_id for f in alert.findings] == ["CONS-002", "CONS-004", "CONS-001", "CONS-003"]
    by_id = {f.rule_id: f for f in alert.findings}
    assert by_id["CONS-004"].severity == "high"
    assert by_id["CONS-004"].message == "东村：在永久基本农田上建房，占用0.24亩（地址：东村北地）"
    assert by_id["CONS-001"].message == "东村：该户已有1处宅基地，又在东村北地建房，违反一户一宅规定"
    assert "基本农田保护条例 第十七条" in by_id["CONS-004"].references
    assert "土地管理法 第六十二条" in by_id["CONS-001"].references
    assert alert.provenance.plugins["construction"] == "1.0.0"
    assert alert.provenance.packs["construction"] == "1.0.0"


def test_a_large_occupation_goes_to_the_subdistrict() -> None:
    result = screener().screen(
        observation({"household_homesteads": 1, "on_basic_farmland": True, "area_m2": 3400})
    )
    assert {"CONS-001", "CONS-004", "CONS-005"} <= fired(result)
    assert result.alert is not None and result.alert.escalate_to == "subdistrict"


# -- the derived violations mirror the pack's rules --------------------------------------------

PERMITS = st.sampled_from(["valid", "none", "out_of_scope", "expired", "unknown"])
ATTRS = st.fixed_dictionaries(
    {},
    optional={
        "homestead_approval": PERMITS,
        "planning_permit": PERMITS,
        "area_m2": st.floats(0, 8000, allow_nan=False),
        "household_homesteads": st.integers(0, 3),
        "on_basic_farmland": st.booleans(),
        "basic_farmland_mu": st.sampled_from([0.0, 0.5, 4.99, 5.0, 12.0]),
        "on_other_farmland": st.booleans(),
        "other_farmland_mu": st.sampled_from([0.0, 0.5, 9.99, 10.0]),
        "in_requisition_area": st.booleans(),
        "power_line_kv": st.sampled_from([0.38, 10.0, 35.0, 110.0, 220.0, 500.0]),
        "power_line_distance_m": st.floats(0, 40, allow_nan=False),
        "pipeline_distance_m": st.floats(0, 20, allow_nan=False),
        "on_levee": st.booleans(),
        "land_disputed": st.booleans(),
    },
)


@settings(max_examples=150, deadline=None)
@given(ATTRS, st.sampled_from(["2026-03-12T10:00:00+08:00", "2026-07-15T10:00:00+08:00"]))
def test_violations_are_exactly_what_the_rules_see(attrs: dict[str, Any], when: str) -> None:
    result = screener().screen(observation(attrs, when=when))
    rules_fired = fired(result) & CONS_RULES
    record_violations = cons.derive(attrs, date.fromisoformat(when[:10]), DEFAULT)["construction_violations"]
    rule_violations = [v for v in record_violations if v != "超标准占用宅基地"]
    assert bool(rules_fired) == bool(rule_violations)
    assert ("CONS-101" in fired(result)) == ("超标准占用宅基地" in record_violations)


@settings(max_examples=60, deadline=None)
@given(ATTRS)
def test_screening_is_deterministic_and_never_fails(attrs: dict[str, Any]) -> None:
    first = screener().screen(observation(attrs))
    second = screener().screen(observation(attrs))
    assert first.status in {"alert", "no_alert"}
    assert not first.plugin_errors
    assert first.model_dump() == second.model_dump()


# -- disabling the plugin ----------------------------------------------------------------------


def test_disabling_the_plugin_removes_exactly_its_rules_and_checks() -> None:
    full = screener()
    without = Screener(disable_plugins=["construction"])
    rules_full = {r.id for r in full.ruleset.rules}
    rules_without = {r.id for r in without.ruleset.rules}
    checks_full = {c.id for _, c in full.checks}
    checks_without = {c.id for _, c in without.checks}
    assert rules_full - rules_without == CONS_RULES
    assert rules_without <= rules_full
    assert checks_full - checks_without == CONS_CHECKS
    assert checks_without <= checks_full
    assert "construction" not in without.plugin_host.versions
    # the category stays a built-in one: its records are still screened, by the general pack
    result = without.screen(observation({"household_homesteads": 1}, description="房屋倒塌"))
    assert fired(result) == {"GEN-005"}


# -- absent values: undecided, never "within the cap" ----------------------------------------------


def test_rush_building_without_an_area_leaves_the_area_cap_undecided() -> None:
    result = screener().screen(observation({"in_requisition_area": True, "homestead_approval": "none"}))
    assert "CONS-101" not in fired(result)
    open_checks = {i.rule_id: i for i in result.insufficient}
    assert open_checks["CONS-101"].missing == ["attrs.area_m2"]
    assert (open_checks["CONS-101"].severity, open_checks["CONS-101"].score) == ("medium", 45)


def test_an_area_between_the_tiers_caps_without_a_tier_names_the_tier_attribute() -> None:
    result = screener().screen(observation({"area_m2": 190}))
    open_checks = {i.rule_id: i.missing for i in result.insufficient}
    assert open_checks["CONS-101"] == ["attrs.homestead_land_class"]


def test_an_area_decided_either_way_leaves_the_cap_check_closed() -> None:
    within = screener().screen(observation({"area_m2": 100}))
    beyond = screener().screen(observation({"area_m2": 500}))
    assert "CONS-101" not in {i.rule_id for i in within.insufficient}
    assert "CONS-101" not in {i.rule_id for i in beyond.insufficient} and "CONS-101" in fired(beyond)


def test_no_construction_rule_reports_a_derived_field_as_missing() -> None:
    result = screener().screen(observation({}))
    assert not [p for i in result.insufficient for p in i.missing if p.startswith("derived.")]
