"""The plugin's Python checks: what the YAML pack cannot say cleanly.

- CONS-101: the homestead area against the configured provincial cap, whose tier comes from
  an attribute and whose excess (m²) goes into the message.
- CONS-102: a violation at a site with a history of reports or an earlier rectification
  (屡查屡建、拆后复建), which needs the list of violations the pack's rules see.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from riskscreen import CheckFinding, CheckInfo, CheckUndecided, Record
from riskscreen.templates import place_text

from .config import ConstructionConfig
from .derived import CapAssessment, assess_homestead_area

__all__ = [
    "AREA_CAP",
    "AREA_CAP_SCORE",
    "CHECKS",
    "REPEAT_OFFENCE",
    "area_cap_undecided",
    "check_area_cap",
    "check_repeat_offence",
]

AREA_CAP = CheckInfo(
    id="CONS-101",
    title="宅基地面积超过省级标准",
    severity="medium",
    references=["土地管理法 第六十二条", "土地管理法 第七十八条"],
)
REPEAT_OFFENCE = CheckInfo(
    id="CONS-102",
    title="违法建设屡查屡建",
    severity="medium",
    references=["土地管理法 第八十三条", "城乡规划法 第六十五条"],
)
#: Every check the plugin runs.
CHECKS: tuple[CheckInfo, ...] = (AREA_CAP, REPEAT_OFFENCE)

_OPEN_STATUSES = frozenset({"new", "in_progress"})

#: The score of a CONS-101 finding, which is also what the check would add while undecided.
AREA_CAP_SCORE = 45.0


def number(value: float) -> str:
    """A number as a message shows it: at most two decimals, no trailing zeros (``13.3``, ``167``)."""
    return f"{value:.2f}".rstrip("0").rstrip(".")


def _place(record: Record) -> str:
    # the nearest known place when the village is not reported (北管区, 地点未知)
    return place_text("village", record.lookup)


def check_area_cap(
    attrs: Mapping[str, Any], record: Record, config: ConstructionConfig
) -> list[CheckFinding]:
    """CONS-101: the area exceeds the cap of the tier the site falls in (or of every tier)."""
    caps = config.caps
    found: CapAssessment | None = assess_homestead_area(
        attrs.get("area_m2"), attrs.get("homestead_land_class"), attrs.get("household_size"), caps
    )
    if found is None or not found.exceeds:
        return []
    if found.exact:
        standard = f"{caps.name}宅基地标准（{found.label}）{number(found.cap_m2)}平方米"
        excess = f"超占{number(found.excess_m2)}平方米"
    else:
        standard = f"{caps.name}宅基地最高标准{number(found.cap_m2)}平方米（未报档次，按最高档比较）"
        excess = f"至少超占{number(found.excess_m2)}平方米"
    return [
        CheckFinding(
            rule_id=AREA_CAP.id,
            title=AREA_CAP.title,
            severity=AREA_CAP.severity,
            score=AREA_CAP_SCORE,
            message=(
                f"{_place(record)}：建房占地{number(found.area_m2)}平方米，超过{standard}，"
                f"{excess}，多占部分以非法占用土地论处"
            ),
            action="责令退还多占的土地、限期拆除超标部分，由农业农村部门依法处理",
            escalate_to="district",
            respond_within="4h",
            tags=["homestead", "area_cap"],
            references=[*AREA_CAP.references, caps.reference],
            values={
                "attrs.area_m2": found.area_m2,
                "cap_m2": found.cap_m2,
                "excess_m2": found.excess_m2,
                "tier": found.label if found.exact else None,
                "province": caps.name,
            },
        )
    ]


def area_cap_undecided(attrs: Mapping[str, Any], config: ConstructionConfig) -> list[CheckUndecided]:
    """CONS-101 left open: no ``area_m2``, or an area between the tiers' caps and no tier.

    An area that is not reported is never read as within the cap.
    """
    caps = config.caps
    tier_field = "homestead_land_class" if caps.basis == "land_class" else "household_size"
    found = assess_homestead_area(
        attrs.get("area_m2"), attrs.get("homestead_land_class"), attrs.get("household_size"), caps
    )
    if found is not None and found.exceeds is not None:
        return []
    missing = ["attrs.area_m2"] if found is None else [f"attrs.{tier_field}"]
    return [
        CheckUndecided(
            check_id=AREA_CAP.id, missing=missing, severity=AREA_CAP.severity, score=AREA_CAP_SCORE
        )
    ]


def check_repeat_offence(record: Record, config: ConstructionConfig) -> list[CheckFinding]:
    """CONS-102: an open violation at a site rectified before, or reported again and again."""
    if record.lookup("status") not in _OPEN_STATUSES:
        return []
    current = record.lookup("derived.construction_violations") or []
    if not current:
        return []
    reasons: list[str] = []
    if config.repeat_after_rectification and record.lookup("history.rectified_before") is True:
        reasons.append("曾整改后再次违法建设")
    reports = record.lookup("history.reports_30d")
    if reports is not None and reports >= config.repeat_reports_30d:
        reasons.append(f"30日内被上报{reports}次")
    if not reasons:
        return []
    return [
        CheckFinding(
            rule_id=REPEAT_OFFENCE.id,
            title=REPEAT_OFFENCE.title,
            severity=REPEAT_OFFENCE.severity,
            score=40,
            message=(
                f"{_place(record)}：该点位{'，'.join(reasons)}，属屡查屡建；当前问题：{'、'.join(current)}"
            ),
            action="管区会同综合执法部门现场制止继续施工，依法强制拆除，列为重点巡查点位",
            escalate_to="department",
            respond_within="4h",
            tags=["repeat", "closure"],
            references=list(REPEAT_OFFENCE.references),
            values={
                "derived.construction_violations": list(current),
                "history.rectified_before": record.lookup("history.rectified_before"),
                "history.reports_30d": reports,
            },
        )
    ]
