"""The pytest plugin: every ``*.test.yaml`` rule regression case is a pytest item.

Registered under the ``pytest11`` entry point as ``riskscreen``, so installing riskscreen
is enough: ``pytest`` in a rules repository collects the case files, names each item
``file.test.yaml::case name``, reports a failure as expected against actual with the
explanation of the rules involved (no traceback), points ``reportinfo`` at the case's
line, and writes JUnit XML with ``--junitxml``. ``--rule-coverage`` prints rule coverage
and ``--rule-coverage-fail-under PERCENT`` fails the session below it. ``-p no:riskscreen``
turns the plugin off.

riskscreen's own modules are imported inside the hooks, when a case file is collected.
"""

from __future__ import annotations

from collections.abc import Generator, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

if TYPE_CHECKING:
    from .cases import CaseFile
    from .coverage import CaseEvidence, CoverageReport

__all__ = ["CaseFileNode", "CaseItem"]

_RUNS: pytest.StashKey[list[CaseEvidence]] = pytest.StashKey()
_SAID: pytest.StashKey[set[str]] = pytest.StashKey()
_COVERAGE: pytest.StashKey[tuple[CoverageReport, str | None]] = pytest.StashKey()


def pytest_addoption(parser: pytest.Parser) -> None:
    """``--rule-coverage`` and ``--rule-coverage-fail-under``."""
    group = parser.getgroup("riskscreen", "riskscreen rule regression cases (*.test.yaml)")
    group.addoption(
        "--rule-coverage",
        action="store_true",
        default=False,
        help="report, for every rule in packs under the tested paths, whether a case made it fire "
        "and a case held it silent",
    )
    group.addoption(
        "--rule-coverage-fail-under",
        type=float,
        default=None,
        metavar="PERCENT",
        help="fail the session when rule coverage is below PERCENT (implies --rule-coverage)",
    )


def pytest_configure(config: pytest.Config) -> None:
    """Make room for the case runs the coverage report is computed from, and collect them."""
    config.stash[_RUNS] = []
    config.pluginmanager.register(_Evidence(config.stash[_RUNS]), "riskscreen-case-evidence")


class _Evidence:
    """Collects what every case showed, from this process's reports or a worker's."""

    def __init__(self, runs: list[CaseEvidence]) -> None:
        self.runs = runs

    def pytest_runtest_logreport(self, report: pytest.TestReport) -> None:
        """Keep a case's evidence (reports of other tests carry none)."""
        data = getattr(report, "riskscreen_case", None)
        if data is None:
            return
        from .coverage import CaseEvidence

        where, passed, fires, not_fires = data
        self.runs.append(CaseEvidence(where, bool(passed), tuple(fires), tuple(not_fires)))


def pytest_collect_file(file_path: Path, parent: pytest.Collector) -> CaseFileNode | None:
    """Collect ``*.test.yaml`` (and ``*.test.yml``) files."""
    if file_path.name.endswith((".test.yaml", ".test.yml")):
        node: CaseFileNode = CaseFileNode.from_parent(parent, path=file_path)
        return node
    return None


class CaseFileError(Exception):
    """A case file that could not be read; its text is the list of problems."""


class CaseFailedError(Exception):
    """A case whose expectations did not hold; its text is the failure report."""


class CaseFileNode(pytest.File):
    """A ``*.test.yaml`` file; its children are the cases."""

    def collect(self) -> Iterator[CaseItem]:
        """One item per case, named after it (a repeated name gets ``#2``, ``#3``)."""
        from ..errors import RuleLoadError
        from .cases import load_case_file

        try:
            case_file = load_case_file(self.path)
        except RuleLoadError as exc:
            raise CaseFileError(exc.render()) from None
        seen: dict[str, int] = {}
        for index, case in enumerate(case_file.cases):
            seen[case.name] = seen.get(case.name, 0) + 1
            name = case.name if seen[case.name] == 1 else f"{case.name} #{seen[case.name]}"
            yield CaseItem.from_parent(self, name=name, case_file=case_file, index=index)

    def repr_failure(self, excinfo: pytest.ExceptionInfo[BaseException]) -> Any:  # type: ignore[override]
        """The file's problems, each at ``path:line:col``, instead of a traceback."""
        if isinstance(excinfo.value, CaseFileError):
            return f"cannot read the case file:\n{excinfo.value}"
        return super().repr_failure(excinfo)


