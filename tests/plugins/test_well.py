"""The well-drilling plugin (riskscreen-well): derived fields, configuration, checks, scenario."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pydantic import ValidationError
from riskscreen_well import derived as well
from riskscreen_well.config import WellConfig
from riskscreen_well.plugin import riskscreen_check, riskscreen_enrich

from riskscreen import Observation, RuleLoadError, Screener, Settings, YearlyWindow
from tests.helpers import shipped_screener

WELL_RULES = {f"WELL-{n:03d}" for n in range(1, 10)}
WELL_CHECKS = {"WELL-101", "WELL-102"}
DEFAULT = WellConfig()
REPORTED = "2026-07-01T09:00:00+08:00"


screener = shipped_screener  # built once per session


def well_observation(attrs: dict[str, Any], when: str = REPORTED, **fields: Any) -> dict[str, Any]:
    """A well_drilling observation in 东村 reported at ``when``."""
    return {
        "id": "w-1",
        "kind": "patrol",
        "category": "well_drilling",
        "reported_at": when,
        "location": {"district": "北管区", "village": "东村"},
        "attrs": attrs,
        **fields,
    }


def fired(result: Any) -> set[str]:
    return {f.rule_id for f in result.alert.findings} if result.alert else set()


def finding(result: Any, rule_id: str) -> Any:
    return next(f for f in result.alert.findings if f.rule_id == rule_id)


# -- permit required: purpose, withdrawal and the household quota ---------------------------


@pytest.mark.parametrize(
    ("purpose", "withdrawal", "required"),
    [
        ("household", 0.0, False),
        ("household", 9.99, False),
        ("household", 10.0, False),  # the quota itself is still exempt
        ("household", 10.01, True),
        ("livestock", 10.0, False),
        ("livestock", 25.0, True),
        ("irrigation", 1.0, True),
        ("industrial", None, True),  # the purpose alone decides
        ("other", 0.5, True),
        ("monitoring", 0.5, True),
        ("emergency", 5000.0, False),  # temporary emergency withdrawal is exempt
        ("household", None, None),  # cannot tell without the withdrawal
        (None, 5.0, None),
    ],
)
def test_permit_required_by_purpose_and_default_quota(
    purpose: str | None, withdrawal: float | None, required: bool | None
) -> None:
    assert well.permit_required(purpose, withdrawal, DEFAULT.household_quota_m3_day) is required


def test_configured_quota_moves_the_threshold() -> None:
    strict = WellConfig(household_quota_m3_day=5)
    attrs = {"purpose": "household", "withdrawal_m3_day": 6.0, "has_permit": False}
    assert well.compute(attrs, "2026-01-10", DEFAULT)["well_permit_required"] is False
    values = well.compute(attrs, "2026-01-10", strict)
    assert values["well_permit_required"] is True
    assert values["well_unpermitted"] is True
    assert values["well_household_quota_m3_day"] == 5


@pytest.mark.parametrize(
    ("purpose", "withdrawal", "over"),
    [
        ("household", 10.0, False),
        ("household", 10.5, True),
        ("irrigation", 99.0, False),
        ("livestock", None, None),
    ],
)
def test_exceeds_quota_only_for_household_and_livestock(
    purpose: str, withdrawal: float | None, over: bool | None
) -> None:
    assert well.exceeds_quota(purpose, withdrawal, 10.0) is over


@given(
    purpose=st.sampled_from(sorted(well.QUOTA_PURPOSES)),
    low=st.floats(min_value=0, max_value=1000),
    high=st.floats(min_value=0, max_value=1000),
    quota=st.floats(min_value=0.1, max_value=1000),
)
def test_more_withdrawal_never_lifts_the_permit_duty(
    purpose: str, low: float, high: float, quota: float
) -> None:
    low, high = sorted((low, high))
    if well.permit_required(purpose, low, quota):
        assert well.permit_required(purpose, high, quota) is True


@given(
    withdrawal=st.floats(min_value=0, max_value=1000),
    quota=st.floats(min_value=0.1, max_value=500),
    raise_by=st.floats(min_value=0, max_value=500),
)
def test_a_higher_quota_never_requires_a_permit_the_lower_one_did_not(
    withdrawal: float, quota: float, raise_by: float
) -> None:
    if not well.permit_required("household", withdrawal, quota):
        assert well.permit_required("household", withdrawal, quota + raise_by) is False


# -- permit status --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("status", "has_permit", "missing"),
    [
        ("valid", None, False),
        ("none", None, True),
        ("expired", True, True),  # the detailed status wins
        ("out_of_scope", None, True),
        ("valid", False, False),
        ("unknown", False, True),  # unknown status: has_permit decides
        ("unknown", None, None),
        (None, True, False),
        (None, False, True),
        (None, None, None),
    ],
)
def test_permit_missing(status: str | None, has_permit: bool | None, missing: bool | None) -> None:
    assert well.permit_missing(status, has_permit) is missing


bools = st.sampled_from([True, False, None])


@given(required=bools, missing=bools)
def test_unpermitted_is_a_three_valued_and(required: bool | None, missing: bool | None) -> None:
    result = well.unpermitted(required, missing)
    if required is False or missing is False:
        assert result is False
    elif required and missing:
        assert result is True
    else:
        assert result is None


@pytest.mark.parametrize(
    ("new_well", "is_unpermitted", "new"),
    [(True, False, True), (False, True, False), (None, True, True), (None, False, None), (None, None, None)],
)
def test_new_extraction(new_well: bool | None, is_unpermitted: bool | None, new: bool | None) -> None:
    assert well.new_extraction(new_well, is_unpermitted) is new


# -- railway buffer and flood season --------------------------------------------------------


@pytest.mark.parametrize(
    ("distance", "near"), [(0.0, True), (199.9, True), (200.0, True), (200.1, False), (None, None)]
)
def test_railway_buffer_default_200_m_inclusive(distance: float | None, near: bool | None) -> None:
    assert well.near_railway(distance, DEFAULT.railway_buffer_m) is near


def test_configured_railway_buffer() -> None:
    wide = WellConfig(railway_buffer_m=300)
    assert well.compute({"railway_distance_m": 250.0}, None, DEFAULT)["well_near_railway"] is False
    assert well.compute({"railway_distance_m": 250.0}, None, wide)["well_near_railway"] is True


@given(distance=st.floats(min_value=0, max_value=1e5), closer=st.floats(min_value=0, max_value=1e5))
def test_closer_to_the_railway_is_never_outside_the_buffer(distance: float, closer: float) -> None:
    closer = min(distance, closer)
    if well.near_railway(distance, DEFAULT.railway_buffer_m):
        assert well.near_railway(closer, DEFAULT.railway_buffer_m)


@pytest.mark.parametrize(
    ("day", "inside"),
    [
        (date(2026, 5, 31), False),
        (date(2026, 6, 1), True),
        (date(2026, 7, 15), True),
        (date(2026, 9, 30), True),
        (date(2026, 10, 1), False),
        (date(2026, 1, 1), False),
        (None, None),
    ],
)
def test_default_flood_season_1_june_to_30_september(day: date | None, inside: bool | None) -> None:
    assert well.in_season(day, DEFAULT.flood_season) is inside


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
def test_season_window_wrapping_the_year_end(day: date, inside: bool) -> None:
    config = WellConfig(flood_season=YearlyWindow(start="11-15", end="03-15"))
    assert well.in_season(day, config.flood_season) is inside
    assert well.compute({}, day.isoformat(), config)["well_in_flood_season"] is inside


@given(day=st.dates(min_value=date(2000, 1, 1), max_value=date(2100, 12, 31)))
def test_a_wrapping_window_and_its_complement_split_the_year(day: date) -> None:
    winter = YearlyWindow(start="11-15", end="03-15")
    rest = YearlyWindow(start="03-16", end="11-14")
    assert winter.contains(day) != rest.contains(day)
    assert well.in_season(day, winter) is winter.contains(day)


# -- rule functions and the enrich hook -------------------------------------------------------


def test_rule_functions_follow_the_national_tables() -> None:
    assert [p for p in well.PURPOSE_LABELS if well.well_exempt_use(p)] == [
        "household",
        "livestock",
        "emergency",
    ]
    assert [p for p in well.PURPOSE_LABELS if well.well_zone_exempt(p)] == ["emergency", "monitoring"]


def test_enrich_computes_every_declared_field_and_nothing_else() -> None:
    observation = Observation(
        id="w",
        category="well_drilling",
        reported_at=datetime.fromisoformat(REPORTED),
        attrs={"purpose": "irrigation", "has_permit": False, "railway_distance_m": 150.0},
    )
    values = riskscreen_enrich(observation, {"local_date": "2026-07-01"}, DEFAULT)
    assert values is not None
    assert set(values) == set(well.DERIVED_FIELDS)
    assert values["well_unpermitted"] is True
    assert values["well_new_extraction"] is True
    assert values["well_near_railway"] is True
    assert values["well_in_flood_season"] is True
    assert values["well_purpose_label"] == "农业灌溉"


def test_record_hooks_ignore_other_categories() -> None:
    observation = Observation(
        id="g", category="gas_safety", reported_at=datetime.fromisoformat(REPORTED), attrs={}
    )
    assert riskscreen_enrich(observation, {"local_date": "2026-07-01"}, DEFAULT) is None
    assert riskscreen_check(observation, None, DEFAULT, ()) is None  # type: ignore[arg-type]


def test_missing_attributes_make_rules_insufficient_not_errors() -> None:
    result = screener().screen(well_observation({"has_permit": False}))
    assert result.error is None
    insufficient = {i.rule_id: i.missing for i in result.insufficient}
    assert insufficient["WELL-001"] == ["attrs.purpose"]
    assert "WELL-002" in insufficient


def test_bad_attribute_values_reject_the_record() -> None:
    result = screener().screen(well_observation({"railway_distance_m": -3}))
    assert result.error is not None
    assert result.error.field == "attrs.railway_distance_m"


# -- configuration errors ---------------------------------------------------------------------


@pytest.mark.parametrize(
    "config",
    [
        {"household_quota_m3_day": -1},
        {"railway_buffer_m": "far"},
        {"repeat_reports_30d": 0},
        {"flood_season": {"start": "13-01", "end": "09-30"}},
        {"household_quota": 12},  # misspelt key
    ],
)
def test_bad_configuration_is_a_load_error_naming_the_plugin(config: dict[str, Any]) -> None:
    with pytest.raises(RuleLoadError) as error:
        Screener(settings=Settings(plugins={"well": config}))
    assert "plugin well" in str(error.value)


def test_config_model_rejects_unknown_keys() -> None:
    with pytest.raises(ValidationError):
        WellConfig.model_validate({"quota": 1})


def test_configuration_changes_the_screening() -> None:
    household = well_observation({"has_permit": False, "purpose": "household", "withdrawal_m3_day": 15.0})
    assert "WELL-101" in fired(screener().screen(household))
    lenient = Screener(settings=Settings(plugins={"well": {"household_quota_m3_day": 20}}))
    assert "WELL-101" not in fired(lenient.screen(household))

    near = well_observation({"railway_distance_m": 250.0, "abandoned": False})
    assert "WELL-009" not in fired(screener().screen(near))
    wide = Screener(settings=Settings(plugins={"well": {"railway_buffer_m": 300}}))
    result = wide.screen(near)
    assert "WELL-009" in fired(result)
    assert finding(result, "WELL-009").message == "东村：距高速铁路250米处打井抽取地下水（禁止范围300米）"


# -- checks ---------------------------------------------------------------------------------


def test_quota_check_states_the_configured_quota() -> None:
    result = screener().screen(
        well_observation({"has_permit": False, "purpose": "household", "withdrawal_m3_day": 12.5})
    )
    quota = finding(result, "WELL-101")
    assert (
        quota.message
        == "东村：家庭生活用井日取水12.5立方米，超过免办取水许可的10立方米/日定额，未取得有效取水许可"
    )
    assert (quota.pack, quota.source) == ("well", "plugin:well")
    assert quota.values["derived.well_household_quota_m3_day"] == 10
    assert "WELL-001" not in fired(result)


def test_repeat_check_builds_on_the_pack_findings() -> None:
    attrs = {"has_permit": False, "purpose": "irrigation", "new_well": False, "groundwater_zone": "禁止开采"}
    attrs["abandoned"] = False
    result = screener().screen(well_observation(attrs, history={"rectified_before": True, "reports_30d": 3}))
    repeat = finding(result, "WELL-102")
    assert repeat.message == (
        "东村：该点位曾整改，30日内已上报3次，再次发现未取得取水许可擅自取用地下水、"
        "在地下水禁止开采区内取用地下水，屡查屡犯"
    )
    assert repeat.escalate_to == "subdistrict"
    assert repeat.references == ["水法 第四十八条", "水法 第六十九条", "地下水管理条例 第三十五条"]
    assert result.alert is not None
    assert result.alert.escalate_to == "subdistrict"


def test_repeat_check_counts_the_quota_check_as_a_violation() -> None:
    attrs = {"has_permit": False, "purpose": "livestock", "withdrawal_m3_day": 30.0, "new_well": False}
    result = screener().screen(well_observation(attrs, history={"rectified_before": True}))
    assert {"WELL-101", "WELL-102"} <= fired(result)
    assert finding(result, "WELL-102").values["violations"] == ["WELL-101"]


def test_repeat_threshold_is_configuration() -> None:
    attrs = {"has_permit": False, "purpose": "industrial", "new_well": False}
    observation = well_observation(attrs, history={"reports_30d": 2})
    assert "WELL-102" in fired(screener().screen(observation))
    patient = Screener(settings=Settings(plugins={"well": {"repeat_reports_30d": 3}}))
    assert "WELL-102" not in fired(patient.screen(observation))


# -- the scenario of issue 3: an unpermitted well in a groundwater 禁止开采区 ----------------


SCENARIO = well_observation(
    {
        "has_permit": False,
        "depth_m": 120,
        "withdrawal_m3_day": 80,
        "purpose": "irrigation",
        "groundwater_zone": "禁止开采",
        "mains_coverage": False,
        "meter_installed": False,
        "abandoned": False,
        "sealed": False,
        "railway_distance_m": 5000,
        "contractor_licensed": False,
    },
    description="网格员巡查发现：东村打井机作业，未取得取水许可，位于地下水禁止开采区。",
)


def test_unpermitted_well_in_a_prohibited_zone_is_a_p2_alert_for_the_water_department() -> None:
    result = screener().screen(SCENARIO)
    alert = result.alert
    assert alert is not None
    assert not result.incomplete
    # an administrative violation, however many rules it breaks: 60 + 40 × 0.5 × (1 − 0.4 × 0.6) = 75.2
    assert (alert.priority, alert.band, alert.color) == ("P2", "较大", "orange")
    assert alert.score == pytest.approx(75.2)
    assert alert.escalate_to == "department"
    assert alert.respond_by == datetime.fromisoformat(REPORTED) + timedelta(hours=1)  # WELL-002: 1h
    assert [f.rule_id for f in alert.findings] == ["WELL-001", "WELL-002", "WELL-005"]  # 60, 60 by id, 40

    zone = alert.findings[1]
    assert zone.title == "在地下水禁止开采区内取用地下水"
    assert zone.message == "东村：在地下水禁止开采区内打井取水（农业灌溉用途，井深120米）"
    assert zone.references == ["地下水管理条例 第三十五条"]
    assert zone.action == "立即制止施工和取水，查封取水设施，报水行政主管部门依法责令限期封井"
    permit = alert.findings[0]
    assert permit.message == "东村：农业灌溉用井未取得有效取水许可擅自取水，井深120米，日取水80立方米"
    assert permit.references == ["水法 第四十八条", "水法 第六十九条"]
    assert alert.provenance.packs["well"] == "1.0.0"
    assert alert.provenance.plugins["well"] == "1.0.0"


def test_a_permitted_well_in_a_prohibited_zone_alone_is_p2() -> None:
    attrs = {"has_permit": True, "purpose": "industrial", "groundwater_zone": "禁止开采", "abandoned": False}
    attrs["meter_installed"] = True
    alert = screener().screen(well_observation(attrs)).alert
    assert alert is not None
    assert (alert.priority, alert.score, alert.escalate_to) == ("P2", 60.0, "department")


# -- listing and disabling ---------------------------------------------------------------------


def test_the_plugin_is_listed_with_its_version_and_checks() -> None:
    plugins = {p.name: p for p in screener().plugin_host.plugins}
    assert plugins["well"].version == "1.0.0"
    assert not plugins["well"].builtin
    assert {c.id for plugin, c in screener().checks if plugin == "well"} == WELL_CHECKS
    assert {r.id for r in screener().ruleset.rules if r.pack == "well"} == WELL_RULES


def test_disabling_the_plugin_removes_exactly_its_rules_and_checks() -> None:
    without = Screener(disable_plugins=["well"])
    assert screener().rule_ids - without.rule_ids == WELL_RULES | WELL_CHECKS
    assert without.rule_ids <= screener().rule_ids
    assert "well" not in {p.name for p in without.plugin_host.plugins}
    result = without.screen(SCENARIO)
    assert result.error is None
    assert not {f for f in fired(result) if f.startswith("WELL-")}


# -- invariants over arbitrary well reports ------------------------------------------------------


well_attrs = st.fixed_dictionaries(
    {},
    optional={
        "has_permit": st.booleans(),
        "withdrawal_permit": st.sampled_from(["valid", "none", "out_of_scope", "expired", "unknown"]),
        "depth_m": st.floats(min_value=0, max_value=5000),
        "withdrawal_m3_day": st.floats(min_value=0, max_value=1000),
        "purpose": st.sampled_from(sorted(well.PURPOSE_LABELS)),
        "groundwater_zone": st.sampled_from(["禁止开采", "限制开采", "超采", "none"]),
        "mains_coverage": st.booleans(),
        "new_well": st.booleans(),
        "meter_installed": st.booleans(),
        "abandoned": st.booleans(),
        "sealed": st.booleans(),
        "railway_distance_m": st.floats(min_value=0, max_value=20000),
        "contractor_licensed": st.booleans(),
    },
)


@settings(max_examples=150, deadline=None)
@given(attrs=well_attrs, day=st.dates(min_value=date(2026, 1, 1), max_value=date(2026, 12, 31)))
def test_any_well_report_screens_cleanly_and_consistently(attrs: dict[str, Any], day: date) -> None:
    result = screener().screen(well_observation(attrs, when=f"{day.isoformat()}T10:00:00+08:00"))
    assert result.error is None
    assert not result.plugin_errors
    ids = fired(result)
    assert not {"WELL-001", "WELL-101"} <= ids  # one violation, one finding
    assert not {"WELL-007", "WELL-008"} <= ids  # the season picks exactly one
    if result.alert is not None:
        assert 0 < result.alert.score <= 100
    assert result == screener().screen(well_observation(attrs, when=f"{day.isoformat()}T10:00:00+08:00"))


# -- absent values: undecided, never "no permit" ------------------------------------------------------


def test_household_well_without_a_withdrawal_leaves_the_quota_check_undecided() -> None:
    result = screener().screen(well_observation({"purpose": "household", "has_permit": False}))
    assert "WELL-101" not in fired(result)
    open_checks = {i.rule_id: i for i in result.insufficient}
    assert open_checks["WELL-101"].missing == ["attrs.withdrawal_m3_day"]
    assert (open_checks["WELL-101"].severity, open_checks["WELL-101"].score) == ("medium", 50)


def test_an_absent_permit_is_undecided_not_missing() -> None:
    result = screener().screen(well_observation({"purpose": "household", "withdrawal_m3_day": 50}))
    assert "WELL-101" not in fired(result)
    missing = {i.rule_id: i.missing for i in result.insufficient}["WELL-101"]
    assert missing == ["attrs.withdrawal_permit", "attrs.has_permit"]


def test_one_known_fact_that_rules_the_quota_out_decides_it() -> None:
    irrigation = screener().screen(well_observation({"purpose": "irrigation"}))
    permitted = screener().screen(well_observation({"purpose": "household", "has_permit": True}))
    for result in (irrigation, permitted):
        assert "WELL-101" not in {i.rule_id for i in result.insufficient}


def test_well_rules_name_attributes_never_derived_fields() -> None:
    result = screener().screen(well_observation({"depth_m": 80}))
    missing = [p for i in result.insufficient for p in i.missing]
    assert "attrs.purpose" in missing
    assert not [p for p in missing if p.startswith("derived.")]
