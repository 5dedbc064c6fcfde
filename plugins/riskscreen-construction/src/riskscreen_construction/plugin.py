"""The hook implementations of the ``construction`` plugin (entry point ``riskscreen``).

Set-up hooks describe what the plugin adds (category, derived fields, function, checks,
configuration, rule pack); record hooks act only on ``construction`` observations.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import date
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from riskscreen import CheckFinding, CheckInfo, CheckUndecided, DerivedField, Observation, Record, hookimpl

from .checks import CHECKS, area_cap_undecided, check_area_cap, check_repeat_offence
from .config import ConstructionConfig
from .derived import DERIVED_FIELDS, DERIVED_INPUTS, corridor_width_m, derive
from .models import ConstructionAttrs

__all__ = [
    "CATEGORY",
    "construction_corridor_m",
    "riskscreen_categories",
    "riskscreen_check",
    "riskscreen_checks",
    "riskscreen_config_model",
    "riskscreen_derived",
    "riskscreen_enrich",
    "riskscreen_functions",
    "riskscreen_rule_packs",
]

#: The category this plugin describes.
CATEGORY = "construction"
_RULES = Path(__file__).parent / "rules"


def construction_corridor_m(kv: float) -> float:
    """Power-line protection corridor width in metres for ``kv`` kV (电力设施保护条例 第十条)."""
    return corridor_width_m(kv)


# -- set-up hooks ------------------------------------------------------------------------


@hookimpl
def riskscreen_rule_packs() -> list[Path]:
    """The ``construction`` pack shipped inside the package."""
    return [_RULES]


@hookimpl
def riskscreen_categories() -> Mapping[str, type[BaseModel]]:
    """``construction`` -> :class:`ConstructionAttrs`."""
    return {CATEGORY: ConstructionAttrs}


@hookimpl
def riskscreen_derived() -> Mapping[str, str | DerivedField]:
    """The ``derived.construction_*`` fields, their types and the attributes they are computed from."""
    return {
        name: DerivedField(type=type_name, inputs=DERIVED_INPUTS[name])
        for name, type_name in DERIVED_FIELDS.items()
    }


@hookimpl
def riskscreen_functions() -> Mapping[str, Callable[..., Any]]:
    """``construction_corridor_m(kv)`` for rule expressions."""
    return {"construction_corridor_m": construction_corridor_m}


@hookimpl
def riskscreen_config_model() -> type[BaseModel]:
    """:class:`ConstructionConfig`: homestead caps, flood season, repeat-offence thresholds."""
    return ConstructionConfig


@hookimpl
def riskscreen_checks() -> list[CheckInfo]:
    """CONS-101 (homestead area cap) and CONS-102 (repeat offence)."""
    return list(CHECKS)


# -- record hooks --------------------------------------------------------------------------


def _event_day(observation: Observation, derived: Mapping[str, Any]) -> date:
    local = derived.get("local_date")
    if isinstance(local, str):
        return date.fromisoformat(local)
    return (observation.occurred_at or observation.reported_at).date()


@hookimpl
def riskscreen_enrich(
    observation: Observation, derived: Mapping[str, Any], config: ConstructionConfig | None
) -> Mapping[str, Any] | None:
    """The ``derived.construction_*`` values of a construction observation."""
    if observation.category != CATEGORY:
        return None
    return derive(observation.attrs, _event_day(observation, derived), config or ConstructionConfig())


@hookimpl
def riskscreen_check(
    observation: Observation, record: Record, config: ConstructionConfig | None
) -> list[CheckFinding | CheckUndecided] | None:
    """Run CONS-101 and CONS-102 on a construction observation (CONS-101 undecided without an area)."""
    if observation.category != CATEGORY:
        return None
    settings = config or ConstructionConfig()
    return [
        *check_area_cap(observation.attrs, record, settings),
        *area_cap_undecided(observation.attrs, settings),
        *check_repeat_offence(record, settings),
    ]