class CaseItem(pytest.Item):
    """One case of a case file."""

    def __init__(self, *, case_file: CaseFile, index: int, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.case_file = case_file
        self.index = index
        self.evidence: CaseEvidence | None = None

    def runtest(self) -> None:
        """Screen the case's observation and check its expectations."""
        from .coverage import CaseEvidence
        from .runner import run_case, screener_or_error

        run = run_case(self.case_file, self.index, screener_or_error(self.case_file))
        self.evidence = CaseEvidence.of(run)
        if not run.passed:
            said = self.config.stash.setdefault(_SAID, set())
            if run.outcome is None and run.error in said:
                # one load error is shown once; the file's other cases point back to it
                raise CaseFailedError(f"case {run.name!r} at {run.where} could not run (the same problems)")
            if run.outcome is None and run.error is not None:
                said.add(run.error)
            raise CaseFailedError(run.report())

    def repr_failure(self, excinfo: pytest.ExceptionInfo[BaseException], style: Any = None) -> Any:
        """Expected against actual and the explanation, instead of a traceback."""
        if isinstance(excinfo.value, CaseFailedError):
            return str(excinfo.value)
        return super().repr_failure(excinfo, style=style)

    def reportinfo(self) -> tuple[Path, int, str]:
        """The case file and the case's line (0-based, as pytest wants it)."""
        return self.path, self.case_file.lines[self.index] - 1, f"case: {self.name}"


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(
    item: pytest.Item, call: pytest.CallInfo[None]
) -> Generator[None, pytest.TestReport, pytest.TestReport]:
    """Put what a case showed on its report, as plain data.

    Reports travel from pytest-xdist workers to the controller with their plain attributes,
    so the coverage figure is computed from the same evidence however the cases ran.
    """
    report = yield
    evidence = getattr(item, "evidence", None)
    if call.when == "call" and evidence is not None:
        report.riskscreen_case = [  # type: ignore[attr-defined]
            evidence.where,
            evidence.passed,
            list(evidence.fires),
            list(evidence.not_fires),
        ]
    return report


def _tested_paths(config: pytest.Config) -> list[Path]:
    base = config.invocation_params.dir
    paths = [base / arg.split("::", 1)[0] for arg in config.args]
    return paths or [config.rootpath]


@pytest.hookimpl(wrapper=True)
def pytest_runtestloop(session: pytest.Session) -> Iterator[None]:
    """After the cases ran: rule coverage, and a failed session when it is below the threshold."""
    result = yield
    config = session.config
    threshold: float | None = config.getoption("rule_coverage_fail_under")
    # a pytest-xdist worker only runs cases: the controller gets their evidence and decides
    if not (config.getoption("rule_coverage") or threshold is not None) or hasattr(config, "workerinput"):
        return result
    from .coverage import rule_coverage, rules_under
    from .runner import case_files_screeners

    paths = _tested_paths(config)
    runs: list[CaseEvidence] = config.stash[_RUNS]
    report = rule_coverage(runs, rules_under(case_files_screeners(paths), paths))
    verdict = None
    if threshold is not None and report.percent < threshold:
        verdict = (
            f"FAIL: rule coverage {report.percent:.1f}% is below --rule-coverage-fail-under={threshold:g}"
        )
        session.testsfailed += 1
    config.stash[_COVERAGE] = (report, verdict)
    return result


def pytest_terminal_summary(terminalreporter: Any, exitstatus: int, config: pytest.Config) -> None:
    """The rule coverage table, when asked for."""
    found = config.stash.get(_COVERAGE, None)
    if found is None:
        return
    report, verdict = found
    terminalreporter.write_sep("-", "riskscreen rule coverage")
    terminalreporter.write_line(report.render())
    if verdict is not None:
        terminalreporter.write_line(verdict, red=True, bold=True)
