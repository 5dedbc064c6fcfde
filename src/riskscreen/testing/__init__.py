"""Rule regression cases (``*.test.yaml``) and their runner."""

from .cases import (
    OBSERVATION_DEFAULTS,
    CaseFile,
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

__all__ = [
    "OBSERVATION_DEFAULTS",
    "CaseFile",
    "CaseOutcome",
    "Expectation",
    "TestCase",
    "case_location",
    "case_observation",
    "check_case",
    "find_case_files",
    "load_case_file",
    "screener_for",
]
