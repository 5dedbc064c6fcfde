"""Functions rule expressions may call (registered through ``riskscreen_functions``).

They take plain values, so that the pack's rules read like the regulations they cite.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from .law import PIPELINE_CROSSING_ZONE_M

__all__ = ["FUNCTIONS", "sand_any_in", "sand_in_pipeline_crossing_zone"]


def sand_any_in(items: list[str], names: list[str]) -> bool:
    """Whether any of ``items`` is one of ``names``: ``sand_any_in(attrs.equipment, dredging_vessels)``."""
    wanted = set(names)
    return any(item in wanted for item in items)


def sand_in_pipeline_crossing_zone(distance_m: float) -> bool:
    """Within 500 m either side of a pipeline crossing the river (石油天然气管道保护法 第三十二条)."""
    return distance_m <= PIPELINE_CROSSING_ZONE_M


#: Name -> function, as handed to riskscreen.
FUNCTIONS: dict[str, Callable[..., Any]] = {
    "sand_any_in": sand_any_in,
    "sand_in_pipeline_crossing_zone": sand_in_pipeline_crossing_zone,
}
