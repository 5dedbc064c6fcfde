"""Every regression case shipped with the rule packs passes, and every rule has cases.

(Interim runner: the toolchain's pytest plugin will collect these files itself.)
"""

from __future__ import annotations

from pathlib import Path

import pytest

from riskscreen import Screener, builtin_rules_dir
from riskscreen.testing import check_case, find_case_files, load_case_file, screener_for

# the shipped packs' cases and those of every installed plugin's packs
CASE_FILES = find_case_files([builtin_rules_dir(), *Screener().plugin_host.rule_packs()])
CASES = [
    pytest.param(path, i, id=f"{path.name}::{case.name}")
    for path in CASE_FILES
    for i, case in enumerate(load_case_file(path).cases)
]


def test_case_files_exist() -> None:
    assert CASE_FILES, "the shipped packs must come with regression cases"


@pytest.mark.parametrize(("path", "index"), CASES)
def test_shipped_case(path: Path, index: int) -> None:
    case_file = load_case_file(path)
    outcome = check_case(screener_for(case_file), case_file.cases[index], index)
    assert outcome.passed, "\n".join(outcome.failures)


def test_every_shipped_rule_fires_and_stays_silent_in_some_case() -> None:
    fired: set[str] = set()
    silent: set[str] = set()
    for path in CASE_FILES:
        case_file = load_case_file(path)
        for case in case_file.cases:
            fired.update(case.expect.fires)
            silent.update(case.expect.not_fires)
    screener = Screener()
    rule_ids = {rule.id for rule in screener.ruleset.rules} | {check.id for _, check in screener.checks}
    assert rule_ids - fired == set(), "rules no case makes fire"
    assert rule_ids - silent == set(), "rules no case holds silent"
