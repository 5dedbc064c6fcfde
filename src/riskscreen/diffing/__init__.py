"""Rule changes against history: what a change does to an archive of past reports.

:func:`diff` screens an archive with two rule sets (a base from a git ref or a folder,
and the head) in one pass and compares them; :func:`backtest` counts one rule set's
results per week or month. Both run locally or on a Dask cluster with the same results.

Modules, one concern each: ``archives`` (reading archives), ``sides`` (where each side's
packs come from), ``bundle`` (rule sets as contents for workers), ``tasks`` and
``aggregate`` (the work on one partition and how partitions merge), ``shortcut``
(categories a change does not touch), ``execute`` (here, in processes or on Dask),
``ruledefs`` (rule definitions compared), ``failif`` (conditions), ``models`` (typed
results), ``render_diff`` / ``render_backtest`` (Markdown, JUnit, CSV).

Names are imported on first use, so that ``import riskscreen`` and every other command
do not pay for this package.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .api import backtest, diff
    from .archives import ArchiveError, ArchiveFile, ArchiveReport
    from .execute import DaskError
    from .failif import METRICS
    from .models import (
        BacktestResult,
        Check,
        DiffResult,
        PeriodCounts,
        RuleCounts,
        SideSummary,
        UndecidedChange,
    )
    from .ruledefs import FieldChange, RuleChange
    from .sides import SideError

#: Public name → the module that defines it.
_WHERE = {
    "METRICS": "failif",
    "ArchiveError": "archives",
    "ArchiveFile": "archives",
    "ArchiveReport": "archives",
    "BacktestResult": "models",
    "Check": "models",
    "DaskError": "execute",
    "DiffResult": "models",
    "FieldChange": "ruledefs",
    "PeriodCounts": "models",
    "RuleChange": "ruledefs",
    "RuleCounts": "models",
    "SideError": "sides",
    "SideSummary": "models",
    "UndecidedChange": "models",
    "backtest": "api",
    "diff": "api",
}

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


def __getattr__(name: str) -> Any:
    module = _WHERE.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f".{module}", __name__), name)
    globals()[name] = value  # later lookups find it directly
    return value
