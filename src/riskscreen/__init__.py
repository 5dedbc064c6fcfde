"""riskscreen: screen grid-governance field reports for risk.

Load YAML rule packs into a :class:`Screener`, hand it observations, get prioritized
alerts::

    from riskscreen import Screener

    screener = Screener(["my_packs/"])
    result = screener.screen({"id": "obs-1", "category": "well_drilling", ...})
    batch = screener.screen_many(records)
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from . import _lazy_rule_engine
from ._version import __version__

# rule-engine's parser is built only when an expression must be parsed (see _lazy_rule_engine)
_lazy_rule_engine.install()

if TYPE_CHECKING:
    from ._paths import builtin_rules_dir
    from .diffing import BacktestResult, DiffResult, backtest, diff
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
        PluginFailure,
        Provenance,
        Reporter,
        ScreenResult,
        Summary,
        UndecidedRecord,
    )
    from .plugin_api import CheckFinding, CheckInfo, CheckUndecided, DerivedField
    from .screener import Screener, UnreadableRecord
    from .seasons import YearlyWindow
    from .settings import Band, Settings
    from .spec import NotPortableError, ScreenerSpec

#: Where each public name lives: imported on first use, so that ``import riskscreen`` (and
#: every command's start) pays only for what it uses.
_HOMES = {
    "builtin_rules_dir": "._paths",
    **dict.fromkeys(("BacktestResult", "DiffResult", "backtest", "diff"), ".diffing"),
    "Record": ".engine.record",
    **dict.fromkeys(("Problem", "RiskscreenError", "RuleLoadError", "SourceLocation"), ".errors"),
    "hookimpl": ".hookspecs",
    **dict.fromkeys(
        (
            "Alert",
            "BatchResult",
            "ErrorRecord",
            "Finding",
            "History",
            "Insufficient",
            "Location",
            "Observation",
            "PluginFailure",
            "Provenance",
            "Reporter",
            "ScreenResult",
            "Summary",
            "UndecidedRecord",
        ),
        ".models",
    ),
    **dict.fromkeys(("CheckFinding", "CheckInfo", "CheckUndecided", "DerivedField"), ".plugin_api"),
    **dict.fromkeys(("Screener", "UnreadableRecord"), ".screener"),
    "YearlyWindow": ".seasons",
    **dict.fromkeys(("Band", "Settings"), ".settings"),
    **dict.fromkeys(("NotPortableError", "ScreenerSpec"), ".spec"),
}


#: Earlier names of public classes, kept working with a DeprecationWarning. They named data
#: classes with an exception's suffix; only exceptions end in ``Error``.
_DEPRECATED = {"InvalidInput": "UnreadableRecord", "PluginError": "PluginFailure"}


def __getattr__(name: str) -> Any:
    if name in _DEPRECATED:
        import warnings

        new = _DEPRECATED[name]
        warnings.warn(
            f"riskscreen.{name} is deprecated; use riskscreen.{new}", DeprecationWarning, stacklevel=2
        )
        return __getattr__(new)
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(home, __name__), name)
    globals()[name] = value  # looked up once
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_HOMES))


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
    "Location",
    "NotPortableError",
    "Observation",
    "PluginFailure",
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
    "UnreadableRecord",
    "YearlyWindow",
    "__version__",
    "backtest",
    "builtin_rules_dir",
    "diff",
    "hookimpl",
]
