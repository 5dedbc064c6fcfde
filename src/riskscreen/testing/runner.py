"""Run ``*.test.yaml`` files: every case, with a pass or a readable failure, and a summary line.

A case file that cannot be read counts as one failure; when the rule packs a file asks
for do not load, each of its cases fails with the load problems, so a broken pack can
never make a suite look green.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import RuleLoadError
from ..screener import Screener
from .cases import CaseFile, CaseOutcome, check_case, find_case_files, load_case_file, screener_for
from .report import failure_text

__all__ = [
    "CaseRun",
    "TestRun",
    "case_files_for",
    "case_files_screeners",
    "run_case",
    "run_case_files",
    "screener_or_error",
]


@dataclass
class CaseRun:
    """One case's run, or a case file that could not be run at all (``outcome`` is None).

    ``where`` is ``path:line`` of the case (of the file when it could not be read).
    """

    where: str
    name: str
    outcome: CaseOutcome | None = None
    error: str | None = None

    @property
    def passed(self) -> bool:
        """Whether the case ran and every expectation held."""
        return self.outcome is not None and self.outcome.passed

    def report(self) -> str:
        """Why the case failed, as printed by ``riskscreen test`` and pytest."""
        if self.outcome is not None:
            return failure_text(self.where, self.outcome)
        return f"case {self.name!r} at {self.where} could not run:\n{self.error}"


@dataclass
class TestRun:
    """Every case run, and the screeners they used (for rule coverage)."""

    __test__ = False  # not a pytest test class

    runs: list[CaseRun] = field(default_factory=list)
    screeners: list[Screener] = field(default_factory=list)

    @property
    def passed(self) -> int:
        """How many cases passed."""
        return sum(1 for run in self.runs if run.passed)

    @property
    def failed(self) -> int:
        """How many cases failed or could not run."""
        return len(self.runs) - self.passed

    def summary_line(self) -> str:
        """``N passed, M failed``."""
        return f"{self.passed} passed, {self.failed} failed"


def case_files_for(paths: Iterable[str | os.PathLike[str]]) -> list[Path]:
    """``*.test.yaml`` files for ``paths``: folders searched, and the cases beside a pack file."""
    found: list[Path] = []
    for raw in paths:
        path = Path(raw)
        if path.is_file() and not path.name.endswith((".test.yaml", ".test.yml")):
            beside = path.parent.glob("*.test.y*ml")
            found.extend(sorted(p for p in beside if p.name.endswith((".test.yaml", ".test.yml"))))
        else:
            found.extend(find_case_files([path]))
    return list(dict.fromkeys(found))


def run_case(
    case_file: CaseFile, index: int, screener: Screener | RuleLoadError, *, explain_failures: bool = True
) -> CaseRun:
    """Run case ``index`` of a loaded file with the screener it asked for (or its load error)."""
    case = case_file.cases[index]
    where = f"{case_file.shown or case_file.path}:{case_file.lines[index]}"
    if isinstance(screener, RuleLoadError):
        return CaseRun(where, case.name, error=f"the rule packs did not load:\n{screener.render()}")
    try:
        outcome = check_case(screener, case, index, explain_failures=explain_failures)
    except Exception as exc:  # a crash in one case must not stop the others
        return CaseRun(where, case.name, error=f"running the case raised {type(exc).__name__}: {exc}")
    return CaseRun(where, case.name, outcome=outcome)


def screener_or_error(
    case_file: CaseFile, *, rules: Sequence[str | os.PathLike[str]] = (), builtin: bool = True
) -> Screener | RuleLoadError:
    """The screener a case file asks for (plus ``rules``, and without the shipped packs
    when ``builtin`` is false), or why it could not be built."""
    try:
        return screener_for(case_file, rules=rules, builtin=builtin)
    except RuleLoadError as exc:
        return exc


def run_case_files(
    paths: Iterable[str | os.PathLike[str]],
    *,
    explain_failures: bool = True,
    rules: Sequence[str | os.PathLike[str]] = (),
    builtin: bool = True,
) -> TestRun:
    """Run every case in the case files named by or found under ``paths``.

    ``rules`` adds packs to every file's rule set and ``builtin=False`` screens every file
    without the shipped packs and plugins, as ``riskscreen test --rules`` / ``--no-builtin``.
    """
    run = TestRun()
    for path in case_files_for(paths):
        try:
            case_file = load_case_file(path)
        except RuleLoadError as exc:
            run.runs.append(CaseRun(str(exc.problems[0].location), "(whole file)", error=exc.render()))
            continue
        screener = screener_or_error(case_file, rules=rules, builtin=builtin)
        if isinstance(screener, Screener) and all(s is not screener for s in run.screeners):
            run.screeners.append(screener)
        for index in range(len(case_file.cases)):
            run.runs.append(run_case(case_file, index, screener, explain_failures=explain_failures))
    return run


def case_files_screeners(paths: Iterable[str | os.PathLike[str]]) -> list[Screener]:
    """The screeners the case files named by or found under ``paths`` ask for (those that load)."""
    screeners: list[Screener] = []
    for path in case_files_for(paths):
        try:
            screener = screener_or_error(load_case_file(path))
        except RuleLoadError:
            continue
        if isinstance(screener, Screener) and all(s is not screener for s in screeners):
            screeners.append(screener)
    return screeners
