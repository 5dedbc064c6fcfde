"""The pytest plugin, run with ``pytester`` as a rules repository's CI would run it."""

from __future__ import annotations

import textwrap
import xml.etree.ElementTree as ET

import pytest

pytest_plugins = ["pytester"]

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
  - id: CYL-002
    title: 钢瓶数量未知
    when: attrs.cylinders < 0
    severity: low
"""

CASES = """\
builtin: false
tests:
  - name: 餐馆五个钢瓶
    observation: {category: gas_safety, attrs: {cylinders: 5, venue_type: 餐馆}}
    expect:
      fires: [CYL-001]
      not_fires: [CYL-002]
      priority: P3

  - name: 饭店五个钢瓶
    observation: {category: gas_safety, attrs: {cylinders: 5, venue_type: 饭店}}
    expect:
      fires: [CYL-001]
      priority: P3
"""


@pytest.fixture
def repo(pytester: pytest.Pytester) -> pytest.Pytester:
    """A rules repository: a pack and its cases, nothing else (no conftest, no ini)."""
    pytester.makefile(".yaml", cylinders=PACK)
    (pytester.path / "cylinders.test.yaml").write_text(CASES, encoding="utf-8")
    return pytester


def test_each_case_is_an_item_named_by_file_and_case(repo: pytest.Pytester) -> None:
    result = repo.runpytest("--collect-only", "-q")
    result.stdout.fnmatch_lines(["cylinders.test.yaml::餐馆五个钢瓶", "cylinders.test.yaml::饭店五个钢瓶"])


def test_a_failure_reads_as_expected_against_actual_with_the_explanation(repo: pytest.Pytester) -> None:
    result = repo.runpytest()
    result.assert_outcomes(passed=1, failed=1)
    result.stdout.fnmatch_lines(
        [
            "*case '饭店五个钢瓶' at cylinders.test.yaml:10 failed:",
            "  - expected CYL-001 to fire, but it did not",
            "  - expected an alert (priority/score/escalation/deadline given), but none was raised",
            "  expected: fires [CYL-001]; priority P3",
            "  actual:   no alert*",
            "  why (the rules involved):",
            "    CYL-001 餐馆钢瓶过多  [[]cylinders.yaml:9]",
            '      NOT FIRED 未触发: Did not fire because `attrs.venue_type == "餐馆"` is false*',
        ]
    )
    assert "Traceback" not in result.stdout.str() and "def runtest" not in result.stdout.str()


def test_reportinfo_points_at_the_case_line(repo: pytest.Pytester) -> None:
    items = repo.getitems(repo.path / "cylinders.test.yaml")
    assert [item.reportinfo()[1] + 1 for item in items] == [3, 10]
    assert items[1].location == ("cylinders.test.yaml", 9, "case: 饭店五个钢瓶")


def test_junit_xml_through_junitxml(repo: pytest.Pytester) -> None:
    result = repo.runpytest("--junitxml=report.xml", "-o", "junit_family=xunit1")
    assert result.ret == pytest.ExitCode.TESTS_FAILED
    suite = ET.parse(repo.path / "report.xml").getroot().find("testsuite")
    assert suite is not None and suite.get("tests") == "2" and suite.get("failures") == "1"
    cases = {case.get("name"): case for case in suite.iter("testcase")}
    assert set(cases) == {"餐馆五个钢瓶", "饭店五个钢瓶"}
    failed = cases["饭店五个钢瓶"]
    assert failed.get("file") == "cylinders.test.yaml" and failed.get("line") == "9"
    failure = failed.find("failure")
    assert failure is not None and "expected CYL-001 to fire, but it did not" in (failure.text or "")


def test_a_broken_case_file_is_a_collection_error_with_positions(pytester: pytest.Pytester) -> None:
    pytester.makefile(".yaml", cylinders=PACK)
    broken = "tests:\n  - name: x\n    observaton: {category: gas_safety}\n    expect: {fire: [CYL-001]}\n"
    (pytester.path / "broken.test.yaml").write_text(broken, encoding="utf-8")
    result = pytester.runpytest()
    assert result.ret == pytest.ExitCode.INTERRUPTED
    result.stdout.fnmatch_lines(
        [
            "*ERROR collecting broken.test.yaml*",
            "cannot read the case file:",
            "broken.test.yaml:2:5: missing required key 'observation'",
            "broken.test.yaml:3:5: unknown key 'observaton' (did you mean 'observation'?)",
            "broken.test.yaml:4:14: unknown key 'fire' (did you mean 'fires'?)",
        ]
    )


@pytest.mark.parametrize("ci", [False, True], ids=["terminal", "ci"])
def test_a_broken_pack_fails_every_case_with_the_load_problems(
    pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch, ci: bool
) -> None:
    # Under CI=1 pytest prints whole messages in its short summary, so the
    # "said once" check looks at the failure reports only.
    if ci:
        monkeypatch.setenv("CI", "1")
    else:
        monkeypatch.delenv("CI", raising=False)
        monkeypatch.delenv("BUILD_NUMBER", raising=False)
    pytester.makefile(".yaml", cylinders=PACK.replace("attrs.venue_type ==", "attrs.venue ==", 1))
    (pytester.path / "cylinders.test.yaml").write_text(CASES, encoding="utf-8")
    result = pytester.runpytest()
    result.assert_outcomes(failed=2)
    result.stdout.fnmatch_lines(
        [
            "the rule packs did not load:",
            "cylinders.yaml:11:41: unknown attribute 'venue'; did you mean 'venue_type'?",
        ]
    )
    # said once: the second case points back to it
    reports = result.stdout.str().split("short test summary info")[0]
    assert reports.count("unknown attribute 'venue'") == 1
    result.stdout.fnmatch_lines(
        ["*case '饭店五个钢瓶' at cylinders.test.yaml:10 could not run (the same problems)*"]
    )


def test_rule_coverage_report_and_threshold(repo: pytest.Pytester) -> None:
    (repo.path / "cylinders.test.yaml").write_text(CASES.split("\n  - name: 饭店")[0], encoding="utf-8")
    passing = repo.runpytest("--rule-coverage")
    passing.assert_outcomes(passed=1)
    passing.stdout.fnmatch_lines(
        [
            "*riskscreen rule coverage*",
            "rule coverage 50.0%: 0 of 2 rules both fire and stay silent in some passing case",
            "  CYL-001  yes    NO      cylinders.yaml:9",
            "  CYL-002  NO     yes     cylinders.yaml:13",
        ]
    )
    assert passing.ret == pytest.ExitCode.OK
    gated = repo.runpytest("--rule-coverage-fail-under", "75")
    gated.assert_outcomes(passed=1)
    assert gated.ret == pytest.ExitCode.TESTS_FAILED
    gated.stdout.fnmatch_lines(["FAIL: rule coverage 50.0% is below --rule-coverage-fail-under=75"])


def test_repeated_case_names_stay_distinct(pytester: pytest.Pytester) -> None:
    pytester.makefile(".yaml", cylinders=PACK)
    case = "  - name: 同名\n    observation: {category: gas_safety, attrs: {cylinders: 1}}\n    expect: {}\n"
    (pytester.path / "twice.test.yaml").write_text("builtin: false\ntests:\n" + case * 2, encoding="utf-8")
    result = pytester.runpytest("--collect-only", "-q")
    result.stdout.fnmatch_lines(["twice.test.yaml::同名", "twice.test.yaml::同名 #2"])


def test_the_plugin_can_be_turned_off(repo: pytest.Pytester) -> None:
    result = repo.runpytest("-p", "no:riskscreen")
    assert result.ret == pytest.ExitCode.NO_TESTS_COLLECTED


def test_cases_beside_packs_in_subfolders_use_their_own_folder(pytester: pytest.Pytester) -> None:
    folder = pytester.mkdir("packs")
    (folder / "cylinders.yaml").write_text(PACK, encoding="utf-8")
    passing = textwrap.dedent(
        """\
        builtin: false
        tests:
          - name: 一个钢瓶
            observation: {category: gas_safety, attrs: {cylinders: 1, venue_type: 餐馆}}
            expect: {not_fires: [CYL-001, CYL-002], alert: false}
        """
    )
    (folder / "cylinders.test.yaml").write_text(passing, encoding="utf-8")
    result = pytester.runpytest()
    result.assert_outcomes(passed=1)


@pytest.mark.parametrize(
    "args",
    [
        pytest.param(["cylinders.test.yaml"], id="one case file"),
        pytest.param(["."], id="the folder"),
        pytest.param([], id="no path"),
        pytest.param(["-n", "2", "."], id="pytest-xdist workers"),
        pytest.param(["-n", "2", "cylinders.test.yaml"], id="pytest-xdist, one case file"),
    ],
)
def test_the_coverage_gate_gives_the_figure_riskscreen_test_gives(
    repo: pytest.Pytester, args: list[str]
) -> None:
    """Beside a pack with an untested rule, the gate fails however pytest is pointed at the cases."""
    from riskscreen.cli.main import main

    (repo.path / "cylinders.test.yaml").write_text(CASES.split("\n  - name: 饭店")[0], encoding="utf-8")
    with pytest.MonkeyPatch.context() as patch:
        patch.chdir(repo.path)
        assert main(["test", ".", "--coverage", "--fail-under", "100"]) == 1
    gated = repo.runpytest_subprocess(*args, "--rule-coverage-fail-under", "100")
    assert gated.ret == pytest.ExitCode.TESTS_FAILED
    gated.stdout.fnmatch_lines(
        [
            "rule coverage 50.0%: 0 of 2 rules both fire and stay silent in some passing case",
            "FAIL: rule coverage 50.0% is below --rule-coverage-fail-under=100",
        ]
    )


def test_a_gate_over_no_rules_fails(pytester: pytest.Pytester) -> None:
    """Cases with no pack of their own cover nothing: 0 of 0 rules is 0%, not 100%."""
    (pytester.path / "only.test.yaml").write_text(
        "tests:\n  - name: 其他\n    observation: {category: other}\n    expect: {priority: null}\n",
        encoding="utf-8",
    )
    gated = pytester.runpytest("--rule-coverage-fail-under", "50")
    gated.assert_outcomes(passed=1)
    assert gated.ret == pytest.ExitCode.TESTS_FAILED
    gated.stdout.fnmatch_lines(["rule coverage 0.0%: no rules in scope*"])


def test_default_junit_failures_still_name_the_case_line(repo: pytest.Pytester) -> None:
    """xunit2 has no file/line attributes; the failure text names the case's path:line instead."""
    repo.runpytest("--junitxml=report.xml")
    suite = ET.parse(repo.path / "report.xml").getroot().find("testsuite")
    assert suite is not None
    failure = next(
        case.find("failure") for case in suite.iter("testcase") if case.find("failure") is not None
    )
    assert failure is not None and "cylinders.test.yaml:10" in (failure.text or "")
