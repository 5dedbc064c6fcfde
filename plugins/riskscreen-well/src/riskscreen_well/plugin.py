"""The ``well`` plugin's hook implementations (entry point ``well = "riskscreen_well.plugin"``).

Record hooks act only on ``well_drilling`` observations; for every other category they
return nothing, so the ``derived.well_*`` fields are simply absent there.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from os import PathLike
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from riskscreen import (
    CheckFinding,
    CheckInfo,
    CheckUndecided,
    DerivedField,
    Finding,
    Observation,
    Record,
    hookimpl,
)

from . import checks
from .config import WellConfig
from .derived import DERIVED_FIELDS, DERIVED_INPUTS, compute, well_exempt_use, well_zone_exempt
from .models import WellAttrs

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
CATEGORY = "well_drilling"
#: The folder holding the ``well`` pack and its regression cases.
RULES_DIR = Path(__file__).parent / "rules"


def _config(config: Any) -> WellConfig:
    # the host passes the validated configuration; fall back to the defaults if it has none
    return config if isinstance(config, WellConfig) else WellConfig()


@hookimpl
def riskscreen_rule_packs() -> list[str | PathLike[str]]:
    """The ``well`` pack folder shipped inside the package."""
    return [RULES_DIR]


@hookimpl
def riskscreen_categories() -> Mapping[str, type[BaseModel]]:
    """``well_drilling`` and its attribute model."""
    return {CATEGORY: WellAttrs}


@hookimpl
def riskscreen_derived() -> Mapping[str, str | DerivedField]:
    """The ``derived.well_*`` fields, their types and the attributes they are computed from."""
    return {
        name: DerivedField(type=type_name, inputs=DERIVED_INPUTS[name])
        for name, type_name in DERIVED_FIELDS.items()
    }


@hookimpl
def riskscreen_functions() -> Mapping[str, Callable[..., Any]]:
    """Rule functions over the national-law purpose tables."""
    return {"well_exempt_use": well_exempt_use, "well_zone_exempt": well_zone_exempt}


@hookimpl
def riskscreen_config_model() -> type[BaseModel] | None:
    """The plugin's configuration model, :class:`~riskscreen_well.config.WellConfig`."""
    return WellConfig


@hookimpl
def riskscreen_checks() -> list[CheckInfo]:
    """WELL-101 (household quota) and WELL-102 (repeat offences)."""
    return list(checks.CHECKS)


@hookimpl
def riskscreen_enrich(
    observation: Observation, derived: Mapping[str, Any], config: Any
) -> Mapping[str, Any] | None:
    """The ``derived.well_*`` values of a ``well_drilling`` observation."""
    if observation.category != CATEGORY:
        return None
    return compute(observation.attrs, derived.get("local_date"), _config(config))


@hookimpl
def riskscreen_check(
    observation: Observation, record: Record, config: Any, findings: tuple[Finding, ...]
) -> list[CheckFinding | CheckUndecided] | None:
    """Run WELL-101 and WELL-102 on a ``well_drilling`` observation (WELL-102 reads ``findings``)."""
    if observation.category != CATEGORY:
        return None
    return checks.run_checks(observation, record, _config(config), findings)
