"""Pure functions behind the plugin's ``derived.machinery_*`` fields.

Every function takes plain values and returns a value or ``None``; ``None`` means "cannot
be decided from this report" and leaves the derived field absent, so a rule that reads
it is *insufficient* rather than silently false.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from riskscreen import History, Observation

from .config import MachineryConfig
from .tables import VoltageBand, value_for

__all__ = [
    "CATEGORY",
    "DERIVED_FIELDS",
    "DERIVED_INPUTS",
    "clearance_breached",
    "clearance_m",
    "corridor_m",
    "in_corridor",
    "is_night_hour",
    "is_repeat_offence",
    "machinery_derived",
    "night_work_violation",
    "noise_limit_db",
    "period_label",
    "uses_any",
]

#: The category whose observations this plugin enriches and checks.
CATEGORY = "machinery"

#: ``derived.*`` name -> (type name, meaning). Every name carries the ``machinery_`` prefix.
DERIVED_FIELDS: dict[str, tuple[str, str]] = {
    "machinery_night_work": ("bool", "作业时间在夜间时段内（取核心 derived.is_night，默认22:00–06:00）"),
    "machinery_period": ("string", "昼间 或 夜间，用于提示信息"),
    "machinery_noise_limit_db": ("float", "当前时段适用的场界噪声排放限值 Leq，dB(A)"),
    "machinery_night_lmax_limit_db": ("float", "夜间最大声级限值 Lmax，dB(A)"),
    "machinery_clearance_m": ("float", "该电压等级的最小安全操作距离，米（超出表列电压时缺失）"),
    "machinery_clearance_breached": ("bool", "作业距线路边线小于最小安全操作距离"),
    "machinery_corridor_m": ("float", "该电压等级的架空电力线路保护区宽度，米（超出表列电压时缺失）"),
    "machinery_in_power_corridor": ("bool", "作业点位于架空电力线路保护区内（距边线不超过保护区宽度）"),
    "machinery_excavating": ("bool", "现场有挖掘、打桩或钻探机械"),
    "machinery_corridor_work": ("bool", "现场有进入保护区须经批准的机械（挖掘、打桩、钻探、起重）"),
    "machinery_special_plan_depth_m": ("float", "需编制专项施工方案的开挖深度，米"),
    "machinery_expert_review_depth_m": ("float", "需专家论证的开挖深度，米"),
    "machinery_gas_protection_range_m": ("float", "适用的燃气设施保护范围，米"),
}

_EVENT_TIME = ["occurred_at", "reported_at"]
_LINE = ["attrs.power_line_kv", "attrs.power_line_distance_m"]

#: The observation fields each field is computed from: what a worker must collect when a
#: rule or check lacks the field (configured figures need nothing).
DERIVED_INPUTS: dict[str, list[str]] = {
    "machinery_night_work": _EVENT_TIME,
    "machinery_period": _EVENT_TIME,
    "machinery_noise_limit_db": _EVENT_TIME,
    "machinery_night_lmax_limit_db": [],
    "machinery_clearance_m": ["attrs.power_line_kv"],
    "machinery_clearance_breached": _LINE,
    "machinery_corridor_m": ["attrs.power_line_kv"],
    "machinery_in_power_corridor": _LINE,
    "machinery_excavating": ["attrs.equipment"],
    "machinery_corridor_work": ["attrs.equipment"],
    "machinery_special_plan_depth_m": [],
    "machinery_expert_review_depth_m": [],
    "machinery_gas_protection_range_m": [],
}

_NIGHT_START, _NIGHT_END = 22, 6


def is_night_hour(hour: int, start: int = _NIGHT_START, end: int = _NIGHT_END) -> bool:
    """Whether ``hour`` (0–23) lies in a night window that may wrap over midnight."""
    if start == end:
        return False
    return start <= hour or hour < end if start > end else start <= hour < end


def period_label(night: bool) -> str:
    """``夜间`` at night, ``昼间`` by day."""
    return "夜间" if night else "昼间"


def noise_limit_db(night: bool, config: MachineryConfig) -> float:
    """The site-boundary Leq limit that applies now (GB 12523 table 1)."""
    return config.night_noise_limit_db if night else config.day_noise_limit_db


def uses_any(equipment: Iterable[str], names: Iterable[str]) -> bool:
    """Whether some equipment item contains one of ``names`` (``履带式挖掘机`` matches ``挖掘机``)."""
    wanted = tuple(names)
    return any(name in item for item in equipment for name in wanted)


def clearance_m(kv: float, bands: Sequence[VoltageBand]) -> float | None:
    """Minimum safe working distance from the edge conductor of a ``kv`` line, or ``None``."""
    return value_for(kv, bands)


def corridor_m(kv: float, bands: Sequence[VoltageBand]) -> float | None:
    """Protection-zone width on each side of a ``kv`` line, or ``None`` above the table."""
    return value_for(kv, bands)


def clearance_breached(distance_m: float, kv: float, bands: Sequence[VoltageBand]) -> bool | None:
    """Whether work ``distance_m`` from a ``kv`` line is closer than the table allows.

    Exactly the required distance is not a breach. Above the table's highest voltage the
    required distance is unknown but at least the top band's: closer than that is a
    breach, farther is undecidable (``None``).
    """
    required = clearance_m(kv, bands)
    if required is not None:
        return distance_m < required
    return True if distance_m < bands[-1].metres else None


def in_corridor(distance_m: float, kv: float, bands: Sequence[VoltageBand]) -> bool | None:
    """Whether work ``distance_m`` from a ``kv`` line is inside its protection zone.

    The zone's outer edge counts as inside; a zero-width band (below 1 kV) has no zone.
    Above the table, within the top band's width is inside and farther is undecidable.
    """
    width = corridor_m(kv, bands)
    if width is not None:
        return width > 0 and distance_m <= width
    return True if distance_m <= bands[-1].metres else None


def night_work_violation(
    night: bool | None, near_sensitive: bool | None, permit: str | None, emergency: bool | None
) -> bool | None:
    """Night work near noise-sensitive buildings without a valid permit, not an emergency repair.

    Three-valued like the pack's MACH-001 as the screener reads it: ``False`` when any
    condition clearly fails or the emergency exception holds, whatever else is missing;
    ``None`` when a value that could still decide it is missing (噪声污染防治法 §43, §88).
    """
    conditions = (night, near_sensitive, None if permit is None else permit != "valid")
    if emergency is True or False in conditions:
        return False
    if None in conditions or emergency is None:
        return None
    return True


def is_repeat_offence(history: History, threshold_30d: int) -> bool | None:
    """Whether the site's history makes a new offence a repeat one.

    True when a problem there was rectified before, or the site was reported at least
    ``threshold_30d`` times in 30 days; ``None`` when the history says nothing.
    """
    if history.rectified_before:
        return True
    if history.reports_30d is None:
        return None
    return history.reports_30d >= threshold_30d


def _uses(equipment: Any, names: Iterable[str]) -> bool | None:
    if not isinstance(equipment, list):
        return None
    return uses_any((str(item) for item in equipment), names)


def machinery_derived(
    observation: Observation, derived: Mapping[str, Any], config: MachineryConfig
) -> dict[str, Any]:
    """The ``derived.machinery_*`` values for one machinery observation (absent ones left out)."""
    night = derived.get("is_night")
    if not isinstance(night, bool):
        when = observation.occurred_at or observation.reported_at
        night = is_night_hour(when.hour)
    attrs = observation.attrs
    values: dict[str, Any] = {
        "machinery_night_work": night,
        "machinery_period": period_label(night),
        "machinery_noise_limit_db": noise_limit_db(night, config),
        "machinery_night_lmax_limit_db": config.night_lmax_limit_db,
        "machinery_excavating": _uses(attrs.get("equipment"), config.excavating_equipment),
        "machinery_corridor_work": _uses(attrs.get("equipment"), config.corridor_equipment),
        "machinery_special_plan_depth_m": config.special_plan_depth_m,
        "machinery_expert_review_depth_m": config.expert_review_depth_m,
        "machinery_gas_protection_range_m": _first(
            _number(attrs.get("gas_protection_range_m")), config.gas_protection_range_m
        ),
    }
    kv, distance = _number(attrs.get("power_line_kv")), _number(attrs.get("power_line_distance_m"))
    if kv is not None:
        values["machinery_clearance_m"] = clearance_m(kv, config.clearance_bands)
        values["machinery_corridor_m"] = corridor_m(kv, config.corridor_bands)
        if distance is not None:
            values["machinery_clearance_breached"] = clearance_breached(distance, kv, config.clearance_bands)
            values["machinery_in_power_corridor"] = in_corridor(distance, kv, config.corridor_bands)
    return {name: value for name, value in values.items() if value is not None}


def _number(value: Any) -> float | None:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return None
    return float(value)


def _first(value: float | None, default: float) -> float:
    return default if value is None else value
