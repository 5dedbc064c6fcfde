"""``riskscreen lint``: every problem at its file, line and column, with stable codes.

The broken packs live in ``tests/data/lint/`` (case files are written into
``tmp_path``: a ``*.test.yaml`` under ``tests/`` would be collected by the pytest plugin).
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from riskscreen.cli.main import main
from riskscreen.errors import Problem
from riskscreen.lint import CHECKS, CODES, LintReport, lint, render_github, render_json, render_text

REPO = Path(__file__).parents[2]
DATA = Path("tests") / "data" / "lint"  # relative to the repository, as a rule author types it
BROKEN = DATA / "broken_pack.yaml"
WARNINGS = DATA / "warnings_pack.yaml"
SRC = REPO / "src" / "riskscreen"


@pytest.fixture(autouse=True)
def in_repository(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(REPO)


def lines(report: LintReport, *, skip: tuple[str, ...] = ("RS501",)) -> list[str]:
    shown = [p for p in report.problems if p.code not in skip]
    return [f"{p.location.line}:{p.location.column} {p.code} {p.message}" for p in shown]


def test_every_break_is_reported_at_once_where_it_is() -> None:
    report = lint([BROKEN])
    assert lines(report) == [
        "4:1 RS107 unknown key 'titel' (did you mean 'title'?)",
        "16:3 RS307 macro cycle: loop_a -> loop_b -> loop_a",
        "21:11 RS202 unknown symbol 'atrs'; did you mean 'attrs'?",
        "24:17 RS203 unknown attribute 'cylindres'; did you mean 'cylinders'?",
        "27:11 RS202 unknown symbol 'crowdd'; did you mean 'crowded'?",
        "30:31 RS202 unknown symbol 'venus'; did you mean 'venues'?",
        '33:31 RS205 type mismatch in `attrs.cylinders > "2"`: attrs.cylinders is a number and "2" is a '
        "string; compare or combine values of the same type (quote text, leave numbers bare, check the "
        "declared attribute types)",
        "36:29 RS201 syntax error at 'and'",
        "39:29 RS201 syntax error at end of expression",
        "40:9 RS303 rule id 'BR-001' is already used in tests/data/lint/broken_pack.yaml:19:9",
        "45:17 RS203 unknown attribute 'hose_agd'; did you mean 'hose_aged'?",
        "46:12 RS109 rules.8.score: Input should be a valid number",
        "47:5 RS107 unknown key 'severty' (did you mean 'severity'?)",
        "48:5 RS108 missing required key 'title'",
        "54:17 RS203 unknown attribute 'cylindres'; did you mean 'cylinders'?",
        "56:9 RS308 override names unknown rule 'GAS-999' (did you mean 'GAS-009'?)",
    ]
    assert {p.location.path for p in report.problems} == {"tests/data/lint/broken_pack.yaml"}
    assert report.errors == 16 and report.exit_code() == 1
    assert report.skipped == ("unknown-message-field",)


def test_yaml_syntax_errors_point_at_the_bad_line(tmp_path: Path) -> None:
    report = lint([DATA / "bad_yaml.yaml"])
    assert [str(p) for p in report.problems] == [
        "tests/data/lint/bad_yaml.yaml:6:4: YAML syntax error: while parsing a block collection "
        "expected <block end>, but found '<block mapping start>'"
    ]


def test_warnings_for_rules_that_load() -> None:
    report = lint([WARNINGS])
    assert report.errors == 0 and report.exit_code() == 0 and report.exit_code(strict=True) == 1
    assert lines(report) == [
        "15:26 RS502 regular expression '(\\w+\\s?)*' repeats a part that itself repeats ('\\w+'), so the "
        "same text can be split in many ways; backtracking engines can take exponential time on such "
        "text: make each part match in only one way",
        "19:11 RS504 rule WN-001 can never fire: `attrs.cylinders > 10` and `attrs.cylinders < 5` cannot "
        "both hold",
        '23:11 RS504 rule WN-002 can never fire: `status == "closd"` is never true: status is one of '
        "closed, in_progress, new, rectified",
        "27:13 RS504 rule WN-003 can never fire: its unless always holds (`true` is a constant)",
        "30:37 RS502 regular expression '(a|ab)*' repeats alternatives that can match the same text ('a' "
        "and 'ab'); backtracking engines can take exponential time on such text: make each part match in "
        "only one way",
        "35:18 RS504 rule WN-005 can never fire: valid_until 2026-06-01 is before valid_from 2026-09-01",
        "39:29 RS504 rule WN-006 can never fire: jurisdiction village lists no names",
        "42:11 RS504 rule WN-007 can never fire: `attrs.venue_type in venues` and `attrs.venue_type not in "
        '["餐馆", "饭店"]` cannot both hold',
    ]


def write_cases(folder: Path, text: str) -> Path:
    path = folder / "pack.test.yaml"
    path.write_text(text, encoding="utf-8")
    return path


PACK = """\
pack: small
applies_to: [gas_safety]
categories:
  gas_safety:
    attrs:
      cylinders: int
