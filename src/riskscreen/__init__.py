"""riskscreen: screen grid-governance field reports for risk.

Load YAML rule packs into a :class:`Screener`, hand it observations, get prioritized
alerts::

    from riskscreen import Screener

    screener = Screener(["my_packs/"])
    result = screener.screen({"id": "obs-1", "category": "well_drilling", ...})
    batch = screener.screen_many(records)
"""

from typing import TYPE_CHECKING, Any

from ._paths import builtin_rules_dir
from ._version import __version__
from .engine.record import Record
from .errors import Problem, RiskscreenError, RuleLoadError, SourceLocation
from .hookspecs import hookimpl
from .models import (
    Alert,
    BatchResult,
    ErrorRecord,
    Finding,
    History,
    Insufficient,
    Location,
    Observation,
    PluginError,
    Provenance,
    Reporter,
    ScreenResult,
    Summary,
    UndecidedRecord,
)
from .plugin_api import CheckFinding, CheckInfo, CheckUndecided, DerivedField
from .screener import InvalidInput, Screener
from .seasons import YearlyWindow
from .settings import Band, Settings
from .spec import NotPortableError, ScreenerSpec

if TYPE_CHECKING:
    from .diffing import BacktestResult, DiffResult, backtest, diff

__all__ = [
    "Alert",
    "BacktestResult",
    "Band",
    "BatchResult",
    "CheckFinding",
    "CheckInfo",
    "CheckUndecided",
    "DerivedField",
    "DiffResult",
    "ErrorRecord",
    "Finding",
    "History",
    "Insufficient",
    "InvalidInput",
    "Location",
    "NotPortableError",
    "Observation",
    "PluginError",
    "Problem",
    "Provenance",
    "Record",
    "Reporter",
    "RiskscreenError",
    "RuleLoadError",
    "ScreenResult",
    "Screener",
    "ScreenerSpec",
    "Settings",
    "SourceLocation",
    "Summary",
    "UndecidedRecord",
    "YearlyWindow",
    "__version__",
    "backtest",
    "builtin_rules_dir",
    "diff",
    "hookimpl",
]

#: Loaded on first use: rule diffs and backtests are not needed to screen.
_LAZY = {"BacktestResult", "DiffResult", "backtest", "diff"}


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        from . import diffing

        return getattr(diffing, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
