"""What people and CI read: the pull-request comment, JUnit, backtest tables; docs/diff.md runs as written."""

from __future__ import annotations

import csv
import io
import json
import os
import re
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

import riskscreen
from riskscreen.cli.main import main
from riskscreen.diffing.render_backtest import backtest_csv, backtest_markdown
from riskscreen.diffing.render_diff import diff_junit, diff_markdown

from .archive import BASE, HEAD

ROOT = Path(__file__).parents[2]
ARCHIVE = BASE.parent / "archive"


@pytest.fixture(scope="module")
def result() -> riskscreen.DiffResult:
    return riskscreen.diff(
        ARCHIVE, base=BASE, head=HEAD, builtin=False, fail_if=["p1_increase>10%", "left_p1>0"]
    )


def test_the_comment_opens_with_the_summary_table_and_folds_the_details(
    result: riskscreen.DiffResult,
) -> None:
    comment = diff_markdown(result)
    head, _, folded = comment.partition("<details>")
    assert "| P1 | 0 | 3 | +3 (new) |" in head and "| P2 | 4 | 0 | -4 (-100.0%) |" in head
    assert "| undecided | 2 | 3 | +1 (+50.0%) |" in head
    assert "| `p1_increase>10%` | ❌ failed" in head and "| `left_p1>0` | ✅ passed" in head
    summaries = re.findall(
        r"<summary>(.*?)</summary>", folded + "<summary>" + comment.split("<summary>", 1)[1]
    )
    assert summaries[0] == "Rules that fire differently (3)"
    assert "| `Q-001` | changed | 5 | 3 | -2 (-40.0%) | — | `q-01`, `q-08` |" in comment
    assert "| P2 → P1 | 3 | `q-03`, `q-08`, `q-10` |" in comment
    assert "  - severity: `high` → `critical`" in comment
    assert comment.count("<details>") == comment.count("</details>") == 5


def test_junit_has_a_case_per_condition_failed_when_it_holds(result: riskscreen.DiffResult) -> None:
    suite = ET.fromstring(diff_junit(result))
    assert (suite.get("tests"), suite.get("failures")) == ("2", "1")
    cases = {case.get("name"): case for case in suite.iter("testcase")}
    failure = cases["fail-if p1_increase>10%"].find("failure")
    assert failure is not None and "more P1 records" in (failure.get("message") or "")
    assert cases["fail-if left_p1>0"].find("failure") is None


def test_junit_without_conditions_still_shows_the_diff_ran() -> None:
    quiet = riskscreen.diff(ARCHIVE, base=BASE, head=HEAD, builtin=False)
    suite = ET.fromstring(diff_junit(quiet))
    assert (suite.get("tests"), suite.get("failures")) == ("1", "0")
    assert "P1 0→3" in (suite.findtext("testcase/system-out") or "")


def test_backtest_csv_has_a_row_per_period_and_a_column_per_rule() -> None:
    result = riskscreen.backtest(ARCHIVE, by="month", rules=[HEAD], builtin=False)
    rows = list(csv.DictReader(io.StringIO(backtest_csv(result))))
    assert [r["period"] for r in rows] == ["2026-01", "2026-02", "total"]
    assert rows[-1] == {
        "period": "total",
        "records": "12",
        "alerts": "7",
        "P1": "3",
        "P2": "0",
        "P3": "3",
        "P4": "1",
        "none": "5",
        "error": "0",
        "undecided": "3",
        "Q-001": "3",
        "Q-002": "3",
        "Q-005": "2",
        "Q-003": "1",
    }
    table = backtest_markdown(result)
    assert "| **total** | **12** | **7** | **3** |" in table


def test_cli_writes_json_and_junit_files(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out, junit = tmp_path / "diff.json", tmp_path / "reports" / "diff.xml"
    argv = [
        "diff",
        str(ARCHIVE),
        "--base",
        str(BASE),
        "--head",
        str(HEAD),
        "--no-builtin",
        "--format",
        "json",
    ]
    assert main([*argv, "--output", str(out), "--junit", str(junit)]) == 0
    assert capsys.readouterr().out == ""
    data = json.loads(out.read_text(encoding="utf-8"))
    assert data["transitions"]["P2"]["P1"] == 3 and data["undecided"]["newly"] == 1
    assert ET.parse(junit).getroot().get("tests") == "1"


def _doc_blocks(language: str) -> list[str]:
    page = (ROOT / "docs" / "diff.md").read_text(encoding="utf-8")
    return re.findall(rf"```{language}\n(.*?)```", page, flags=re.S)


def test_the_guides_shell_examples_run(tmp_path: Path) -> None:
    environment = dict(os.environ)
    environment["PATH"] = f"{Path(sys.executable).parent}{os.pathsep}{environment['PATH']}"
    for block in _doc_blocks("sh"):
        done = subprocess.run(
            ["sh", "-e", "-c", block], cwd=ROOT, env=environment, capture_output=True, text=True, check=False
        )
        assert done.returncode == 0, f"{block}\n{done.stderr}"


def test_the_guides_python_example_runs(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(ROOT)
    (block,) = _doc_blocks("python")
    exec(compile(block, "docs/diff.md", "exec"), {})
    printed = capsys.readouterr().out.splitlines()
    assert printed[0] == "{'P1': 3, 'P2': 0, 'P3': 3, 'P4': 1, 'none': 5, 'error': 0}"
    assert printed[1] == "[('2026-W02', 2), ('2026-W03', 3), ('2026-W06', 1), ('2026-W07', 1)]"


def test_progress_reports_lines_read_up_to_the_total() -> None:
    seen: list[int] = []
    riskscreen.backtest(ARCHIVE, rules=[HEAD], builtin=False, partition=5, progress=seen.append)
    assert seen == [5, 10, 13]  # lines and rows read, the unreadable one included


def test_a_change_that_moves_nothing_says_so() -> None:
    same = riskscreen.diff(ARCHIVE, base=HEAD, head=HEAD, builtin=False)
    assert "**No record changes priority and every rule fires on the same records.**" in diff_markdown(same)


def test_the_guides_sample_comment_is_what_the_command_prints(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    page = (ROOT / "docs" / "diff.md").read_text(encoding="utf-8")
    sample = re.search(r"starts like this .*?\n\n```text\n(.*?)```", page, flags=re.S)
    assert sample is not None
    argv = [
        "diff",
        "tests/data/diff/archive/",
        "--base",
        "tests/data/diff/base",
        "--head",
        "tests/data/diff/head",
    ]
    monkeypatch.chdir(ROOT)
    assert main([*argv, "--no-builtin", "--fail-if", "p1_increase>10%"]) == 1
    assert capsys.readouterr().out.startswith(sample.group(1))