rules:
  - id: SM-001
    title: 钢瓶多
    when: attrs.cylinders > 3
  - id: SM-002
    title: 钢瓶为负
    when: attrs.cylinders < 0
"""


def test_cases_are_read_for_untested_rules_unknown_ids_and_repeated_names(tmp_path: Path) -> None:
    (tmp_path / "pack.yaml").write_text(PACK, encoding="utf-8")
    write_cases(
        tmp_path,
        "builtin: false\ntests:\n"
        "  - name: 多\n    observation: {category: gas_safety, attrs: {cylinders: 5}}\n"
        "    expect: {fires: [SM-001], not_fires: [SM-02]}\n"
        "  - name: 多\n    observation: {category: gas_safety, attrs: {cylinders: 1}}\n"
        "    expect: {not_fires: [SM-001]}\n",
    )
    report = lint([tmp_path], builtin=False)
    assert [
        f"{p.location.path.rsplit('/', 1)[-1]}:{p.location.line}:{p.location.column} {p.code}"
        for p in report.problems
    ] == [
        "pack.test.yaml:5:43 RS505",
        "pack.test.yaml:6:11 RS506",
        "pack.yaml:11:9 RS501",
    ]
    messages = [p.message for p in report.problems]
    assert (
        "case '多' names SM-02 under not_fires, but no rule has that id; did you mean 'SM-002'?" in messages
    )
    assert "rule SM-002 has no regression case: add cases to a *.test.yaml beside pack.yaml" in messages[2]


def test_case_file_format_errors_are_lint_errors(tmp_path: Path) -> None:
    (tmp_path / "pack.yaml").write_text(PACK, encoding="utf-8")
    write_cases(tmp_path, "tests:\n  - name: x\n    observation: {}\n    expect: {fire: [SM-001]}\n")
    report = lint([tmp_path], builtin=False)
    assert "unknown key 'fire' (did you mean 'fires'?)" in [
        p.message for p in report.problems if p.code == "RS110"
    ]


def test_the_shipped_packs_lint_clean() -> None:
    report = lint()
    assert report.problems == (), render_text(report)
    assert report.files > 0


def test_text_json_and_github_formats() -> None:
    report = LintReport(
        (
            Problem(location=_loc("a.yaml", 3, 5), message="bad: 50%, a,b", code="RS202"),
            Problem(location=_loc("a.yaml", 0, 0), message="file gone", code="RS104"),
            Problem(location=_loc("b.yaml", 7, 1), message="untested", code="RS501", severity="warning"),
        ),
        files=2,
    )
    assert render_text(report).splitlines() == [
        "a.yaml:3:5: RS202 error: bad: 50%, a,b",
        "a.yaml: RS104 error: file gone",
        "b.yaml:7:1: RS501 warning: untested",
        "2 errors, 1 warning in 2 files",
    ]
    document = json.loads(render_json(report))
    assert document["summary"] == {"errors": 2, "warnings": 1, "files": 2, "skipped_checks": []}
    assert document["problems"][0] == {
        "path": "a.yaml",
        "line": 3,
        "column": 5,
        "code": "RS202",
        "severity": "error",
        "message": "bad: 50%, a,b",
    }
    assert render_github(report).splitlines() == [
        "::error file=a.yaml,line=3,col=5,title=RS202::bad: 50%25, a,b",
        "::error file=a.yaml,title=RS104::file gone",
        "::warning file=b.yaml,line=7,col=1,title=RS501::untested",
    ]


def _loc(path: str, line: int, column: int) -> object:
    from riskscreen.errors import SourceLocation

    return SourceLocation(path, line, column)


def test_cli_exit_codes_ignore_and_strict(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["lint", str(BROKEN)]) == 1
    out = capsys.readouterr().out
    assert "tests/data/lint/broken_pack.yaml:21:11: RS202 error: unknown symbol 'atrs'" in out
    assert out.splitlines()[-2].startswith("16 errors, ")
    assert main(["lint", str(WARNINGS)]) == 0
    assert main(["lint", str(WARNINGS), "--strict"]) == 1
    assert main(["lint", str(WARNINGS), "--strict", "--ignore", "RS501", "--ignore", "RS502"]) == 1
    capsys.readouterr()
    assert main(["lint", str(WARNINGS), "--format", "github"]) == 0
    assert (
        "::warning file=tests/data/lint/warnings_pack.yaml,line=19,col=11,title=RS504::"
        in capsys.readouterr().out
    )
    assert main(["lint", "--ignore", "RS999"]) == 2
    assert main(["lint", "--list-checks"]) == 0
    listed = capsys.readouterr().out
    assert "RS504  warning  a rule that can never fire" in listed


def test_checks_are_data_and_every_code_is_catalogued() -> None:
    names = [check.name for check in CHECKS]
    assert len(set(names)) == len(names)
    for check in CHECKS:
        assert check.description and check.severity in ("error", "warning")
        assert check.code in CODES
    written = set(re.findall(r'"(RS\d{3})"', "".join(p.read_text() for p in SRC.rglob("*.py"))))
    assert written <= set(CODES), "every code the code base emits is documented"


PACK_KEYS = st.sampled_from(
    ["pack", "rules", "macros", "lists", "applies_to", "categories", "overrides", "x"]
)
TEXT = st.text(
    alphabet=st.sampled_from(list("ab. ()=<>!~\"'[]{}:-,#&|0123456789 \n\tand or not in 宏")), max_size=40
)
VALUES = st.recursive(
    st.one_of(st.none(), st.booleans(), st.integers(-5, 5), TEXT),
    lambda inner: st.one_of(
        st.lists(inner, max_size=3),
        st.dictionaries(
            st.sampled_from(["id", "title", "when", "unless", "a", "severity"]), inner, max_size=4
        ),
    ),
    max_leaves=12,
)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.dictionaries(PACK_KEYS, VALUES, max_size=6), st.booleans())
# a list whose items are lists once crashed the never-fires check
@example(data={"rules": [{}], "lists": {"id": [[]]}}, as_yaml=False)
def test_lint_never_raises_on_generated_packs(tmp_path: Path, data: dict[str, object], as_yaml: bool) -> None:
    import yaml

    path = tmp_path / "generated.yaml"
    text = yaml.safe_dump(data, allow_unicode=True) if as_yaml else str(data)
    path.write_text(text, encoding="utf-8")
    report = lint([path], builtin=False)
    assert all(p.code in CODES for p in report.problems)
    assert all(p.location.path.endswith("generated.yaml") for p in report.problems)
