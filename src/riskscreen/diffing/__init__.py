"""Rule changes against history: what a change does to an archive of past reports.

:func:`diff` screens an archive with two rule sets (a base from a git ref or a folder,
and the head) in one pass and compares them; :func:`backtest` counts one rule set's
results per week or month. Both run locally or on a Dask cluster with the same results.

Modules, one concern each: ``archives`` (reading archives), ``sides`` (where each side's
packs come from), ``bundle`` (rule sets as contents for workers), ``tasks`` and
``aggregate`` (the work on one partition and how partitions merge), ``execute`` (local
or Dask), ``ruledefs`` (rule definitions compared), ``failif`` (conditions),
``models`` (typed results), ``render_diff`` / ``render_backtest`` (Markdown, JUnit, CSV).
"""

from .api import backtest, diff
from .archives import ArchiveError, ArchiveFile, ArchiveReport
from .execute import DaskError
from .failif import METRICS
from .models import BacktestResult, Check, DiffResult, PeriodCounts, RuleCounts, SideSummary, UndecidedChange
from .ruledefs import FieldChange, RuleChange
from .sides import SideError

__all__ = [
    "METRICS",
    "ArchiveError",
    "ArchiveFile",
    "ArchiveReport",
    "BacktestResult",
    "Check",
    "DaskError",
    "DiffResult",
    "FieldChange",
    "PeriodCounts",
    "RuleChange",
    "RuleCounts",
    "SideError",
    "SideSummary",
    "UndecidedChange",
    "backtest",
    "diff",
]
