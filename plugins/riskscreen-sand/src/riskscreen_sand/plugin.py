"""The hook implementations of the ``sand`` plugin (entry point ``riskscreen: sand``).

Set-up hooks describe what the plugin adds; the record hooks compute ``derived.sand_*``
and run the Python checks, for ``sand_digging`` observations only.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from os import PathLike
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from riskscreen import CheckFinding, CheckInfo, CheckUndecided, DerivedField, Observation, Record, hookimpl

from . import checks, functions
from . import derived as derived_fields
from .config import SandConfig
from .models import SandDiggingAttrs

__all__ = [
    "CATEGORY",
    "RULES_DIR",
    "riskscreen_categories",
    "riskscreen_check",
    "riskscreen_checks",
    "riskscreen_config_model",
    "riskscreen_derived",
    "riskscreen_enrich",
    "riskscreen_functions",
    "riskscreen_rule_packs",
]

#: The category this plugin screens.
CATEGORY = "sand_digging"
#: The folder of the ``sand`` rule pack and its regression cases.
RULES_DIR = Path(__file__).parent / "rules"


def _config(config: Any) -> SandConfig:
    # The host passes the validated configuration; a direct call may pass nothing.
    return config if isinstance(config, SandConfig) else SandConfig()


@hookimpl
def riskscreen_rule_packs() -> list[str | PathLike[str]]:
    """The ``sand`` pack shipped inside the package."""
    return [RULES_DIR]


@hookimpl
def riskscreen_categories() -> Mapping[str, type[BaseModel]]:
    """``sand_digging`` -> :class:`~riskscreen_sand.models.SandDiggingAttrs`."""
    return {CATEGORY: SandDiggingAttrs}


@hookimpl
def riskscreen_derived() -> Mapping[str, str | DerivedField]:
    """The ``derived.sand_*`` fields, their types and the attributes they are computed from."""
    return {
        name: DerivedField(type=type_name, inputs=derived_fields.DERIVED_INPUTS[name])
        for name, type_name in derived_fields.DERIVED_TYPES.items()
    }


@hookimpl
def riskscreen_functions() -> Mapping[str, Callable[..., Any]]:
    """``sand_any_in`` and ``sand_in_pipeline_crossing_zone``."""
    return dict(functions.FUNCTIONS)


@hookimpl
def riskscreen_config_model() -> type[BaseModel] | None:
    """:class:`~riskscreen_sand.config.SandConfig`."""
    return SandConfig


@hookimpl
def riskscreen_checks() -> list[CheckInfo]:
    """SAND-101 (情节严重), SAND-102 (情节特别严重), SAND-103 (repeat offence)."""
    return list(checks.CHECKS)


@hookimpl
def riskscreen_enrich(
    observation: Observation, derived: Mapping[str, Any], config: Any
) -> Mapping[str, Any] | None:
    """The ``derived.sand_*`` values of a ``sand_digging`` observation; nothing for others."""
    if observation.category != CATEGORY:
        return None
    return derived_fields.compute(observation, derived, _config(config))


@hookimpl
def riskscreen_check(
    observation: Observation, record: Record, config: Any
) -> list[CheckFinding | CheckUndecided] | None:
    """The value-threshold and repeat-offence checks of a ``sand_digging`` observation.

    A check a missing value leaves open comes back as :class:`~riskscreen.CheckUndecided`.
    """
    if observation.category != CATEGORY:
        return None
    return checks.run_checks(record, _config(config))
