"""``riskscreen.explain``: every outcome, the deciding clause, the values read; agreement with screening."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from riskscreen import Screener
from riskscreen.cli.main import main
from riskscreen.explain import explain, render_explanation
from riskscreen.exprtext import node_text
from tests.helpers import WritePack, observation

WELL_PACK = """
pack: wells
applies_to: [well_drilling]
categories:
  well_drilling:
    attrs:
      has_permit: bool
      depth_m: float
      zone: string
      wells: int
lists:
  protected_zones: [禁采区, 限采区]
macros:
  unpermitted: not attrs.has_permit
  deep: attrs.depth_m > 50
rules:
  - id: W-AND
    title: 无证深井
    when: unpermitted and deep
  - id: W-OR
    title: 保护区或无证
    when: attrs.zone in protected_zones or unpermitted
  - id: W-UNLESS
    title: 打井但未结案
    when: attrs.depth_m > 0
    unless: status == "closed"
  - id: W-SEASON
    title: 汛期打井
    when: attrs.depth_m > 0
    valid_from: 06-01
    valid_until: 09-30
  - id: W-NORTH
    title: 北管区打井
    when: attrs.depth_m > 0
    jurisdiction: {district: [北管区]}
  - id: W-OFF
    title: 被停用的规则
    when: attrs.depth_m > 0
  - id: W-RATIO
    title: 平均井深
    when: attrs.depth_m / attrs.wells > 100
overrides:
  - id: W-OFF
    enabled: false
"""

OTHER_PACK = """
pack: other
applies_to: [fire_safety]
rules:
  - id: F-1
    title: 火灾
    when: status == "new"
