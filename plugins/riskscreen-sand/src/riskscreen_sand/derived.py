"""Pure functions behind the ``derived.sand_*`` fields.

Each returns ``None`` when the observation does not say enough to decide, so that rules
reading the field are *insufficient* rather than silently false.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date
from typing import Any, Literal

from riskscreen import Observation, YearlyWindow

from .config import SandConfig
from .law import ESPECIALLY_SERIOUS_MULTIPLE, UNLAWFUL_PERMIT_STATUSES

__all__ = [
    "DERIVED_INPUTS",
    "DERIVED_TYPES",
    "ValueGrade",
    "compute",
    "event_date",
    "in_closed_season",
    "near_structure",
    "permit_label",
    "possible_grades",
    "restricted",
    "restriction_label",
    "serious_threshold",
    "structure_limit",
    "unlawful_mining",
    "value_grade",
]

ValueGrade = Literal["none", "serious", "especially_serious"]

#: The fields this plugin adds to ``derived``, with their riskscreen type names.
DERIVED_TYPES: dict[str, str] = {
    "sand_in_closed_season": "bool",
    "sand_restricted": "bool",
    "sand_restriction_label": "string",
    "sand_permit_label": "string",
    "sand_unlawful_mining": "bool",
    "sand_serious_threshold_cny": "float",
    "sand_value_grade": "string",
    "sand_structure_limit_m": "float",
    "sand_near_structure": "bool",
}

_EVENT_TIME = ["occurred_at", "reported_at"]
_ZONE = "attrs.in_no_mining_zone"

#: The observation fields each field is computed from: what a worker must collect when a
#: rule or check lacks the field (the season always comes from the event time).
DERIVED_INPUTS: dict[str, list[str]] = {
    "sand_in_closed_season": _EVENT_TIME,
    "sand_restricted": [_ZONE, *_EVENT_TIME],
    "sand_restriction_label": [_ZONE, *_EVENT_TIME],
    "sand_permit_label": ["attrs.sand_permit"],
    "sand_unlawful_mining": ["attrs.sand_permit", _ZONE],
    "sand_serious_threshold_cny": [_ZONE],
    "sand_value_grade": ["attrs.value_cny", _ZONE],
    "sand_structure_limit_m": ["attrs.structure_type"],
    "sand_near_structure": ["attrs.structure_type", "attrs.structure_distance_m"],
}

_PERMIT_LABELS = {
    "valid": "有效",
    "none": "未办理",
    "out_of_scope": "超出许可范围",
    "expired": "已过期",
    "unknown": "待核实",
}


def event_date(observation: Observation, derived: Mapping[str, Any]) -> date:
    """The local date of the event: the core's ``local_date``, else from the observation's times.

    The Screener has already converted ``occurred_at`` and ``reported_at`` to local time, so
    the fallback (used only when the core plugin is disabled) gives the same day.
    """
    text = derived.get("local_date")
    if isinstance(text, str):
        return date.fromisoformat(text)
    return (observation.occurred_at or observation.reported_at).date()


def in_closed_season(day: date, windows: Iterable[YearlyWindow]) -> bool:
    """Whether ``day`` falls in any of the yearly closed seasons (bounds inclusive)."""
    return any(window.contains(day) for window in windows)


def restricted(in_no_mining_zone: bool | None, in_season: bool) -> bool | None:
    """Inside a no-mining zone or during the closed season (禁采区或禁采期)."""
    if in_no_mining_zone or in_season:
        return True
    return None if in_no_mining_zone is None else False


def restriction_label(in_no_mining_zone: bool | None, in_season: bool) -> str | None:
    """``禁采区``, ``禁采期`` or both, for messages; ``None`` when neither is known to hold."""
    parts = [name for name, holds in (("禁采区", in_no_mining_zone), ("禁采期", in_season)) if holds]
    return "、".join(parts) or None


def permit_label(status: str | None) -> str | None:
    """The permit status in Chinese, for messages."""
    return None if status is None else _PERMIT_LABELS.get(status, status)


def unlawful_mining(permit: str | None, is_restricted: bool | None) -> bool | None:
    """Whether the digging is illegal mining: no valid permit, or in a no-mining zone or season.

    ``None`` when the permit is unknown or absent and the zone or season does not settle it.
    """
    if permit in UNLAWFUL_PERMIT_STATUSES or is_restricted is True:
        return True
    if permit == "valid" and is_restricted is False:
        return False
    return None


def serious_threshold(is_restricted: bool | None, config: SandConfig) -> float | None:
    """The "情节严重" value that applies: the zone/season figure or the general one."""
    if is_restricted is None:
        return None
    return config.serious_value_cny_restricted if is_restricted else config.serious_value_cny


def _grade(value_cny: float, threshold: float) -> ValueGrade:
    if value_cny >= threshold * ESPECIALLY_SERIOUS_MULTIPLE:
        return "especially_serious"
    return "serious" if value_cny >= threshold else "none"


def value_grade(value_cny: float | None, is_restricted: bool | None, config: SandConfig) -> ValueGrade | None:
    """The value grade of the sand mined: none, serious (情节严重) or especially_serious.

    When it is unknown whether the zone or season applies, the grade is still decided if
    both thresholds give the same answer (a value above the general figure is serious
    either way); otherwise it is ``None``.
    """
    if value_cny is None:
        return None
    if is_restricted is not None:
        threshold = config.serious_value_cny_restricted if is_restricted else config.serious_value_cny
        return _grade(value_cny, threshold)
    general = _grade(value_cny, config.serious_value_cny)
    lowered = _grade(value_cny, config.serious_value_cny_restricted)
    return general if general == lowered else None


def possible_grades(
    value_cny: float | None, is_restricted: bool | None, config: SandConfig
) -> frozenset[ValueGrade]:
    """The grades the value could have given what is known: one when it is decided.

    Without a value every grade is possible; with a value but no answer on the zone or
    season, the grades under the general and the lowered threshold.
    """
    decided = value_grade(value_cny, is_restricted, config)
    if decided is not None:
        return frozenset({decided})
    if value_cny is None:
        return frozenset({"none", "serious", "especially_serious"})
    return frozenset(
        {_grade(value_cny, config.serious_value_cny), _grade(value_cny, config.serious_value_cny_restricted)}
    )


def structure_limit(structure_type: str | None, config: SandConfig) -> float | None:
    """The configured minimum distance from the structure type, ``None`` without a structure."""
    if structure_type is None or structure_type == "none":
        return None
    for name, metres in config.structure_distances_m.items():
        if name == structure_type:
            return metres
    return None


def near_structure(structure_type: str | None, distance_m: float | None, config: SandConfig) -> bool | None:
    """Whether the site is within the minimum distance of a dam, reservoir, bridge or water source."""
    if structure_type is None:
        return None
    if structure_type == "none":
        return False
    limit = structure_limit(structure_type, config)
    if limit is None or distance_m is None:
        return None
    return distance_m <= limit


def compute(observation: Observation, derived: Mapping[str, Any], config: SandConfig) -> dict[str, Any]:
    """Every ``derived.sand_*`` value for one observation (``None`` where undecidable)."""
    attrs = observation.attrs
    in_zone = attrs.get("in_no_mining_zone")
    in_season = in_closed_season(event_date(observation, derived), config.closed_seasons)
    is_restricted = restricted(in_zone, in_season)
    permit = attrs.get("sand_permit")
    structure = attrs.get("structure_type")
    return {
        "sand_in_closed_season": in_season,
        "sand_restricted": is_restricted,
        "sand_restriction_label": restriction_label(in_zone, in_season),
        "sand_permit_label": permit_label(permit),
        "sand_unlawful_mining": unlawful_mining(permit, is_restricted),
        "sand_serious_threshold_cny": serious_threshold(is_restricted, config),
        "sand_value_grade": value_grade(attrs.get("value_cny"), is_restricted, config),
        "sand_structure_limit_m": structure_limit(structure, config),
        "sand_near_structure": near_structure(structure, attrs.get("structure_distance_m"), config),
    }
