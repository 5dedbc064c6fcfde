"""The sand digging plugin (riskscreen-sand): derived fields, configuration, checks, scenario."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from pydantic import ValidationError
from riskscreen_sand import derived as sand
from riskscreen_sand.checks import run_checks, wan
from riskscreen_sand.config import SandConfig
from riskscreen_sand.functions import sand_any_in, sand_in_pipeline_crossing_zone
from riskscreen_sand.plugin import riskscreen_check, riskscreen_enrich

from riskscreen import (
    CheckFinding,
    CheckUndecided,
    Observation,
    Record,
    RuleLoadError,
    Screener,
    Settings,
    YearlyWindow,
)
from tests.helpers import shipped_screener

SAND_RULES = {f"SAND-{n:03d}" for n in range(1, 11)}
SAND_CHECKS = {"SAND-101", "SAND-102", "SAND-103"}
DEFAULT = SandConfig()


screener = shipped_screener  # built once per session


def sand_observation(
    attrs: dict[str, Any], when: str = "2026-05-12T10:00:00+08:00", **fields: Any
) -> dict[str, Any]:
    """A sand_digging observation reported at ``when``."""
    return {
        "id": "s-1",
        "kind": "patrol",
        "category": "sand_digging",
        "reported_at": when,
        "attrs": attrs,
        **fields,
    }


def fired(result: Any) -> set[str]:
    return {f.rule_id for f in result.alert.findings} if result.alert else set()


# -- closed season ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("day", "inside"),
    [
        (date(2026, 6, 30), False),
        (date(2026, 7, 1), True),
        (date(2026, 7, 31), True),
        (date(2026, 8, 15), True),
        (date(2026, 8, 16), False),
        (date(2026, 1, 1), False),
    ],
)
def test_default_closed_season_is_1_july_to_15_august_inclusive(day: date, inside: bool) -> None:
    assert sand.in_closed_season(day, DEFAULT.closed_seasons) is inside


@pytest.mark.parametrize(
    ("day", "inside"),
    [
        (date(2026, 11, 14), False),
        (date(2026, 11, 15), True),
        (date(2026, 12, 31), True),
        (date(2027, 1, 1), True),
        (date(2027, 3, 15), True),
        (date(2027, 3, 16), False),
        (date(2027, 7, 1), False),
    ],
)
def test_closed_season_wrapping_the_year_end(day: date, inside: bool) -> None:
    config = SandConfig.model_validate({"closed_seasons": [{"start": "11-15", "end": "03-15"}]})
    assert sand.in_closed_season(day, config.closed_seasons) is inside


def test_several_closed_seasons_and_none_at_all() -> None:
    config = SandConfig.model_validate(
        {"closed_seasons": [{"start": "04-01", "end": "04-30"}, {"start": "07-01", "end": "08-15"}]}
    )
    assert sand.in_closed_season(date(2026, 4, 10), config.closed_seasons)
    assert sand.in_closed_season(date(2026, 8, 1), config.closed_seasons)
    assert not sand.in_closed_season(date(2026, 5, 10), config.closed_seasons)
    no_season = SandConfig.model_validate({"closed_seasons": []})
    assert not sand.in_closed_season(date(2026, 7, 15), no_season.closed_seasons)


@given(
    start=st.dates(date(2024, 1, 1), date(2024, 12, 31)),
    end=st.dates(date(2024, 1, 1), date(2024, 12, 31)),
    day=st.dates(date(2025, 1, 1), date(2025, 12, 31)),
)
def test_a_closed_season_recurs_every_year(start: date, end: date, day: date) -> None:
    window = YearlyWindow(start=start.strftime("%m-%d"), end=end.strftime("%m-%d"))
    next_year = day.replace(year=2026)
    assert sand.in_closed_season(day, [window]) == sand.in_closed_season(next_year, [window])


def _month_day(day_of_year: int) -> str:
    return (date(2025, 1, 1) + timedelta(days=day_of_year - 1)).strftime("%m-%d")


@given(
    first=st.integers(1, 365),
    second=st.integers(1, 365),
    day=st.dates(date(2025, 1, 1), date(2025, 12, 31)),
)
def test_a_window_wrapping_the_year_end_is_the_complement_of_the_days_between(
    first: int, second: int, day: date
) -> None:
    end, start = sorted((first, second))
    assume(start - end >= 2)  # start after end: the window wraps and leaves a gap
    window = YearlyWindow(start=_month_day(start), end=_month_day(end))
    gap = YearlyWindow(start=_month_day(end + 1), end=_month_day(start - 1))
    assert sand.in_closed_season(day, [window]) != sand.in_closed_season(day, [gap])


def test_event_date_prefers_the_core_local_date_then_the_event_time() -> None:
    observation = Observation.model_validate(
        sand_observation({}, "2026-07-01T09:00:00+08:00", occurred_at="2026-06-30T20:00:00+08:00")
    )
    assert sand.event_date(observation, {"local_date": "2026-06-30"}) == date(2026, 6, 30)
    assert sand.event_date(observation, {}) == date(2026, 6, 30)  # the core plugin disabled


# -- zone, permit, legality --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("zone", "season", "expected", "label"),
    [
        (True, False, True, "禁采区"),
        (False, True, True, "禁采期"),
        (True, True, True, "禁采区、禁采期"),
        (None, True, True, "禁采期"),
        (False, False, False, None),
        (None, False, None, None),
    ],
)
def test_restricted_is_no_mining_zone_or_closed_season(
    zone: bool | None, season: bool, expected: bool | None, label: str | None
) -> None:
    assert sand.restricted(zone, season) is expected
    assert sand.restriction_label(zone, season) == label


@pytest.mark.parametrize(
    ("permit", "is_restricted", "expected"),
    [
        ("none", False, True),
        ("expired", False, True),
        ("out_of_scope", None, True),
        ("valid", True, True),
        ("unknown", True, True),
        ("valid", False, False),
        ("valid", None, None),
        ("unknown", False, None),
        (None, False, None),
    ],
)
def test_unlawful_mining(permit: str | None, is_restricted: bool | None, expected: bool | None) -> None:
    assert sand.unlawful_mining(permit, is_restricted) is expected


def test_permit_labels_are_chinese() -> None:
    assert [sand.permit_label(s) for s in ("valid", "none", "out_of_scope", "expired", "unknown")] == [
        "有效",
        "未办理",
        "超出许可范围",
        "已过期",
        "待核实",
    ]
    assert sand.permit_label(None) is None


# -- value thresholds ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "is_restricted", "grade"),
    [
        (99_999.99, False, "none"),
        (100_000, False, "serious"),
        (499_999, False, "serious"),
        (500_000, False, "especially_serious"),
        (49_999, True, "none"),
        (50_000, True, "serious"),
        (249_999, True, "serious"),
        (250_000, True, "especially_serious"),
        (0, True, "none"),
        # the zone or season is unknown: decided only where both figures agree
        (49_999, None, "none"),
        (70_000, None, None),
        (120_000, None, "serious"),
        (300_000, None, None),
        (500_000, None, "especially_serious"),
        (None, True, None),
    ],
)
def test_value_grade_at_the_default_thresholds(
    value: float | None, is_restricted: bool | None, grade: str | None
) -> None:
    assert sand.value_grade(value, is_restricted, DEFAULT) == grade


def test_serious_threshold_follows_zone_and_season() -> None:
    assert sand.serious_threshold(True, DEFAULT) == 50_000
    assert sand.serious_threshold(False, DEFAULT) == 100_000
    assert sand.serious_threshold(None, DEFAULT) is None


def test_provincial_figures_change_the_grade() -> None:
    config = SandConfig(serious_value_cny=300_000, serious_value_cny_restricted=150_000)
    assert sand.value_grade(299_999, False, config) == "none"
    assert sand.value_grade(300_000, False, config) == "serious"
    assert sand.value_grade(1_500_000, False, config) == "especially_serious"
    assert sand.value_grade(149_999, True, config) == "none"
    assert sand.value_grade(750_000, True, config) == "especially_serious"


GRADES = {"none": 0, "serious": 1, "especially_serious": 2}
values = st.floats(0, 5_000_000, allow_nan=False)
configs = st.builds(
    lambda general, lowered: SandConfig(
        serious_value_cny=general, serious_value_cny_restricted=min(general, lowered)
    ),
    st.floats(100_000, 300_000),
    st.floats(50_000, 150_000),
)


@given(a=values, b=values, is_restricted=st.booleans(), config=configs)
def test_value_grade_never_falls_as_the_value_rises(
    a: float, b: float, is_restricted: bool, config: SandConfig
) -> None:
    low, high = sorted((a, b))
    assert (
        GRADES[sand.value_grade(low, is_restricted, config) or ""]
        <= GRADES[sand.value_grade(high, is_restricted, config) or ""]
    )


@given(value=values, config=configs)
def test_zone_or_season_never_lowers_the_grade_and_unknown_agrees_when_decided(
    value: float, config: SandConfig
) -> None:
    outside = sand.value_grade(value, False, config)
    inside = sand.value_grade(value, True, config)
    unknown = sand.value_grade(value, None, config)
    assert outside is not None and inside is not None
    assert GRADES[inside] >= GRADES[outside]
    assert unknown in (None, outside)
    assert (unknown is None) == (inside != outside)


def test_wan_formats_amounts_in_ten_thousands() -> None:
    assert [wan(v) for v in (100_000, 125_000, 50_000, 180_000, 12_345)] == ["10", "12.5", "5", "18", "1.23"]


# -- distances ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("structure", "distance", "near"),
    [
        ("桥梁", 500, True),
        ("桥梁", 500.01, False),
        ("堤坝", 200, True),
        ("堤坝", 200.5, False),
        ("水库", 0, True),
        ("水源地", 499, True),
        ("none", 10, False),
        ("none", None, False),
        ("桥梁", None, None),
        (None, 10, None),
    ],
)
def test_near_structure_at_the_default_distances(
    structure: str | None, distance: float | None, near: bool | None
) -> None:
    assert sand.near_structure(structure, distance, DEFAULT) is near


def test_structure_distances_given_are_merged_into_the_defaults() -> None:
    config = SandConfig.model_validate({"structure_distances_m": {"桥梁": 1000}})
    assert sand.structure_limit("桥梁", config) == 1000
    assert sand.structure_limit("堤坝", config) == 200
    assert sand.near_structure("桥梁", 800, config) is True
    assert sand.structure_limit("none", config) is None


def test_functions_for_rules() -> None:
    assert sand_any_in(["挖掘机", "采砂船"], ["采砂船", "抽砂船"])
    assert not sand_any_in(["挖掘机"], ["采砂船"])
    assert not sand_any_in([], ["采砂船"])
    assert sand_in_pipeline_crossing_zone(500.0)
    assert sand_in_pipeline_crossing_zone(0.0)
    assert not sand_in_pipeline_crossing_zone(500.1)


# -- configuration -------------------------------------------------------------------------------


def test_configuration_defaults_are_the_documented_ones() -> None:
    assert DEFAULT.closed_seasons == (YearlyWindow(start="07-01", end="08-15"),)
    assert DEFAULT.serious_value_cny == 100_000
    assert DEFAULT.serious_value_cny_restricted == 50_000
    assert DEFAULT.structure_distances_m == {"堤坝": 200, "水库": 200, "桥梁": 500, "水源地": 500}


@pytest.mark.parametrize(
    ("bad", "field"),
    [
        ({"serious_value_cny": 90_000}, "serious_value_cny"),
        ({"serious_value_cny": 350_000}, "serious_value_cny"),
        ({"serious_value_cny_restricted": 160_000}, "serious_value_cny_restricted"),
        ({"serious_value_cny": 100_000, "serious_value_cny_restricted": 120_000}, "must not exceed"),
        ({"closed_seasons": [{"start": "13-01", "end": "08-15"}]}, "closed_seasons"),
        ({"closed_seasons": [{"start": "7/1", "end": "08-15"}]}, "MM-DD"),
        ({"structure_distances_m": {"桥梁": -5}}, "positive"),
        ({"structure_distances_m": {"码头": 100}}, "structure_distances_m"),
        ({"closed_season": []}, "closed_season"),
    ],
)
def test_bad_configuration_is_a_load_error_naming_the_plugin(bad: dict[str, Any], field: str) -> None:
    with pytest.raises(ValidationError):
        SandConfig.model_validate(bad)
    with pytest.raises(RuleLoadError) as caught:
        Screener(settings=Settings(plugins={"sand": bad}))
    text = str(caught.value)
    assert "plugin sand" in text
    assert field in text


def test_configuration_reaches_the_rules_and_checks() -> None:
    configured = Screener(
        settings=Settings(
            plugins={
                "sand": {
                    "closed_seasons": [{"start": "06-01", "end": "09-30"}],
                    "serious_value_cny": 300_000,
                    "structure_distances_m": {"桥梁": 1000},
                }
            }
        )
    )
    june = sand_observation({"sand_permit": "valid", "in_no_mining_zone": False}, "2026-06-15T10:00:00+08:00")
    assert "SAND-005" in fired(configured.screen(june))
    assert "SAND-005" not in fired(screener().screen(june))

    may = sand_observation({"sand_permit": "none", "in_no_mining_zone": False, "value_cny": 200_000})
    assert "SAND-101" in fired(screener().screen(may))
    assert "SAND-101" not in fired(configured.screen(may))

    bridge = sand_observation({"sand_permit": "valid", "structure_type": "桥梁", "structure_distance_m": 800})
    assert "SAND-007" in fired(configured.screen(bridge))
    assert "SAND-007" not in fired(screener().screen(bridge))


# -- checks -------------------------------------------------------------------------------------------


def check_record(attrs: dict[str, Any], derived: dict[str, Any]) -> Record:
    return Record({"attrs": attrs, "derived": derived, "location": {"village": "河东村"}})


def test_value_check_reads_the_threshold_that_applied() -> None:
    record = check_record(
        {"value_cny": 60_000},
        {
            "sand_unlawful_mining": True,
            "sand_value_grade": "serious",
            "sand_serious_threshold_cny": 50_000,
            "sand_restriction_label": "禁采期",
        },
    )
    (finding,) = [f for f in run_checks(record) if isinstance(f, CheckFinding)]
    assert finding.rule_id == "SAND-101"
    assert (
        finding.message == "河东村：非法采砂价值约6万元，达到禁采期内“情节严重”标准（5万元），涉嫌非法采矿罪"
    )
    assert finding.escalate_to == "department"
    assert "法释〔2016〕25号 第三条" in finding.references


def test_checks_are_undecided_not_silent_when_legality_is_undecided() -> None:
    record = check_record(
        {"value_cny": 900_000, "penalties_2y": 5},
        {"sand_unlawful_mining": None, "sand_value_grade": "especially_serious"},
    )
    results = run_checks(record)
    assert all(isinstance(r, CheckUndecided) for r in results)
    assert [(r.check_id, r.missing) for r in results if isinstance(r, CheckUndecided)] == [
        ("SAND-102", ["derived.sand_unlawful_mining"]),
        ("SAND-103", ["derived.sand_unlawful_mining"]),
    ]


def test_lawful_digging_leaves_no_value_check_open() -> None:
    record = check_record({}, {"sand_unlawful_mining": False})
    assert run_checks(record) == []


def test_record_hooks_ignore_other_categories() -> None:
    other = Observation.model_validate(
        {"id": "f-1", "kind": "patrol", "category": "fire_safety", "reported_at": "2026-07-01T09:00:00+08:00"}
    )
    assert riskscreen_enrich(other, {"local_date": "2026-07-01"}, None) is None
    assert riskscreen_check(other, Record({}), None) is None


# -- through the Screener ---------------------------------------------------------------------------


def test_done_when_scenario_sand_dredging_in_the_closed_season_inside_a_no_mining_zone() -> None:
    result = screener().screen(
        sand_observation(
            {
                "sand_permit": "none",
                "in_no_mining_zone": True,
                "volume_m3": 2000,
                "value_cny": 180_000,
                "equipment": ["采砂船", "渣土车"],
                "penalties_2y": 0,
                "structure_type": "none",
                "pipeline_crossing_distance_m": 3000,
                "on_farmland": False,
                "on_levee_protection": False,
            },
            "2026-07-20T23:30:00+08:00",
            location={"district": "北管区", "village": "河东村"},
            description="网格员巡查发现：河东村河道采砂船夜间抽砂，位于禁采区。",
        )
    )
    alert = result.alert
    assert alert is not None and not result.incomplete
    assert (alert.priority, alert.band, alert.color) == ("P1", "重大", "red")
    assert alert.escalate_to == "department"
    assert alert.respond_by.isoformat() == "2026-07-21T00:30:00+08:00"
    assert fired(result) == {"SAND-001", "SAND-004", "SAND-005", "SAND-006", "SAND-101"}
    top = alert.findings[0]
    assert top.rule_id == "SAND-006" and top.severity == "critical"
    assert top.message == (
        "河东村：采砂船在禁采区、禁采期内采砂（设备：采砂船、渣土车，许可：未办理，约2000立方米），"
        "依法应没收采砂船舶和机具"
    )
    assert "水法 第三十九条" in top.references
    assert "河道管理条例 第二十五条" in top.references
    assert any("没收" in reference for reference in top.references)
    assert "没收" in (top.action or "")
    assert alert.provenance.plugins.get("sand") == "1.0.0"


def test_disabling_the_plugin_removes_exactly_its_rules_and_checks() -> None:
    without = Screener(disable_plugins=["sand"])
    assert screener().rule_ids - without.rule_ids == SAND_RULES | SAND_CHECKS
    assert without.rule_ids <= screener().rule_ids
    assert "sand" not in {p.name for p in without.plugin_host.plugins}
    result = without.screen(sand_observation({"sand_permit": "none", "in_no_mining_zone": True}))
    assert not fired(result) & (SAND_RULES | SAND_CHECKS)


def test_disabling_the_plugin_through_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("RISKSCREEN_DISABLE_PLUGINS", "sand")
    assert not Screener().rule_ids & (SAND_RULES | SAND_CHECKS)


def test_the_plugin_is_listed_with_its_version() -> None:
    plugins = {p.name: p.version for p in screener().plugin_host.plugins}
    assert plugins["sand"] == "1.0.0"
    assert {check.id for name, check in screener().checks if name == "sand"} == SAND_CHECKS


attr_values = st.fixed_dictionaries(
    {},
    optional={
        "sand_permit": st.sampled_from(["valid", "none", "out_of_scope", "expired", "unknown"]),
        "in_no_mining_zone": st.booleans(),
        "volume_m3": st.floats(0, 50_000, allow_nan=False),
        "value_cny": st.floats(0, 3_000_000, allow_nan=False),
        "equipment": st.lists(
            st.sampled_from(["采砂船", "抽砂船", "挖掘机", "装载机", "渣土车"]), max_size=3
        ),
        "penalties_2y": st.integers(0, 5),
        "structure_type": st.sampled_from(["堤坝", "水库", "桥梁", "水源地", "none"]),
        "structure_distance_m": st.floats(0, 2000, allow_nan=False),
        "pipeline_crossing_distance_m": st.floats(0, 5000, allow_nan=False),
        "on_farmland": st.booleans(),
        "on_levee_protection": st.booleans(),
    },
)


@settings(max_examples=150, deadline=None)
@given(attrs=attr_values, day=st.dates(date(2026, 1, 1), date(2026, 12, 31)))
def test_any_sand_report_is_screened_consistently(attrs: dict[str, Any], day: date) -> None:
    result = screener().screen(sand_observation(attrs, f"{day.isoformat()}T10:00:00+08:00"))
    assert result.status in ("alert", "no_alert") and not result.plugin_errors
    ids = fired(result)
    assert not {"SAND-101", "SAND-102"} <= ids  # one value grade at most
    if ids & {"SAND-101", "SAND-102", "SAND-103"}:
        restricted = bool(attrs.get("in_no_mining_zone")) or sand.in_closed_season(
            day, DEFAULT.closed_seasons
        )
        assert restricted or attrs.get("sand_permit") in ("none", "expired", "out_of_scope")
    if "SAND-006" in ids:
        assert result.alert is not None and result.alert.priority == "P1"


# -- absent values: undecided, never "no" ---------------------------------------------------------


def undecided(result: Any) -> dict[str, list[str]]:
    return {i.rule_id: i.missing for i in result.insufficient}


def test_unpermitted_mining_without_a_value_leaves_the_value_checks_undecided() -> None:
    result = screener().screen(sand_observation({"sand_permit": "none", "in_no_mining_zone": False}))
    assert not fired(result) & {"SAND-101", "SAND-102"}
    open_checks = undecided(result)
    assert open_checks["SAND-101"] == ["attrs.value_cny"]
    assert open_checks["SAND-102"] == ["attrs.value_cny"]
    by_id = {i.rule_id: i for i in result.insufficient}
    assert (by_id["SAND-102"].severity, by_id["SAND-102"].score) == ("critical", 95)
    assert (by_id["SAND-101"].severity, by_id["SAND-101"].score) == ("high", 80)  # the criminal threshold
    assert result.could_be == "P1"  # the value alone could make it a criminal case


def test_a_value_that_cannot_reach_the_especially_serious_grade_leaves_only_the_serious_check_open() -> None:
    # 60,000 CNY is serious inside a no-mining zone (50,000) and nothing outside (100,000)
    result = screener().screen(sand_observation({"sand_permit": "none", "value_cny": 60_000}))
    open_checks = undecided(result)
    assert open_checks["SAND-101"] == ["attrs.in_no_mining_zone"]
    assert "SAND-102" not in open_checks


def test_a_value_without_a_permit_status_leaves_the_check_open_naming_the_permit() -> None:
    result = screener().screen(sand_observation({"value_cny": 900_000, "in_no_mining_zone": False}))
    assert "SAND-102" not in fired(result)
    assert undecided(result)["SAND-102"] == ["attrs.sand_permit"]


def test_rules_lacking_a_derived_field_name_the_attributes_to_collect() -> None:
    result = screener().screen(sand_observation({"sand_permit": "none"}))
    missing = [path for paths in undecided(result).values() for path in paths]
    assert missing and not [path for path in missing if path.startswith("derived.")]


def test_decided_records_leave_no_plugin_check_open() -> None:
    result = screener().screen(
        sand_observation({"sand_permit": "valid", "in_no_mining_zone": False, "value_cny": 900_000})
    )
    assert not set(undecided(result)) & SAND_CHECKS
