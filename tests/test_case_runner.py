"""``riskscreen test`` and the runner behind it: failures, the summary line, coverage, exit codes."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from riskscreen.cli.main import main
from riskscreen.testing import find_case_files, load_case_file, rule_coverage, rules_under, run_case_files
from riskscreen.testing.report import expected_text

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
    title: 钢瓶数量为负
    when: attrs.cylinders < 0
    severity: low
"""

PASSING = """\
builtin: false
tests:
  - name: 餐馆五个钢瓶
    observation: {category: gas_safety, attrs: {cylinders: 5, venue_type: 餐馆}}
    expect: {fires: [CYL-001], not_fires: [CYL-002], priority: P3, score: {min: 40, max: 40}}
  - name: 数量为负
    observation: {category: gas_safety, attrs: {cylinders: -1, venue_type: 住宅}}
    expect: {fires: [CYL-002], not_fires: [CYL-001]}
"""

FAILING_CASE = """\
  - name: 饭店五个钢瓶
    observation: {category: gas_safety, attrs: {cylinders: 5, venue_type: 饭店}}
    expect: {fires: [CYL-001], priority: P3}
"""


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    (tmp_path / "cylinders.yaml").write_text(PACK, encoding="utf-8")
    (tmp_path / "cylinders.test.yaml").write_text(PASSING, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def cli(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    code = main(args)
    out, err = capsys.readouterr()
    return code, out, err


def test_all_passing_prints_the_summary_and_exits_0(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = cli(["test"], capsys)
    assert code == 0
    assert out.splitlines()[-1] == "2 passed, 0 failed"


def test_a_failure_shows_expected_actual_and_why(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (repo / "cylinders.test.yaml").write_text(PASSING + FAILING_CASE, encoding="utf-8")
    code, out, _ = cli(["test", "cylinders.test.yaml"], capsys)
    assert code == 1
    assert out.splitlines()[-1] == "2 passed, 1 failed"
    assert "FAIL case '饭店五个钢瓶' at cylinders.test.yaml:9 failed:" in out
    assert "  - expected CYL-001 to fire, but it did not\n" in out
    assert "  expected: fires [CYL-001]; priority P3\n" in out
    assert "  actual:   no alert\n" in out
    assert 'Did not fire because `attrs.venue_type == "餐馆"` is false (attrs.venue_type = "饭店")' in out


def test_verbose_lists_passing_cases(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _, out, _ = cli(["test", "-v", "."], capsys)
    assert "PASS cylinders.test.yaml:3 餐馆五个钢瓶" in out


def test_a_pack_file_runs_the_cases_beside_it(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = cli(["test", "cylinders.yaml"], capsys)
    assert code == 0 and out.endswith("2 passed, 0 failed\n")


def test_coverage_and_fail_under(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    only_first = PASSING.split("  - name: 数量为负")[0]
    (repo / "cylinders.test.yaml").write_text(only_first, encoding="utf-8")
    code, out, _ = cli(["test", "--coverage"], capsys)
    assert code == 0
    assert "rule coverage 50.0%: 0 of 2 rules both fire and stay silent in some passing case" in out
    assert "  CYL-001  yes    NO      cylinders.yaml:9" in out
    code, out, _ = cli(["test", "--fail-under", "60"], capsys)
    assert code == 1
    assert "rule coverage 50.0% is below --fail-under 60%" in out
    assert out.splitlines()[-1] == "1 passed, 0 failed"


def test_json_report(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (repo / "cylinders.test.yaml").write_text(PASSING + FAILING_CASE, encoding="utf-8")
    code, out, _ = cli(["test", "--format", "json", "--coverage"], capsys)
    document = json.loads(out)
    assert code == 1
    assert document["summary"] == {"passed": 2, "failed": 1}
    failed = [c for c in document["cases"] if not c["passed"]]
    assert [c["name"] for c in failed] == ["饭店五个钢瓶"]
    assert failed[0]["failures"][0] == "expected CYL-001 to fire, but it did not"
    assert document["coverage"]["percent"] == 100.0


def test_no_case_files_is_a_usage_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = cli(["test", str(tmp_path)], capsys)
    assert code == 2 and "no *.test.yaml case files found" in err
    code, _, err = cli(["test", str(tmp_path / "nope")], capsys)
    assert code == 2 and "no such file or folder" in err


def test_a_broken_pack_fails_each_case_and_says_why(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (repo / "cylinders.yaml").write_text(PACK.replace("severity: low", "severity: lowish"), encoding="utf-8")
    code, out, _ = cli(["test"], capsys)
    assert code == 1 and out.splitlines()[-1] == "0 passed, 2 failed"
    assert "the rule packs did not load:\ncylinders.yaml:17:15: rules.1.severity: Input should be" in out


def test_an_unreadable_case_file_counts_as_one_failure(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (repo / "broken.test.yaml").write_text("tests:\n  - name: [unclosed\n", encoding="utf-8")
    code, out, _ = cli(["test"], capsys)
    assert code == 1 and out.splitlines()[-1] == "2 passed, 1 failed"
    assert "case '(whole file)' at broken.test.yaml:3:1 could not run:" in out
    assert "YAML syntax error" in out


def test_coverage_counts_only_passing_cases_and_only_rules_under_the_paths(repo: Path) -> None:
    (repo / "cylinders.test.yaml").write_text(PASSING + FAILING_CASE, encoding="utf-8")
    run = run_case_files([repo])
    report = rule_coverage(run.runs, rules_under(run.screeners, [repo]))
    [cyl1] = [r for r in report.rules if r.rule.id == "CYL-001"]
    assert cyl1.fired_by == ("cylinders.test.yaml:3",)
    assert rules_under(run.screeners, [repo / "elsewhere"]) == []


def test_expectations_read_back_in_one_line(repo: Path) -> None:
    case = load_case_file(repo / "cylinders.test.yaml").cases[0]
    assert expected_text(case.expect) == "fires [CYL-001]; not_fires [CYL-002]; priority P3; score 40..40"


def test_hidden_folders_and_virtual_environments_are_not_searched(repo: Path) -> None:
    for folder in (".git", "env", "node_modules"):
        (repo / folder).mkdir()
        (repo / folder / "x.test.yaml").write_text(PASSING, encoding="utf-8")
    (repo / "env" / "pyvenv.cfg").write_text("home = /usr/bin\n", encoding="utf-8")
    assert [p.name for p in find_case_files([repo])] == ["cylinders.test.yaml"]


def test_all_rules_counts_packs_outside_the_paths(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "packs").mkdir()
    (tmp_path / "cases").mkdir()
    (tmp_path / "packs" / "cylinders.yaml").write_text(PACK, encoding="utf-8")
    cases = PASSING.replace("builtin: false\n", "builtin: false\nrules: [../packs/cylinders.yaml]\n")
    (tmp_path / "cases" / "c.test.yaml").write_text(cases, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    # the cases' own 'rules:' packs are in scope, wherever they are written
    assert main(["test", "cases", "--coverage"]) == 0
    assert "rule coverage 100.0%: 2 of 2 rules" in capsys.readouterr().out
    assert main(["test", "cases", "--all-rules"]) == 0
    out = capsys.readouterr().out
    assert (
        "rule coverage 100.0%: 2 of 2 rules" in out
        and "CYL-002  yes    yes     packs/cylinders.yaml:14" in out
    )


def test_no_rules_in_scope_is_never_full_coverage(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "only.test.yaml").write_text(
        "tests:\n  - name: 无规则\n    observation: {category: other}\n    expect: {priority: null}\n",
        encoding="utf-8",
    )
    monkeypatch.chdir(tmp_path)
    assert main(["test", ".", "--coverage", "--fail-under", "1"]) == 1
    out = capsys.readouterr().out
    assert "rule coverage 0.0%: no rules in scope" in out


def test_a_case_file_path_covers_the_packs_beside_it(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (repo / "cylinders.test.yaml").write_text(PASSING, encoding="utf-8")
    folder = cli(["test", ".", "--coverage", "--format", "json"], capsys)[1]
    single = cli(["test", "cylinders.test.yaml", "--coverage", "--format", "json"], capsys)[1]
    assert json.loads(single)["coverage"] == json.loads(folder)["coverage"]
    assert len(json.loads(single)["coverage"]["rules"]) == 2


def test_one_load_error_is_reported_once(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (repo / "cylinders.yaml").write_text(
        PACK.replace("attrs.venue_type ==", "attrs.venue ==", 1), encoding="utf-8"
    )
    code, out, _ = cli(["test"], capsys)
    assert code == 1
    assert out.count("unknown attribute 'venue'") == 1
    assert "FAIL case '数量为负' at cylinders.test.yaml:" in out and "(the same problems)" in out
    assert out.splitlines()[-1] == "0 passed, 2 failed"


def test_a_bad_key_in_a_case_file_does_not_cascade_into_untested_rules(repo: Path) -> None:
    from riskscreen.lint import lint

    (repo / "cylinders.test.yaml").write_text(
        PASSING.replace("expect: {fires:", "expect: {fire:", 1), encoding="utf-8"
    )
    codes = [p.code for p in lint(["."]).problems]
    assert codes == ["RS110"]
