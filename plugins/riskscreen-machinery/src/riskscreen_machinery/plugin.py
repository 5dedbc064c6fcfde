"""The hook implementations riskscreen finds through the ``riskscreen`` entry point.

Registered as plugin ``machinery``: disable it with ``Screener(disable_plugins=["machinery"])``,
``--disable-plugin machinery`` or ``RISKSCREEN_DISABLE_PLUGINS=machinery``; configure it with
``Settings(plugins={"machinery": {...}})`` (see :class:`~riskscreen_machinery.config.MachineryConfig`).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from riskscreen import CheckFinding, CheckInfo, CheckUndecided, DerivedField, Observation, Record, hookimpl

from . import __version__
from .checks import CHECKS, run_checks
from .config import MachineryConfig
from .derived import CATEGORY, DERIVED_FIELDS, DERIVED_INPUTS, machinery_derived
from .models import MachineryAttrs
from .tables import CLEARANCE_BANDS, CORRIDOR_BANDS, value_for

__all__ = [
    "PACK_DIR",
    "__version__",
    "machinery_clearance_m",
    "machinery_corridor_m",
    "riskscreen_categories",
    "riskscreen_check",
    "riskscreen_checks",
    "riskscreen_config_model",
    "riskscreen_derived",
    "riskscreen_enrich",
    "riskscreen_functions",
    "riskscreen_rule_packs",
]

#: The folder holding the plugin's rule pack (``machinery.yaml``) and its cases.
PACK_DIR = Path(__file__).parent / "rules"


def machinery_clearance_m(kv: float) -> float:
    """Minimum safe working distance (m) from a ``kv`` line's edge, per JGJ 46-2005 table 4.1.2.

    Uses the national table, not the plugin configuration (functions get no configuration);
    above 500 kV there is no value and the rule calling it becomes insufficient.
    """
    metres = value_for(kv, CLEARANCE_BANDS)
    if metres is None:
        raise ValueError(f"no minimum clearance in JGJ 46 table 4.1.2 for {kv:g} kV")
    return metres


def machinery_corridor_m(kv: float) -> float:
    """Protection-zone width (m) on each side of a ``kv`` line, per 电力设施保护条例 §10.

    0 below 1 kV; above 500 kV there is no value and the calling rule becomes insufficient.
    """
    metres = value_for(kv, CORRIDOR_BANDS)
    if metres is None:
        raise ValueError(f"no protection-zone width in 电力设施保护条例 §10 for {kv:g} kV")
    return metres


@hookimpl
def riskscreen_rule_packs() -> list[str | Path]:
    """The folder of the ``machinery`` pack."""
    return [PACK_DIR]


@hookimpl
def riskscreen_categories() -> Mapping[str, type[BaseModel]]:
    """The ``machinery`` category and its attribute model."""
    return {CATEGORY: MachineryAttrs}


@hookimpl
def riskscreen_derived() -> Mapping[str, str | DerivedField]:
    """The ``derived.machinery_*`` fields: type, meaning and the attributes they are computed from."""
    return {
        name: DerivedField(type=type_name, inputs=DERIVED_INPUTS[name], description=meaning)
        for name, (type_name, meaning) in DERIVED_FIELDS.items()
    }


@hookimpl
def riskscreen_functions() -> Mapping[str, Callable[..., Any]]:
    """Table look-ups rules may call."""
    return {
        "machinery_clearance_m": machinery_clearance_m,
        "machinery_corridor_m": machinery_corridor_m,
    }


@hookimpl
def riskscreen_config_model() -> type[BaseModel]:
    """The plugin's configuration model."""
    return MachineryConfig


@hookimpl
def riskscreen_checks() -> list[CheckInfo]:
    """The plugin's Python checks."""
    return list(CHECKS)


@hookimpl
def riskscreen_enrich(
    observation: Observation, derived: Mapping[str, Any], config: MachineryConfig | None
) -> Mapping[str, Any] | None:
    """The ``derived.machinery_*`` values of a machinery observation; nothing for other categories."""
    if observation.category != CATEGORY:
        return None
    return machinery_derived(observation, derived, config or MachineryConfig())


@hookimpl
def riskscreen_check(
    observation: Observation, record: Record, config: MachineryConfig | None
) -> list[CheckFinding | CheckUndecided] | None:
    """Run the plugin's checks on a machinery observation (a check left open is undecided)."""
    if observation.category != CATEGORY:
        return None
    return run_checks(observation, record, config or MachineryConfig())
