"""``riskscreen test --rules / --no-builtin``, the ``priority: null`` and ``insufficient`` case keys,
and ``explain --rule`` with an id that is not loaded."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from riskscreen.cli.main import main
from riskscreen.testing import run_case_files

PACK = """\
pack: cylinders
applies_to: [gas_safety]
categories:
  gas_safety:
    attrs:
      cylinders: int
      venue_type: string
rules:
  - id: CYL-001
    title: 餐馆钢瓶过多
    when: attrs.cylinders > 3 and attrs.venue_type == "餐馆"
    severity: medium
    score: 40
  - id: CYL-002
    title: 钢瓶数量不明
    when: attrs.cylinders < 0
    severity: high
"""

# the cases live apart from the pack, and ask for the shipped packs (builtin is true by default)
CASES = """\
tests:
  - name: 餐馆五个钢瓶
    observation: {category: gas_safety, attrs: {cylinders: 5, venue_type: 餐馆}}
    expect: {fires: [CYL-001], not_fires: [CYL-002], priority: P3}
"""


@pytest.fixture
def layout(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    (tmp_path / "packs").mkdir()
    (tmp_path / "packs" / "cylinders.yaml").write_text(PACK, encoding="utf-8")
    (tmp_path / "cases").mkdir()
    (tmp_path / "cases" / "cylinders.test.yaml").write_text(CASES, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def cli(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    code = main(args)
    out, err = capsys.readouterr()
    return code, out, err


def test_rules_adds_packs_to_every_case_file(layout: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = cli(["test", "cases"], capsys)
    assert code == 1  # without the pack the rules are unknown
    assert "expected CYL-001 to fire, but it did not (no rule with this id is loaded)" in out
    code, out, _ = cli(["test", "cases", "--rules", "packs"], capsys)
    assert code == 0
    assert out.splitlines()[-1] == "1 passed, 0 failed"


def test_rules_given_on_the_command_line_count_for_coverage(
    layout: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = cli(["test", "cases", "--rules", "packs", "--coverage", "--format", "json"], capsys)
    coverage = json.loads(out)["coverage"]
    assert code == 0
    assert {rule["id"]: rule["fired_by"] for rule in coverage["rules"]} == {
        "CYL-001": ["cases/cylinders.test.yaml:2"],
        "CYL-002": [],
    }
    assert coverage["percent"] == 50.0


def test_no_builtin_leaves_the_shipped_packs_out_even_when_a_file_asks_for_them(layout: Path) -> None:
    with_shipped = run_case_files(["cases"], rules=["packs"])
    assert {rule.pack for rule in with_shipped.screeners[0].ruleset.rules} > {"cylinders"}
    alone = run_case_files(["cases"], rules=["packs"], builtin=False)
    assert {rule.pack for rule in alone.screeners[0].ruleset.rules} == {"cylinders"}
    assert alone.passed == 1


def test_no_builtin_alone_still_screens_with_the_packs_beside_the_cases(
    layout: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (layout / "cases" / "cylinders.yaml").write_text(PACK, encoding="utf-8")
    code, out, err = cli(["test", "cases", "--no-builtin"], capsys)
    assert (code, err) == (0, "")
    assert out.splitlines()[-1] == "1 passed, 0 failed"


def test_a_rules_path_that_does_not_exist_is_a_usage_error(
    layout: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = cli(["test", "cases", "--rules", "no_such_packs"], capsys)
    assert code == 2 and out == ""
    assert "no_such_packs" in err


def _case(expect: str, attrs: str = "{cylinders: 5, venue_type: 餐馆}") -> str:
    return f"""\
builtin: false
tests:
  - name: 一个用例
    observation: {{category: gas_safety, attrs: {attrs}}}
    expect: {expect}
"""


def test_priority_null_asserts_that_no_alert_is_raised(
    layout: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (layout / "packs" / "cylinders.test.yaml").write_text(_case("{priority: null}"), encoding="utf-8")
    code, out, _ = cli(["test", "packs"], capsys)
    assert code == 1
    assert "  - expected no alert (priority: null), got P3 (score 40.0)\n" in out
    assert "  expected: priority null (no alert)\n" in out
    quiet = _case("{priority: null}", attrs="{cylinders: 1, venue_type: 餐馆}")
    (layout / "packs" / "cylinders.test.yaml").write_text(quiet, encoding="utf-8")
    assert cli(["test", "packs"], capsys)[0] == 0


def test_could_be_is_shown_among_the_expectations(layout: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # CYL-002 (high, 60) cannot be decided without cylinders: the record could be P2
    undecided = _case("{could_be: null}", attrs="{venue_type: 餐馆}")
    (layout / "packs" / "cylinders.test.yaml").write_text(undecided, encoding="utf-8")
    code, out, _ = cli(["test", "packs"], capsys)
    assert code == 1
    assert "  expected: could_be null (decided)\n" in out
    (layout / "packs" / "cylinders.test.yaml").write_text(
        _case("{could_be: P2, insufficient: [CYL-002]}", attrs="{venue_type: 餐馆}"), encoding="utf-8"
    )
    assert cli(["test", "packs"], capsys)[0] == 0


def test_insufficient_naming_an_unknown_rule_says_so(
    layout: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (layout / "packs" / "cylinders.test.yaml").write_text(
        _case("{insufficient: [CYL-404]}", attrs="{venue_type: 餐馆}"), encoding="utf-8"
    )
    code, out, _ = cli(["test", "packs"], capsys)
    assert code == 1
    assert "  - insufficient names CYL-404, but no rule with this id is loaded\n" in out
    assert "but it was decided" not in out


def test_explain_with_a_rule_that_is_not_loaded_exits_1(
    layout: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    record = {
        "id": "g-1",
        "category": "gas_safety",
        "reported_at": "2026-07-01T09:00:00+08:00",
        "attrs": {"cylinders": 5, "venue_type": "餐馆"},
    }
    (layout / "one.json").write_text(json.dumps(record, ensure_ascii=False), encoding="utf-8")
    rule_set = ["--rules", "packs", "--no-builtin"]
    assert cli(["explain", "one.json", "--rule", "CYL-001", *rule_set], capsys)[0] == 0
    code, out, err = cli(["explain", "one.json", "--rule", "CYL-001", "--rule", "CYL-01", *rule_set], capsys)
    assert code == 1
    assert "CYL-001" in out
    assert "no loaded rule or plugin check has the id 'CYL-01'" in err
    code, _, err = cli(["explain", "--show-code", "CYL-01", *rule_set], capsys)
    assert code == 1 and "no loaded rule or plugin check has the id 'CYL-01'" in err
