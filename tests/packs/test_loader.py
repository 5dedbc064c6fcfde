"""Loading rule packs: the whole format, and errors at path:line:col, all at once."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from riskscreen import RuleLoadError, Screener, Settings
from tests.helpers import WritePack, observation

WELL_CATEGORY = """
        categories:
          well_drilling:
            attrs:
              has_permit: bool
              depth_m: float
              zone: string
              withdrawal_m3_day: float
              equipment: list[string]
"""


def problems_of(paths: list[Path]) -> list[str]:
    with pytest.raises(RuleLoadError) as caught:
        Screener(paths, builtin=False)
    return [str(p) for p in caught.value.problems]


def fired(screener: Screener, **fields: object) -> list[str]:
    result = screener.screen(observation(**fields))
    assert result.error is None, result.error
    return [f.rule_id for f in result.alert.findings] if result.alert else []


def test_full_format_loads_and_evaluates(screener_from: Callable[..., Screener]) -> None:
    screener = screener_from(
        """
        pack: well_drilling
        version: 1.2.0
        title: 打井专项整治
        applies_to: [well_drilling]
        """
        + WELL_CATEGORY
        + """
        lists:
          protected_zones: [禁采区, 限采区]
        macros:
          unpermitted: not attrs.has_permit
          deep_unpermitted: unpermitted and attrs.depth_m > 50
        rules:
          - id: WELL-001
            title: 未取得取水许可擅自打井
            when: deep_unpermitted
            unless: status == "closed"
            severity: high
            tags: [permit]
          - id: WELL-002
            title: 保护区内打井
            when: attrs.zone in protected_zones
          - id: WELL-003
            title: 使用打井机
            when: '"打井机" in attrs.equipment'
            enabled: false
        """
    )
    assert [p.version for p in screener.ruleset.packs] == ["1.2.0"]
    attrs = {"has_permit": False, "depth_m": 80, "zone": "禁采区", "equipment": ["打井机"]}
    assert fired(screener, attrs=attrs) == ["WELL-001", "WELL-002"]
    assert fired(screener, attrs=attrs, status="closed") == ["WELL-002"]
    assert fired(screener, attrs={**attrs, "depth_m": 50, "zone": "其他"}) == []


def test_unknown_symbol_is_reported_with_position_and_suggestion(write_pack: WritePack) -> None:
    path = write_pack(
        """
        pack: p
        applies_to: [well_drilling]
        """
        + WELL_CATEGORY
        + """
        rules:
          - id: R-1
            title: t
            when: attrs.depht_m > 3
          - id: R-2
            title: t
            when: atrs.depth_m > 3
        """
    )
    found = problems_of([path])
    assert found == [
        f"{path}:16:17: unknown attribute 'depht_m'; did you mean 'depth_m'?",
        f"{path}:19:11: unknown symbol 'atrs'; did you mean 'attrs'?",
    ]


def test_positions_inside_block_and_quoted_scalars(write_pack: WritePack) -> None:
    path = write_pack(
        """
        pack: p
        applies_to: [well_drilling]
        """
        + WELL_CATEGORY
        + """
        rules:
          - id: R-1
            title: t
            when: |
              attrs.depth_m > 3 and
                attrs.zone == "x" and attrs.zoen == "y"
          - id: R-2
            title: t
            when: "attrs.depth_m > (3"
        """
    )
    found = problems_of([path])
    assert found[0] == f"{path}:18:37: unknown attribute 'zoen'; did you mean 'zone'?"
    assert found[1] == f"{path}:21:30: syntax error at end of expression"


def test_type_mismatch_and_non_boolean_are_load_errors(write_pack: WritePack) -> None:
    path = write_pack(
        """
        pack: p
        applies_to: [well_drilling]
        """
        + WELL_CATEGORY
        + """
        rules:
          - id: R-1
            title: t
            when: attrs.depth_m > "deep"
          - id: R-2
            title: t
            when: attrs.depth_m + 1
        """
    )
    found = problems_of([path])
    assert len(found) == 2
    assert found[0].startswith(f"{path}:16:11: type mismatch")
    assert found[1] == f"{path}:19:11: expression must be true or false, but it gives a float value"


def test_every_problem_in_every_file_is_reported_at_once(write_pack: WritePack) -> None:
    first = write_pack(
        """
        pack: first
        applies_to: [well_driling]
        rules:
          - id: A-1
            title: t
            when: category == "x"
            severty: high
        """,
        "a.yaml",
    )
    second = write_pack(
        """
        pack: second
        macros:
          a: b
          b: a
        rules:
          - id: B-1
            title: t
            when: nosuch
        overrides:
          - id: Z-9
            enabled: false
        """,
        "b.yaml",
    )
    found = problems_of([first, second])
    assert found == [
        f"{first}:2:14: unknown category 'well_driling' (did you mean 'well_drilling'?); "
        "declare it under 'categories' or fix the name",
        f"{first}:7:5: unknown key 'severty' (did you mean 'severity'?)",
        f"{second}:3:3: macro cycle: a -> b -> a",
        f"{second}:8:11: unknown symbol 'nosuch'; did you mean 'status'?",
        f"{second}:10:9: override names unknown rule 'Z-9'",
    ]


def test_yaml_syntax_error_has_position(write_pack: WritePack) -> None:
    path = write_pack("pack: p\nrules:\n  - id: [unclosed\n")
    (problem,) = problems_of([path])
    assert problem.startswith(f"{path}:4:1: YAML syntax error")


def test_duplicate_ids_are_reported_at_the_second(write_pack: WritePack) -> None:
    a = write_pack("pack: a\nrules:\n  - {id: R-1, title: t, when: 'category == \"x\"'}\n", "a.yaml")
    b = write_pack("pack: b\nrules:\n  - {id: R-1, title: t, when: 'category == \"y\"'}\n", "b.yaml")
    assert problems_of([a, b]) == [f"{b}:3:10: rule id 'R-1' is already used in {a}:3:10"]


def test_conflicting_attribute_types_name_both_sources(write_pack: WritePack) -> None:
    a = write_pack("pack: a\ncategories:\n  quarry:\n    attrs:\n      depth: float\n", "a.yaml")
    b = write_pack("pack: b\ncategories:\n  quarry:\n    attrs:\n      depth: string\n", "b.yaml")
    assert problems_of([a, b]) == [
        f"{b}:5:14: attribute quarry.attrs.depth declared as string here and as float in {a}:5:14"
    ]


def test_rule_is_checked_against_each_category_it_applies_to(write_pack: WritePack) -> None:
    path = write_pack(
        """
        pack: p
        applies_to: [quarry, mine]
        categories:
          quarry: {attrs: {depth: float}}
          mine: {attrs: {shafts: int}}
        rules:
          - id: R-1
            title: t
            when: attrs.depth > 3
        """
    )
    (problem,) = problems_of([path])
    assert problem.startswith(f"{path}:9:17: unknown attribute 'depth'")
    assert problem.endswith("(category mine)")


def test_nothing_is_half_loaded(write_pack: WritePack) -> None:
    good = write_pack("pack: good\nrules:\n  - {id: G-1, title: t, when: 'category == \"x\"'}\n", "good.yaml")
    bad = write_pack("pack: bad\nrules:\n  - {id: B-1, title: t, when: 'nosuch'}\n", "bad.yaml")
    with pytest.raises(RuleLoadError):
        Screener([good, bad], builtin=False)


def test_folders_and_files_load_together(tmp_path: Path, write_pack: WritePack) -> None:
    write_pack("pack: one\nrules:\n  - {id: A-1, title: t, when: 'category == \"x\"'}\n", "packs/one.yaml")
    write_pack("pack: two\nrules:\n  - {id: B-1, title: t, when: 'category == \"y\"'}\n", "packs/sub/two.yml")
    write_pack("tests: []\n", "packs/one.test.yaml")
    extra = write_pack("pack: three\nrules: []\n", "three.yaml")
    screener = Screener([tmp_path / "packs", extra], builtin=False)
    assert [p.id for p in screener.ruleset.packs] == ["one", "two", "three"]


def test_missing_path_is_a_load_error(tmp_path: Path) -> None:
    assert problems_of([tmp_path / "nope.yaml"]) == [f"{tmp_path / 'nope.yaml'}: no such file or folder"]


def test_overrides_tune_rules_from_other_packs(write_pack: WritePack) -> None:
    base = write_pack(
        """
        pack: base
        rules:
          - id: R-1
            title: 原规则
            when: kind == "patrol"
            severity: high
          - id: R-2
            title: 第二条
            when: kind == "patrol"
        """,
        "base.yaml",
    )
    local = write_pack(
        """
        pack: local
        overrides:
          - id: R-1
            severity: low
            respond_within: 30m
          - id: R-2
            enabled: false
        """,
        "local.yaml",
    )
    screener = Screener([base, local], builtin=False)
    result = screener.screen(observation())
    assert result.alert is not None
    (finding,) = result.alert.findings
    got = (finding.rule_id, finding.severity, finding.score, finding.respond_within)
    assert got == ("R-1", "low", 20.0, "30m")


def test_validity_dates_and_yearly_windows(screener_from: Callable[..., Screener]) -> None:
    screener = screener_from(
        """
        pack: p
        rules:
          - id: CAMPAIGN
            title: 专项行动期间
            when: kind == "patrol"
            valid_from: 2026-06-01
            valid_until: 2026-06-30
          - id: WINTER
            title: 冬季
            when: kind == "patrol"
            valid_from: "12-01"
            valid_until: "02-28"
        """
    )

    def on(day: str) -> list[str]:
        return fired(screener, reported_at=f"{day}T23:30:00+08:00")

    assert on("2026-06-01") == ["CAMPAIGN"]
    assert on("2026-06-30") == ["CAMPAIGN"]
    assert on("2026-07-01") == []
    assert on("2026-12-01") == ["WINTER"]
    assert on("2027-01-15") == ["WINTER"]
    assert on("2027-03-01") == []
    # the local date counts: 16:30 UTC on 30 June is 00:30 on 1 July in Asia/Shanghai
    assert fired(screener, reported_at="2026-06-30T16:30:00+00:00") == []


def test_jurisdiction_limits_rules_to_places(screener_from: Callable[..., Screener]) -> None:
    screener = screener_from(
        """
        pack: p
        rules:
          - id: LOCAL
            title: 北管区东西村
            when: kind == "patrol"
            jurisdiction: {district: [北管区], village: [东村, 西村]}
        """
    )
    assert fired(screener, location={"district": "北管区", "village": "西村"}) == ["LOCAL"]
    assert fired(screener, location={"district": "南管区", "village": "西村"}) == []
    assert fired(screener, location={"district": "北管区"}) == []


def test_missing_values_make_a_rule_insufficient(screener_from: Callable[..., Screener]) -> None:
    screener = screener_from(
        """
        pack: p
        applies_to: [well_drilling]
        """
        + WELL_CATEGORY
        + """
        macros:
          big: attrs.withdrawal_m3_day > 10
        rules:
          - id: R-1
            title: t
            when: big and attrs.depth_m > 3
        """
    )
    result = screener.screen(observation(attrs={"depth_m": 10}))
    assert result.status == "no_alert"
    assert [(i.rule_id, i.missing) for i in result.insufficient] == [("R-1", ["attrs.withdrawal_m3_day"])]
    decided = screener.screen(observation(attrs={"depth_m": 1, "withdrawal_m3_day": 20}))
    assert decided.insufficient == [] and decided.status == "no_alert"


def test_rules_without_applies_to_see_shared_attributes(screener_from: Callable[..., Screener]) -> None:
    screener = screener_from(
        """
        pack: general
        categories:
          quarry: {attrs: {depth_m: float}}
        rules:
          - id: G-1
            title: 深度大
            when: attrs.depth_m > 3 and history.reports_7d >= 2
        """
    )
    assert fired(screener, category="quarry", attrs={"depth_m": 5}, history={"reports_7d": 2}) == ["G-1"]
    lacking = screener.screen(observation(category="flood", history={"reports_7d": 2}))
    assert [i.missing for i in lacking.insufficient] == [["attrs.depth_m"]]


def test_billion_laughs_fails_fast(write_pack: WritePack) -> None:
    lines = ["pack: p", "a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
    lines += [f"a{i}: &a{i} [{', '.join(f'*a{i - 1}' for _ in range(10))}]" for i in range(1, 9)]
    path = write_pack("\n".join(lines) + "\n")
    (problem,) = problems_of([path])
    assert "too many aliases" in problem


def test_bad_scalars_duplicate_keys_and_category_names_are_reported_together(write_pack: WritePack) -> None:
    path = write_pack(
        """
        pack: p
        categories:
          Quarry-X: {attrs: {depth: float}}
        rules:
          - id: R-1
            title: t
            title: again
            when: kind == "patrol"
            valid_until: 2026-02-30
          - id: R-2
            title: t
            when: nosuch > 1
        """
    )
    found = problems_of([path])
    assert found[0] == f"{path}:3:3: invalid name 'Quarry-X': String should match pattern '^[a-z][a-z0-9_]*$'"
    assert found[1] == f"{path}:7:5: duplicate key 'title'"
    assert found[2] == (
        f"{path}:9:18: rules.0.valid_until: expected a date YYYY-MM-DD or a yearly MM-DD, got '2026-02-30'"
    )
    assert found[3].startswith(f"{path}:12:11: unknown symbol 'nosuch'")


def test_a_bare_number_deadline_means_hours(screener_from: Callable[..., Screener]) -> None:
    screener = screener_from(
        """
        pack: p
        rules:
          - {id: R-1, title: t, when: 'kind == "patrol"', respond_within: 2}
        """
    )
    result = screener.screen(observation())
    assert result.alert is not None
    assert result.alert.findings[0].respond_within == "2h"
    assert (result.alert.respond_by - result.alert.reported_at).total_seconds() == 7200


def test_provenance_names_override_packs_and_hashes_settings(write_pack: WritePack) -> None:
    base = write_pack(
        "pack: base\nversion: 1.0.0\nrules:\n  - {id: R-1, title: t, when: 'kind == \"patrol\"'}\n", "a.yaml"
    )
    local = write_pack("pack: local\nversion: 0.3.0\noverrides:\n  - {id: R-1, score: 75}\n", "b.yaml")
    first = Screener([base, local], builtin=False).screen(observation()).alert
    assert first is not None
    assert first.provenance.packs == {"base": "1.0.0", "local": "0.3.0"}
    other = (
        Screener([base, local], builtin=False, settings=Settings(night_start_hour=21))
        .screen(observation())
        .alert
    )
    assert other is not None
    assert other.provenance.ruleset == first.provenance.ruleset
    assert other.provenance.settings != first.provenance.settings


def test_datetime_attributes_take_the_default_timezone(write_pack: WritePack) -> None:
    path = write_pack(
        """
        pack: p
        categories:
          quarry: {attrs: {started_at: datetime}}
        applies_to: [quarry]
        rules:
          - id: R-1
            title: t
            when: reported_at - attrs.started_at > t"P30D"
        """
    )
    record = observation(category="quarry", attrs={"started_at": "2026-05-01T08:00:00"})
    strict = Screener([path], builtin=False).screen(record)
    assert strict.error is not None and strict.error.field == "attrs.started_at"
    lenient = Screener([path], builtin=False, settings=Settings(default_timezone="Asia/Shanghai")).screen(
        record
    )
    assert lenient.alert is not None and lenient.alert.findings[0].rule_id == "R-1"
