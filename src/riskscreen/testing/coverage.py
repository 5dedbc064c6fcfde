"""Rule coverage: for every rule, did some case make it fire, and did some case hold it silent?

A rule counts as *fired* when a passing case lists it under ``fires`` and as *silent*
when a passing case lists it under ``not_fires``: coverage counts what the cases assert,
not what merely happened while they ran. The figure is the share of those two outcomes
demonstrated over all rules in scope (a rule with both counts twice, with one counts
once), so 100% means every rule has been seen both firing and staying silent.
"""

from __future__ import annotations

import contextlib
import os
import sys
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from .._paths import builtin_rules_dir
from ..errors import RuleLoadError
from ..packs.files import is_test_file
from ..screener import Screener
from .cases import load_case_file
from .runner import CaseRun, case_files_for

__all__ = [
    "CaseEvidence",
    "CoverageReport",
    "RuleCoverage",
    "RuleRef",
    "rule_coverage",
    "rules_of",
    "rules_under",
    "scope_roots",
]


@dataclass(frozen=True)
class RuleRef:
    """A rule (or plugin check) to be covered: its id, pack and source."""

    id: str
    pack: str
    source: str


@dataclass(frozen=True)
class RuleCoverage:
    """One rule's coverage: the cases (``path:line``) that made it fire and that held it silent."""

    rule: RuleRef
    fired_by: tuple[str, ...]
    silenced_by: tuple[str, ...]

    @property
    def fired(self) -> bool:
        """Whether some passing case made the rule fire."""
        return bool(self.fired_by)

    @property
    def silent(self) -> bool:
        """Whether some passing case held the rule silent."""
        return bool(self.silenced_by)


@dataclass(frozen=True)
class CoverageReport:
    """Coverage of every rule in scope."""

    rules: tuple[RuleCoverage, ...]

    @property
    def percent(self) -> float:
        """Outcomes demonstrated over outcomes possible (two per rule), in percent.

        With no rules in scope the figure is 0: nothing was shown, so no gate can pass on it.
        """
        if not self.rules:
            return 0.0
        shown = sum(int(r.fired) + int(r.silent) for r in self.rules)
        return 100.0 * shown / (2 * len(self.rules))

    @property
    def uncovered(self) -> list[RuleCoverage]:
        """Rules missing a firing case, a silent case, or both."""
        return [r for r in self.rules if not (r.fired and r.silent)]

    def headline(self) -> str:
        """``rule coverage 95.0%: 19 of 20 rules fire and stay silent in some case``."""
        complete = len(self.rules) - len(self.uncovered)
        if not self.rules:
            return (
                "rule coverage 0.0%: no rules in scope (a folder counts the packs under it, a pack file "
                "itself, a case file the packs in its folder and under its 'rules:')"
            )
        return (
            f"rule coverage {self.percent:.1f}%: {complete} of {len(self.rules)} rules "
            "both fire and stay silent in some passing case"
        )

    def render(self, *, only_uncovered: bool = False) -> str:
        """A table of the rules: ``fires`` and ``silent`` are yes/NO, then where the rule is written."""
        rows = self.uncovered if only_uncovered else list(self.rules)
        width = max([len("rule"), *(len(r.rule.id) for r in rows)])
        lines = [f"  {'rule':<{width}}  fires  silent  source"]
        for row in rows:
            fired = "yes" if row.fired else "NO"
            silent = "yes" if row.silent else "NO"
            lines.append(f"  {row.rule.id:<{width}}  {fired:<5}  {silent:<6}  {row.rule.source}")
        return "\n".join([self.headline(), *lines]) if rows else self.headline()

    def as_dict(self) -> dict[str, object]:
        """The report as JSON-ready data."""
        return {
            "percent": round(self.percent, 2),
            "rules": [
                {
                    "id": r.rule.id,
                    "pack": r.rule.pack,
                    "source": r.rule.source,
                    "fired_by": list(r.fired_by),
                    "silenced_by": list(r.silenced_by),
                }
                for r in self.rules
            ],
        }


