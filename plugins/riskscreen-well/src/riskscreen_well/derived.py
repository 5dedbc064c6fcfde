"""Pure functions behind the ``derived.well_*`` fields and the rule functions.

Missing inputs give ``None`` (the field is absent, so rules reading it are insufficient);
a value is only computed when the law decides it from what the report says. The tables
here are national law and cite their articles; local numbers come from
:class:`~riskscreen_well.config.WellConfig`.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from riskscreen import YearlyWindow

from .config import WellConfig

__all__ = [
    "DERIVED_FIELDS",
    "DERIVED_INPUTS",
    "EXEMPT_PURPOSES",
    "PERMIT_LACKING",
    "PURPOSE_LABELS",
    "QUOTA_PURPOSES",
    "ZONE_EXEMPT_PURPOSES",
    "compute",
    "exceeds_quota",
    "in_season",
    "near_railway",
    "new_extraction",
    "permit_missing",
    "permit_required",
    "unpermitted",
    "well_exempt_use",
    "well_zone_exempt",
]

#: Small withdrawals that need no permit up to the provincial quota: household use and
#: small-scale livestock watering (水法 第四十八条; 取水许可和水资源费征收管理条例 第四条第二项).
QUOTA_PURPOSES: frozenset[str] = frozenset({"household", "livestock"})
#: Uses that need no water-withdrawal permit: the quota uses, plus temporary emergency
#: withdrawal or drainage (取水许可和水资源费征收管理条例 第四条第三至五项).
EXEMPT_PURPOSES: frozenset[str] = QUOTA_PURPOSES | {"emergency"}
#: The only extraction allowed in a 禁止开采区 (and the only new extraction in a 限制开采区):
#: temporary emergency withdrawal or drainage, and monitoring, exploration or test pumping
#: (地下水管理条例 第三十五条).
ZONE_EXEMPT_PURPOSES: frozenset[str] = frozenset({"emergency", "monitoring"})
#: Permit statuses that do not cover the withdrawal: none, expired, outside its scope.
PERMIT_LACKING: frozenset[str] = frozenset({"none", "expired", "out_of_scope"})
#: Chinese names of the purposes, for messages.
PURPOSE_LABELS: dict[str, str] = {
    "household": "家庭生活",
    "livestock": "畜禽饮用",
    "irrigation": "农业灌溉",
    "industrial": "工业",
    "emergency": "临时应急",
    "monitoring": "监测勘探",
    "other": "其他",
}

#: ``derived.*`` name -> type name, as declared to riskscreen.
DERIVED_FIELDS: dict[str, str] = {
    "well_permit_required": "bool",
    "well_permit_missing": "bool",
    "well_unpermitted": "bool",
    "well_new_extraction": "bool",
    "well_near_railway": "bool",
    "well_in_flood_season": "bool",
    "well_purpose_label": "string",
    "well_household_quota_m3_day": "float",
    "well_railway_buffer_m": "float",
}


#: The observation fields each field is computed from: what a worker must collect when a
#: rule or check lacks the field (configured figures need nothing).
DERIVED_INPUTS: dict[str, list[str]] = {
    "well_permit_required": ["attrs.purpose", "attrs.withdrawal_m3_day"],
    "well_permit_missing": ["attrs.withdrawal_permit", "attrs.has_permit"],
    "well_unpermitted": ["derived.well_permit_required", "derived.well_permit_missing"],
    "well_new_extraction": ["attrs.new_well", "derived.well_unpermitted"],
    "well_near_railway": ["attrs.railway_distance_m"],
    "well_in_flood_season": ["occurred_at", "reported_at"],
    "well_purpose_label": ["attrs.purpose"],
    "well_household_quota_m3_day": [],
    "well_railway_buffer_m": [],
}


def well_exempt_use(purpose: str) -> bool:
    """Whether a purpose may need no water-withdrawal permit (水法 §48; 取水许可条例 §4).

    Household use and livestock watering are exempt only up to the provincial quota; see
    :func:`permit_required`.
    """
    return purpose in EXEMPT_PURPOSES


def well_zone_exempt(purpose: str) -> bool:
    """Whether a purpose is one of the exceptions to the 禁止/限制开采区 bans (地下水管理条例 §35)."""
    return purpose in ZONE_EXEMPT_PURPOSES


def _and(*values: bool | None) -> bool | None:
    """Three-valued AND: any ``False`` decides; otherwise an unknown leaves it unknown."""
    if any(v is False for v in values):
        return False
    if any(v is None for v in values):
        return None
    return True


def permit_required(purpose: str | None, withdrawal_m3_day: float | None, quota_m3_day: float) -> bool | None:
    """Whether the use needs a water-withdrawal permit.

    Household and livestock use need one only above the quota (a withdrawal equal to the
    quota is still exempt); emergency use never; every other purpose always.
    """
    if purpose is None:
        return None
    if purpose in QUOTA_PURPOSES:
        return None if withdrawal_m3_day is None else withdrawal_m3_day > quota_m3_day
    return purpose not in EXEMPT_PURPOSES


def exceeds_quota(purpose: str | None, withdrawal_m3_day: float | None, quota_m3_day: float) -> bool | None:
    """Whether a household or livestock well draws more than the exempt quota (else ``False``)."""
    if purpose is None:
        return None
    if purpose not in QUOTA_PURPOSES:
        return False
    return None if withdrawal_m3_day is None else withdrawal_m3_day > quota_m3_day


def permit_missing(withdrawal_permit: str | None, has_permit: bool | None) -> bool | None:
    """Whether no valid permit covers the withdrawal.

    The detailed ``withdrawal_permit`` status wins when it is given and known; otherwise
    ``has_permit`` decides; ``unknown`` with no ``has_permit`` is undecided.
    """
    if withdrawal_permit is not None and withdrawal_permit != "unknown":
        return withdrawal_permit in PERMIT_LACKING
    if has_permit is not None:
        return not has_permit
    return None


def unpermitted(required: bool | None, missing: bool | None) -> bool | None:
    """A permit-requiring withdrawal without a valid permit (水法 §69)."""
    return _and(required, missing)


def new_extraction(new_well: bool | None, is_unpermitted: bool | None) -> bool | None:
    """Whether the well adds groundwater extraction.

    ``new_well`` decides when reported. Otherwise an unpermitted permit-requiring well
    counts as new: it has no lawful existing withdrawal to continue. A permitted or
    exempt well with no ``new_well`` is undecided.
    """
    if new_well is not None:
        return new_well
    return True if is_unpermitted else None


def near_railway(distance_m: float | None, buffer_m: float) -> bool | None:
    """Whether the well lies within the buffer of a high-speed railway (the bound is inside)."""
    return None if distance_m is None else distance_m <= buffer_m


def in_season(day: date | None, window: YearlyWindow) -> bool | None:
    """Whether ``day`` falls in a yearly window (which may wrap the year end)."""
    return None if day is None else window.contains(day)


def _local_date(text: Any) -> date | None:
    return date.fromisoformat(text) if isinstance(text, str) else None


def compute(attrs: Mapping[str, Any], local_date: str | None, config: WellConfig) -> dict[str, Any]:
    """Every ``derived.well_*`` value for one observation's ``attrs`` and local event date."""
    purpose = attrs.get("purpose")
    required = permit_required(purpose, attrs.get("withdrawal_m3_day"), config.household_quota_m3_day)
    missing = permit_missing(attrs.get("withdrawal_permit"), attrs.get("has_permit"))
    is_unpermitted = unpermitted(required, missing)
    return {
        "well_permit_required": required,
        "well_permit_missing": missing,
        "well_unpermitted": is_unpermitted,
        "well_new_extraction": new_extraction(attrs.get("new_well"), is_unpermitted),
        "well_near_railway": near_railway(attrs.get("railway_distance_m"), config.railway_buffer_m),
        "well_in_flood_season": in_season(_local_date(local_date), config.flood_season),
        "well_purpose_label": PURPOSE_LABELS.get(purpose) if isinstance(purpose, str) else None,
        "well_household_quota_m3_day": config.household_quota_m3_day,
        "well_railway_buffer_m": config.railway_buffer_m,
    }