"""


@pytest.fixture
def screener(write_pack: WritePack) -> Screener:
    return Screener([write_pack(WELL_PACK), write_pack(OTHER_PACK, "other.yaml")], builtin=False)


def well(**attrs: Any) -> dict[str, Any]:
    return observation(attrs=attrs)


def test_first_false_conjunct_decides_and_macros_are_followed(screener: Screener) -> None:
    rule = explain(screener, well(has_permit=False, depth_m=30)).rule("W-AND")
    assert rule is not None and rule.outcome == "not_fired"
    [clause] = rule.clauses
    assert (clause.text, clause.holds, clause.macros) == ("attrs.depth_m > 50", False, ["deep"])
    assert clause.values == {"attrs.depth_m": 30}
    assert "`attrs.depth_m > 50` in macro deep is false (attrs.depth_m = 30)" in rule.summary


def test_a_fired_rule_lists_every_conjunct_that_held(screener: Screener) -> None:
    rule = explain(screener, well(has_permit=False, depth_m=80)).rule("W-AND")
    assert rule is not None and rule.outcome == "fired"
    assert [(c.text, c.holds) for c in rule.clauses] == [
        ("not attrs.has_permit", True),
        ("attrs.depth_m > 50", True),
    ]
    assert rule.values == {"attrs.has_permit": False, "attrs.depth_m": 80}


def test_the_true_disjunct_decides_an_or(screener: Screener) -> None:
    rule = explain(screener, well(zone="其他", has_permit=False)).rule("W-OR")
    assert rule is not None and rule.outcome == "fired"
    assert [c.text for c in rule.clauses] == ["not attrs.has_permit"]
    silent = explain(screener, well(zone="其他", has_permit=True)).rule("W-OR")
    assert silent is not None and silent.outcome == "not_fired"
    assert [c.holds for c in silent.clauses] == [False, False]
    assert "none of the alternatives held" in silent.summary


def test_missing_values_make_a_rule_insufficient_and_say_what_is_missing(screener: Screener) -> None:
    rule = explain(screener, well(has_permit=False)).rule("W-AND")
    assert rule is not None and rule.outcome == "insufficient"
    assert rule.missing == ["attrs.depth_m"]
    assert rule.clauses[0].text == "attrs.depth_m > 50" and rule.clauses[0].holds is None
    assert "has no attrs.depth_m (needed by `attrs.depth_m > 50` in macro deep)" in rule.summary


def test_unless_exclusion_names_the_exception(screener: Screener) -> None:
    rule = explain(screener, observation(attrs={"depth_m": 10}, status="closed")).rule("W-UNLESS")
    assert rule is not None and rule.outcome == "excluded_by_unless"
    assert [(c.text, c.holds) for c in rule.unless_clauses] == [('status == "closed"', True)]
    assert 'status = "closed"' in rule.summary


def test_validity_jurisdiction_override_and_category(screener: Screener) -> None:
    winter = observation(attrs={"depth_m": 10}, reported_at="2026-01-10T09:00:00+08:00")
    south = observation(attrs={"depth_m": 10}, location={"district": "南管区"})
    explained = explain(screener, winter)
    season = explained.rule("W-SEASON")
    assert season is not None and season.outcome == "outside_validity"
    assert "2026-01-10" in season.summary and "06-01 to 09-30 every year" in season.summary
    north = explain(screener, south).rule("W-NORTH")
    assert north is not None and north.outcome == "outside_jurisdiction"
    assert "district is one of 北管区; this observation's district is 南管区" in north.summary
    off = explained.rule("W-OFF")
    assert off is not None and off.outcome == "disabled"
    assert "override at" in off.summary and "pack.yaml:" in off.summary
    assert explained.rule("F-1") is None, "rules of other categories are not candidates"
    asked = explain(screener, winter, rule_ids=["F-1"])
    assert [(r.rule_id, r.outcome) for r in asked.rules] == [("F-1", "not_applicable")]


def test_an_evaluation_error_is_an_outcome_not_an_exception(screener: Screener) -> None:
    rule = explain(screener, well(depth_m=80, wells=0)).rule("W-RATIO")
    assert rule is not None and rule.outcome == "error"
    assert "division by zero" in rule.summary


def test_an_invalid_observation_is_explained_as_an_error(screener: Screener) -> None:
    explained = explain(screener, well(depth_m="deep"))
    assert explained.status == "error" and explained.error is not None
    assert explained.error.field == "attrs.depth_m"
    assert "could not be screened: attrs.depth_m" in render_explanation(explained)


def test_the_text_lists_fired_rules_first_with_both_languages(screener: Screener) -> None:
    text = render_explanation(explain(screener, well(has_permit=False, depth_m=80, zone="禁采区")))
    assert text.index("W-AND") < text.index("W-SEASON") < text.index("W-OFF")
    assert "FIRED 触发" in text and "DISABLED 已停用" in text
    assert "values read: attrs.depth_m = 80; attrs.has_permit = false" in text


def test_expression_text_round_trips_through_the_parser() -> None:
    import rule_engine

    context = rule_engine.Context()
    for text in [
        'attrs.x > 5 and not attrs.y or status in ["a", "b"]',
        '"a" not in attrs.list',
        "(a or b) and c",
        "a - (b - c) > d ** 2",
        r'description =~ r"\d+"',
        "x ? y : z",
        "[v for v in attrs.l if v > 2]",
        'attrs.s[1:2] == "x"',
    ]:
        assert node_text(rule_engine.Rule(text, context=context).statement) == text


ATTRS = st.fixed_dictionaries(
    {},
    optional={
        "leak_detected": st.booleans(),
        "lel_percent": st.floats(0, 100, allow_nan=False),
        "alarm_installed": st.booleans(),
        "hose_aged": st.booleans(),
        "cylinder_expired": st.booleans(),
        "cylinders": st.integers(0, 6),
        "venue_type": st.sampled_from(["小餐饮", "住宅", "食堂"]),
        "in_basement": st.booleans(),
        "hazard_grade": st.sampled_from(["major", "ordinary"]),
    },
)


@pytest.fixture(scope="module")
def shipped() -> Screener:
    return Screener()


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    attrs=ATTRS, status=st.sampled_from(["new", "closed"]), reports=st.one_of(st.none(), st.integers(0, 9))
)
def test_explanations_agree_with_screening(
    shipped: Screener, attrs: dict[str, Any], status: str, reports: int | None
) -> None:
    record = observation(category="gas_safety", attrs=attrs, status=status, history={"reports_7d": reports})
    result = shipped.screen(record)
    explained = explain(shipped, record)
    fired = {f.rule_id for f in result.alert.findings} if result.alert else set()
    assert {r.rule_id for r in explained.rules if r.outcome == "fired"} == fired
    lacking = {i.rule_id: i.missing for i in result.insufficient}
    assert {r.rule_id: r.missing for r in explained.rules if r.outcome == "insufficient"} == lacking
    for rule in explained.rules:
        if rule.outcome in ("fired", "not_fired"):
            assert rule.clauses and all(c.holds is (rule.outcome == "fired") for c in rule.clauses[-1:])


def run_cli(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    code = main(args)
    out, err = capsys.readouterr()
    return code, out, err


def test_cli_explains_one_observation_by_id(
    write_pack: WritePack, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    pack = write_pack(WELL_PACK)
    data = tmp_path / "obs.jsonl"
    lines = [observation(id="a", attrs={"depth_m": 80, "has_permit": False}), observation(id="b")]
    data.write_text("\n".join(json.dumps(line, ensure_ascii=False) for line in lines), encoding="utf-8")
    code, out, _ = run_cli(["explain", str(data), "--id", "a", "--rules", str(pack), "--no-builtin"], capsys)
    assert code == 0
    assert "Observation a · category well_drilling" in out
    assert "W-AND 无证深井" in out and "FIRED 触发: Fired because every condition held" in out
    only = ["--rule", "W-AND", "--format", "json"]
    code, out, _ = run_cli(
        ["explain", str(data), "--id", "a", *only, "--rules", str(pack), "--no-builtin"], capsys
    )
    document = json.loads(out)
    assert code == 0 and [r["rule_id"] for r in document["rules"]] == ["W-AND"]
    assert document["rules"][0]["clauses"][1] == {
        "text": "attrs.depth_m > 50",
        "holds": True,
        "macros": ["deep"],
        "values": {"attrs.depth_m": 80.0},
        "missing": [],
        "error": None,
    }


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--id", "zzz"], "no observation with id 'zzz'"),
        ([], "holds 2 records; choose one with --id"),
    ],
)
def test_cli_says_which_observation_is_missing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], args: list[str], message: str
) -> None:
    data = tmp_path / "obs.jsonl"
    data.write_text(json.dumps(observation(id="a")) + "\n" + json.dumps(observation(id="b")) + "\n")
    code, _, err = run_cli(["explain", str(data), *args], capsys)
    assert code == 1 and message in err


def test_cli_rule_load_error_is_a_usage_error(
    write_pack: WritePack, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    broken = write_pack("pack: p\nrules:\n  - id: X\n    title: t\n    when: atrs.x\n")
    data = tmp_path / "one.json"
    data.write_text(json.dumps(observation(id="a")))
    code, _, err = run_cli(["explain", str(data), "--rules", str(broken), "--no-builtin"], capsys)
    assert code == 2 and "unknown symbol 'atrs'; did you mean 'attrs'?" in err