def rules_of(screener: Screener) -> list[RuleRef]:
    """Every rule the screener loaded and every check its plugins declare."""
    refs = [RuleRef(r.id, r.pack, r.source) for r in screener.ruleset.rules]
    known = {r.id for r in refs}
    for plugin, check in getattr(screener, "checks", ()):
        if check.id not in known:
            refs.append(RuleRef(check.id, plugin, f"plugin {plugin}"))
    return refs


def _source_file(source: str) -> Path | None:
    """The pack file a rule's ``source`` (``path:line``) names, if it exists."""
    shown = source.rsplit(":", 1)[0]
    candidates = [Path(shown)]
    if shown.startswith("rules/"):
        candidates.append(builtin_rules_dir() / shown.removeprefix("rules/"))
    # packs inside installed packages (plugins') are named from their import root on
    candidates.extend(Path(entry) / shown for entry in sys.path if entry)
    for candidate in candidates:
        if candidate.is_file():
            return candidate.resolve()
    return None


def scope_roots(paths: Iterable[str | os.PathLike[str]]) -> list[Path]:
    """The files and folders whose rules a coverage figure over ``paths`` counts.

    A folder counts the packs under it and a pack file itself; a case file counts the packs
    in its own folder. The packs that the case files in scope name under ``rules:`` count
    too, wherever they are written. ``riskscreen test`` and the pytest plugin both use this, so the figure is
    the same whichever way the cases are run.
    """
    roots: list[Path] = []
    for raw in paths:
        path = Path(raw)
        if path.is_file() and is_test_file(path):
            roots.extend(p for p in path.parent.glob("*.y*ml") if p.is_file() and not is_test_file(p))
        else:
            roots.append(path)
        for case_path in case_files_for([path]):
            # a case file that does not load is reported when it runs
            with contextlib.suppress(RuleLoadError):
                roots.extend(load_case_file(case_path).rule_paths)
    return [p.resolve() for p in roots]


def rules_under(screeners: Iterable[Screener], paths: Iterable[str | os.PathLike[str]]) -> list[RuleRef]:
    """The rules of ``screeners`` written in pack files in the scope of ``paths`` (:func:`scope_roots`)."""
    roots = scope_roots(paths)
    found: dict[str, RuleRef] = {}
    for screener in screeners:
        for rule in screener.ruleset.rules:
            file = _source_file(rule.source)
            if file is not None and any(file == root or root in file.parents for root in roots):
                found.setdefault(rule.id, RuleRef(rule.id, rule.pack, rule.source))
    return list(found.values())


def _order(rule: RuleRef) -> tuple[str, int, str]:
    file, _, line = rule.source.rpartition(":")
    return (file, int(line), rule.id) if line.isdigit() else (rule.source, 0, rule.id)


@dataclass(frozen=True)
class CaseEvidence:
    """What one case run shows for coverage: where it is, whether it passed, what it asserted.

    Plain data, so that a run in another process (a pytest-xdist worker) can send it back.
    """

    where: str
    passed: bool
    fires: tuple[str, ...] = ()
    not_fires: tuple[str, ...] = ()

    @classmethod
    def of(cls, run: CaseRun) -> CaseEvidence:
        """The evidence of a case run."""
        if run.outcome is None:
            return cls(run.where, False)
        expect = run.outcome.case.expect
        return cls(run.where, run.passed, tuple(expect.fires), tuple(expect.not_fires))


def rule_coverage(runs: Iterable[CaseRun | CaseEvidence], rules: Sequence[RuleRef]) -> CoverageReport:
    """Which of ``rules`` the passing cases among ``runs`` made fire and held silent."""
    fired: dict[str, list[str]] = {}
    silenced: dict[str, list[str]] = {}
    for run in runs:
        evidence = run if isinstance(run, CaseEvidence) else CaseEvidence.of(run)
        if not evidence.passed:
            continue
        for rule_id in evidence.fires:
            fired.setdefault(rule_id, []).append(evidence.where)
        for rule_id in evidence.not_fires:
            silenced.setdefault(rule_id, []).append(evidence.where)
    return CoverageReport(
        tuple(
            RuleCoverage(rule, tuple(fired.get(rule.id, ())), tuple(silenced.get(rule.id, ())))
            for rule in sorted(rules, key=_order)
        )
    )
