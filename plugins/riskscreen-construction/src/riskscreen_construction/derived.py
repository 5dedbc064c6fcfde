"""Pure functions behind the ``derived.construction_*`` fields.

Each takes plain values (``None`` for "not reported") and returns ``None`` when the answer
cannot be decided from what was reported, so a rule reading the field is *insufficient*
rather than silently false.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from riskscreen import YearlyWindow

from .config import CapTier, ConstructionConfig, ProvinceCaps

__all__ = [
    "DERIVED_FIELDS",
    "DERIVED_INPUTS",
    "M2_PER_MU",
    "MISSING_PERMIT",
    "PIPELINE_ZONE_M",
    "POWER_LINE_CORRIDOR_M",
    "CapAssessment",
    "assess_homestead_area",
    "corridor_width_m",
    "derive",
    "farmland_mu",
    "in_flood_season",
    "in_power_corridor",
    "m2_to_mu",
    "rush_building",
    "select_tier",
    "violations",
]

#: 1 亩 in square metres (the conversion DOMAIN.md and the judicial interpretation use).
M2_PER_MU = 666.7

#: 电力设施保护条例 第十条: the protection corridor of an overhead line extends this far
#: (metres) beyond each edge conductor, by voltage band (upper bound of the band, kV).
POWER_LINE_CORRIDOR_M: tuple[tuple[float, float], ...] = (
    (10.0, 5.0),  # 1–10 kV
    (110.0, 10.0),  # 35–110 kV
    (330.0, 15.0),  # 154–330 kV
    (500.0, 20.0),  # 500 kV
)

#: 石油天然气管道保护法 第三十条: no building within 5 m either side of a pipeline centreline.
PIPELINE_ZONE_M = 5.0

#: The ``derived.*`` fields the plugin computes: name -> type name.
DERIVED_FIELDS: dict[str, str] = {
    "construction_corridor_m": "float",
    "construction_in_power_corridor": "bool",
    "construction_area_mu": "float",
    "construction_basic_farmland_mu": "float",
    "construction_other_farmland_mu": "float",
    "construction_homestead_cap_m2": "float",
    "construction_area_excess_m2": "float",
    "construction_area_exceeds_cap": "bool",
    "construction_rush_building": "bool",
    "construction_in_flood_season": "bool",
    "construction_violations": "list[string]",
}

_LINE = ["attrs.power_line_kv", "attrs.power_line_distance_m"]
_TIER = ["attrs.area_m2", "attrs.homestead_land_class", "attrs.household_size"]

#: The observation fields each field is computed from: what a worker must collect when a
#: rule or check lacks the field.
DERIVED_INPUTS: dict[str, list[str]] = {
    "construction_corridor_m": ["attrs.power_line_kv"],
    "construction_in_power_corridor": _LINE,
    "construction_area_mu": ["attrs.area_m2"],
    "construction_basic_farmland_mu": ["attrs.basic_farmland_mu", "attrs.on_basic_farmland", "attrs.area_m2"],
    "construction_other_farmland_mu": ["attrs.other_farmland_mu", "attrs.on_other_farmland", "attrs.area_m2"],
    "construction_homestead_cap_m2": _TIER,
    "construction_area_excess_m2": _TIER,
    "construction_area_exceeds_cap": _TIER,
    "construction_rush_building": ["attrs.in_requisition_area"],
    "construction_in_flood_season": ["occurred_at", "reported_at"],
    "construction_violations": [],
}

#: Permit statuses that mean "no valid permit for what is being built" (unknown is not one).
MISSING_PERMIT = frozenset({"none", "expired", "out_of_scope"})


def corridor_width_m(kv: float) -> float:
    """The power-line protection corridor width (m) for a line of ``kv`` kilovolts.

    电力设施保护条例 第十条: 1–10 kV 5 m, 35–110 kV 10 m, 154–330 kV 15 m, 500 kV 20 m.
    Below 1 kV the article defines no corridor (0). A voltage between two bands (20 kV,
    132 kV, 400 kV) takes the wider band above it; above 500 kV the table's widest band
    (20 m) is a lower bound.
    """
    if kv < 1:
        return 0.0
    for top_kv, width in POWER_LINE_CORRIDOR_M:
        if kv <= top_kv:
            return width
    return POWER_LINE_CORRIDOR_M[-1][1]


def in_power_corridor(kv: float | None, distance_m: float | None) -> bool | None:
    """Whether a building ``distance_m`` from the edge conductor is inside the corridor.

    The corridor's boundary line belongs to it (``distance_m == width`` is inside).
    """
    if kv is None or distance_m is None:
        return None
    width = corridor_width_m(kv)
    return width > 0 and distance_m <= width


def m2_to_mu(area_m2: float) -> float:
    """Square metres to 亩 (1 亩 = 666.7 m²), rounded to 6 decimals against float noise."""
    return round(area_m2 / M2_PER_MU, 6)


def farmland_mu(measured_mu: float | None, on_land: bool | None, area_m2: float | None) -> float | None:
    """Farmland occupied, in 亩: the measured figure, else the site's area when it is on that land.

    A site not on that land occupies 0 亩 of it; a site on it without a measured figure
    occupies at least its own footprint (``area_m2``).
    """
    if measured_mu is not None:
        return measured_mu
    if on_land is False:
        return 0.0
    if on_land and area_m2 is not None:
        return m2_to_mu(area_m2)
    return None


def rush_building(
    in_area: bool | None, announced_at: datetime | None, started_at: datetime | None
) -> bool | None:
    """Whether building inside a requisition area is rush building (抢建, 实施条例 第二十六条).

    Building seen inside an announced area is presumed rush building, unless both dates
    are known and the work started before the pre-announcement.
    """
    if in_area is None:
        return None
    if not in_area:
        return False
    if announced_at is not None and started_at is not None:
        return started_at >= announced_at
    return True


def in_flood_season(day: date, window: YearlyWindow) -> bool:
    """Whether ``day`` is inside the configured flood season (which may wrap the year end)."""
    return window.contains(day)


def select_tier(caps: ProvinceCaps, land_class: str | None, household_size: int | None) -> CapTier | None:
    """The tier of ``caps`` an observation falls in, or ``None`` when it cannot be told."""
    if caps.basis == "land_class":
        return caps.land_classes.get(land_class) if land_class is not None else None
    if household_size is None:
        return None
    for bracket in caps.size_brackets:
        if bracket.max_persons is None or household_size <= bracket.max_persons:
            return bracket
    return None  # unreachable for a validated config: the last bracket is open


@dataclass(frozen=True)
class CapAssessment:
    """A homestead area compared with the provincial cap.

    ``exact`` is false when the tier is unknown: the area was then compared with the
    largest cap (``exceeds`` true: it exceeds every tier, by at least ``excess_m2``) or
    the smallest (``exceeds`` false: it is within every tier); between them, ``exceeds``
    is ``None`` (undecided).
    """

    area_m2: float
    cap_m2: float
    label: str
    exact: bool
    exceeds: bool | None

    @property
    def excess_m2(self) -> float:
        """Area above the cap compared with (negative when within it), to 0.01 m²."""
        return round(self.area_m2 - self.cap_m2, 2)


def assess_homestead_area(
    area_m2: float | None, land_class: str | None, household_size: int | None, caps: ProvinceCaps
) -> CapAssessment | None:
    """Compare a homestead's area with the province's cap (土地管理法 第六十二条).

    ``None`` without an area. The cap itself is allowed ("不得超过"): only a larger area
    exceeds it.
    """
    if area_m2 is None:
        return None
    tier = select_tier(caps, land_class, household_size)
    if tier is not None:
        return CapAssessment(area_m2, tier.cap_m2, tier.label, True, area_m2 > tier.cap_m2)
    tiers = caps.tiers()
    largest = max(tiers, key=lambda t: t.cap_m2)
    smallest = min(tiers, key=lambda t: t.cap_m2)
    if area_m2 > largest.cap_m2:
        return CapAssessment(area_m2, largest.cap_m2, largest.label, False, True)
    if area_m2 <= smallest.cap_m2:
        return CapAssessment(area_m2, smallest.cap_m2, smallest.label, False, False)
    return CapAssessment(area_m2, largest.cap_m2, largest.label, False, None)


def violations(attrs: Mapping[str, Any], derived: Mapping[str, Any]) -> list[str]:
    """The violations the ``construction`` pack's rules see on a site, as Chinese labels.

    It mirrors the rules CONS-001 to CONS-013 (a value not reported is no violation) plus
    the area cap of CONS-101; the repeat-offence check (CONS-102) reads it.
    """
    found: list[str] = []
    homesteads = attrs.get("household_homesteads")
    approval = attrs.get("homestead_approval")
    basic_mu = derived.get("construction_basic_farmland_mu")
    other_mu = derived.get("construction_other_farmland_mu")
    pipeline = attrs.get("pipeline_distance_m")
    checks = [
        ("一户多宅", homesteads is not None and homesteads >= 1),
        ("未取得宅基地批准", approval in MISSING_PERMIT),
        ("未取得乡村建设规划许可", attrs.get("planning_permit") in MISSING_PERMIT),
        ("占用永久基本农田", attrs.get("on_basic_farmland") is True or (basic_mu or 0) >= 5),
        (
            "擅自占用耕地",
            (other_mu or 0) >= 10 or ((other_mu or 0) > 0 and approval is not None and approval != "valid"),
        ),
        ("拟征收范围内抢建", derived.get("construction_rush_building") is True),
        ("电力线路保护区内建房", derived.get("construction_in_power_corridor") is True),
        ("管道中心线5米内建房", pipeline is not None and pipeline <= PIPELINE_ZONE_M),
        ("堤防上建房", attrs.get("on_levee") is True),
        ("争议土地上建房", attrs.get("land_disputed") is True),
        ("超标准占用宅基地", derived.get("construction_area_exceeds_cap") is True),
    ]
    found.extend(label for label, present in checks if present)
    return found


def derive(attrs: Mapping[str, Any], day: date, config: ConstructionConfig) -> dict[str, Any]:
    """Every ``derived.construction_*`` value for one observation (``None`` = not decidable).

    ``attrs`` are the validated attributes, ``day`` the event's local date.
    """
    kv, distance = attrs.get("power_line_kv"), attrs.get("power_line_distance_m")
    area = attrs.get("area_m2")
    assessment = assess_homestead_area(
        area, attrs.get("homestead_land_class"), attrs.get("household_size"), config.caps
    )
    exact = assessment is not None and assessment.exact
    values: dict[str, Any] = {
        "construction_corridor_m": corridor_width_m(kv) if kv is not None else None,
        "construction_in_power_corridor": in_power_corridor(kv, distance),
        "construction_area_mu": m2_to_mu(area) if area is not None else None,
        "construction_basic_farmland_mu": farmland_mu(
            attrs.get("basic_farmland_mu"), attrs.get("on_basic_farmland"), area
        ),
        "construction_other_farmland_mu": farmland_mu(
            attrs.get("other_farmland_mu"), attrs.get("on_other_farmland"), area
        ),
        "construction_homestead_cap_m2": assessment.cap_m2 if exact and assessment else None,
        "construction_area_excess_m2": assessment.excess_m2 if exact and assessment else None,
        "construction_area_exceeds_cap": assessment.exceeds if assessment else None,
        "construction_rush_building": rush_building(
            attrs.get("in_requisition_area"),
            attrs.get("requisition_announced_at"),
            attrs.get("construction_started_at"),
        ),
        "construction_in_flood_season": in_flood_season(day, config.flood_season),
    }
    values["construction_violations"] = violations(attrs, values)
    return values
