"""The shipped packs' and installed plugins' regression cases pass and cover every rule and check.

Each shipped case is also a pytest item of its own: ``rules`` is in ``testpaths`` and the
riskscreen pytest plugin collects ``*.test.yaml``. This module runs every case file, the
plugins' ones included, and enforces 100% rule coverage: every rule and plugin check is
made to fire by some passing case and held silent by another.
"""

from __future__ import annotations

import pytest

from riskscreen import builtin_rules_dir
from riskscreen.testing import TestRun, case_files_for, rule_coverage, rules_of, run_case_files
from tests.helpers import shipped_screener

SCREENER = shipped_screener()
CASE_FILES = case_files_for([builtin_rules_dir(), *SCREENER.plugin_host.rule_packs()])


@pytest.fixture(scope="module")
def shipped_run() -> TestRun:
    return run_case_files(CASE_FILES)


def test_case_files_exist() -> None:
    assert CASE_FILES, "the shipped packs must come with regression cases"


def test_every_shipped_case_passes(shipped_run: TestRun) -> None:
    failures = [run.report() for run in shipped_run.runs if not run.passed]
    assert not failures, "\n\n".join(failures)
    assert shipped_run.passed == len(shipped_run.runs) > 0


def test_every_shipped_rule_and_plugin_check_fires_and_stays_silent_in_some_case(
    shipped_run: TestRun,
) -> None:
    report = rule_coverage(shipped_run.runs, rules_of(SCREENER))
    assert {r.rule.id for r in report.rules} >= {r.id for r in SCREENER.ruleset.rules}
    assert report.percent == 100.0, report.render(only_uncovered=True)
