"""Rule regression cases (``*.test.yaml``): the format, a runner, rule coverage, the pytest plugin.

``riskscreen test`` and pytest (through :mod:`riskscreen.testing.pytest_plugin`, registered
under ``pytest11``) run the same cases with the same failure reports.
"""

from .cases import (
    OBSERVATION_DEFAULTS,
    CaseFile,
    CaseFileSpec,
    CaseOutcome,
    Expectation,
    TestCase,
    case_location,
    case_observation,
    check_case,
    find_case_files,
    load_case_file,
    screener_for,
)
from .coverage import CoverageReport, RuleCoverage, RuleRef, rule_coverage, rules_of, rules_under
from .report import actual_text, expected_text, failure_text
from .runner import CaseRun, TestRun, case_files_for, run_case_files

__all__ = [
    "OBSERVATION_DEFAULTS",
    "CaseFile",
    "CaseFileSpec",
    "CaseOutcome",
    "CaseRun",
    "CoverageReport",
    "Expectation",
    "RuleCoverage",
    "RuleRef",
    "TestCase",
    "TestRun",
    "actual_text",
    "case_files_for",
    "case_location",
    "case_observation",
    "check_case",
    "expected_text",
    "failure_text",
    "find_case_files",
    "load_case_file",
    "rule_coverage",
    "rules_of",
    "rules_under",
    "run_case_files",
    "screener_for",
]
